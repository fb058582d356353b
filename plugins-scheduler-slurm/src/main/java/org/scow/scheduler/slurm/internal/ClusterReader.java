package org.scow.scheduler.slurm.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.scow.api.scheduler.ClusterUsage;
import org.scow.api.scheduler.ClusterUsage.Counts;
import org.scow.api.scheduler.ClusterUsage.PartitionUsage;
import org.scow.api.scheduler.ClusterUsage.Usage;
import org.scow.api.scheduler.ErrorCode;
import org.scow.api.scheduler.NodeInfo;
import org.scow.api.scheduler.Partition;
import org.scow.api.scheduler.SchedulerException;

/**
 * Partitions, nodes and usage, live from slurmctld ({@code scontrol show partition|node -o}, {@code squeue}): the
 * accounting database lags and knows nothing of node states.
 */
public final class ClusterReader {
    private final SlurmCli cli;

    public ClusterReader(SlurmCli cli) {
        this.cli = cli;
    }

    /** The raw {@code scontrol show partition} records, in Slurm's order. */
    public List<Map<String, String>> partitionRecords() throws SchedulerException {
        String out = cli.call("scontrol", List.of("show", "partition", "-o"), ErrorCode.INTERNAL);
        return ScontrolRecords.parse(out).stream().filter(r -> r.containsKey("PartitionName")).toList();
    }

    public List<Partition> partitions() throws SchedulerException {
        return partitionRecords().stream().map(ClusterReader::partition).toList();
    }

    public List<String> partitionNames() throws SchedulerException {
        return partitionRecords().stream().map(r -> r.get("PartitionName")).toList();
    }

    /** Every node, or the named ones (unknown names are skipped). */
    public List<NodeInfo> nodes(Set<String> names) throws SchedulerException {
        String out = cli.call("scontrol", List.of("show", "node", "-o"), ErrorCode.INTERNAL);
        return ScontrolRecords.parse(out).stream().filter(r -> r.containsKey("NodeName"))
                .map(ClusterReader::node)
                .filter(n -> names.isEmpty() || names.contains(n.name()))
                .toList();
    }

    public ClusterUsage usage() throws SchedulerException {
        List<String> partitions = partitionNames();
        List<NodeInfo> nodes = nodes(Set.of());
        String jobs = cli.call("squeue", List.of("-h", "-r", "-t", "PENDING,RUNNING",
                "-O", "Partition:0" + SlurmCli.SEP + ",StateCompact:0" + SlurmCli.SEP), ErrorCode.INTERNAL);
        return usage(partitions, nodes, jobs);
    }

    /** Sums node and job counts; the total counts every node and job once, however many partitions hold it. */
    static ClusterUsage usage(List<String> partitions, List<NodeInfo> nodes, String squeueOutput) {
        Map<String, Usage> byPartition = new LinkedHashMap<>();
        partitions.forEach(p -> byPartition.put(p, Usage.ZERO));
        Usage total = Usage.ZERO;
        for (NodeInfo n : nodes) {
            Usage u = usageOf(n);
            total = total.plus(u);
            for (String p : n.partitions()) {
                byPartition.computeIfPresent(p, (k, v) -> v.plus(u));
            }
        }
        for (String line : squeueOutput.split("\n")) {
            String[] f = line.split(SlurmCli.SEP, -1);
            if (f.length < 2 || line.isBlank()) {
                continue;
            }
            Usage job = "R".equals(f[1].strip()) ? new Usage(Counts.ZERO, Counts.ZERO, Counts.ZERO, 1, 0)
                    : new Usage(Counts.ZERO, Counts.ZERO, Counts.ZERO, 0, 1);
            total = total.plus(job);
            // a pending job may name several partitions ("debug,long"); it waits in each of them
            for (String p : f[0].strip().split(",")) {
                byPartition.computeIfPresent(p, (k, v) -> v.plus(job));
            }
        }
        List<PartitionUsage> list = new ArrayList<>();
        byPartition.forEach((p, u) -> list.add(new PartitionUsage(p, u)));
        return new ClusterUsage(total, list);
    }

    /** One node's contribution: allocated resources are running, the rest idle, or unavailable on a down node. */
    private static Usage usageOf(NodeInfo n) {
        boolean available = n.state() != NodeInfo.State.NOT_AVAILABLE;
        Counts nodes = switch (n.state()) {
            case IDLE -> new Counts(1, 0, 1, 0);
            case RUNNING -> new Counts(1, 1, 0, 0);
            case NOT_AVAILABLE -> new Counts(1, 0, 0, 1);
        };
        return new Usage(nodes, split(n.cpus(), n.cpusAlloc(), available), split(n.gpus(), n.gpusAlloc(), available),
                0, 0);
    }

    private static Counts split(int total, int alloc, boolean available) {
        int running = Math.min(alloc, total);
        int rest = total - running;
        return available ? new Counts(total, running, rest, 0) : new Counts(total, running, 0, rest);
    }

    static Partition partition(Map<String, String> r) {
        Map<String, String> tres = SlurmValues.tres(r.get("TRES"));
        String allowQos = r.getOrDefault("AllowQos", "ALL");
        List<String> qos = "ALL".equals(allowQos) ? List.of() : Arrays.asList(allowQos.split(","));
        Long mem = SlurmValues.tresMemoryMb(tres);
        Integer gpus = SlurmValues.tresGpus(tres);
        return new Partition(r.get("PartitionName"),
                orZero(SlurmValues.integer(r.get("TotalNodes"))),
                orZero(SlurmValues.integer(r.get("TotalCPUs"))),
                mem == null ? 0 : mem,
                gpus == null ? 0 : gpus,
                qos,
                SlurmValues.minutes(r.get("MaxTime")),
                "UP".equals(r.get("State")),
                null);
    }

    static NodeInfo node(Map<String, String> r) {
        Map<String, String> cfg = SlurmValues.tres(r.get("CfgTRES"));
        Map<String, String> alloc = SlurmValues.tres(r.get("AllocTRES"));
        String parts = SlurmValues.text(r.get("Partitions"));
        int cpus = orZero(SlurmValues.integer(r.get("CPUTot")));
        int cpusAlloc = orZero(SlurmValues.integer(r.get("CPUAlloc")));
        NodeInfo.State state = NodeStates.of(r.getOrDefault("State", "UNKNOWN"), cpusAlloc);
        String reason = state == NodeInfo.State.NOT_AVAILABLE ? SlurmValues.text(r.get("Reason")) : null;
        Long mem = SlurmValues.longValue(r.get("RealMemory"));
        Long memAlloc = SlurmValues.longValue(r.get("AllocMem"));
        Integer gpus = SlurmValues.tresGpus(cfg);
        Integer gpusAlloc = SlurmValues.tresGpus(alloc);
        return new NodeInfo(r.get("NodeName"), parts == null ? List.of() : Arrays.asList(parts.split(",")), state,
                reason == null && state == NodeInfo.State.NOT_AVAILABLE ? NodeStates.word(r.get("State")) : reason,
                cpus, cpusAlloc, mem == null ? 0 : mem, memAlloc == null ? 0 : memAlloc,
                gpus == null ? 0 : gpus, gpusAlloc == null ? 0 : gpusAlloc);
    }

    private static int orZero(Integer i) {
        return i == null ? 0 : i;
    }
}
