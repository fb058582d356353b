package org.scow.itest.driver.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;

import org.scow.api.scheduler.ClusterUsage;
import org.scow.api.scheduler.JobState;
import org.scow.api.scheduler.NodeInfo;
import org.scow.api.scheduler.Partition;
import org.scow.api.scheduler.SchedulerException;

/**
 * The nodes and partitions of the simulator. Every partition spans every node, as overlapping Slurm partitions do, so
 * a partition's node and CPU counts are the cluster's while its job counts are its own. Not thread-safe.
 */
final class NodePool {
    private final Settings settings;
    private final List<SimNode> nodes = new ArrayList<>();

    NodePool(Settings settings) {
        this.settings = settings;
        int width = Math.max(2, String.valueOf(settings.nodes()).length());
        for (int i = 1; i <= settings.nodes(); i++) {
            boolean down = i > settings.nodes() - settings.downNodes();
            nodes.add(new SimNode(String.format("node%0" + width + "d", i), settings.cpusPerNode(),
                    settings.memoryMbPerNode(), settings.gpusPerNode(), down));
        }
    }

    List<String> partitionNames() {
        return settings.partitions();
    }

    boolean hasPartition(String name) {
        return settings.partitions().contains(name);
    }

    List<Partition> partitions() {
        int n = nodes.size();
        return settings.partitions().stream().map(p -> new Partition(p, n, n * settings.cpusPerNode(),
                n * settings.memoryMbPerNode(), n * settings.gpusPerNode(), List.of(), null, true,
                "in-memory test partition")).toList();
    }

    /** Refuses jobs that could never run here, as {@code sbatch} does. */
    void checkFeasible(SimJob job) throws SchedulerException {
        if (job.nodes > nodes.size() || job.coresPerNode > settings.cpusPerNode()
                || job.memoryMbPerNode > settings.memoryMbPerNode() || job.gpusPerNode > settings.gpusPerNode()) {
            throw SchedulerException.submitFailed("Requested node configuration is not available");
        }
    }

    /** Allocates the job's nodes if enough are free now; false leaves everything unchanged. */
    boolean tryAllocate(SimJob job) {
        List<SimNode> chosen = nodes.stream().filter(n -> n.fits(job)).limit(job.nodes).toList();
        if (chosen.size() < job.nodes) {
            return false;
        }
        chosen.forEach(n -> n.allocate(job, 1));
        job.allocation = chosen;
        return true;
    }

    void release(SimJob job) {
        job.allocation.forEach(n -> n.allocate(job, -1));
    }

    List<NodeInfo> nodes(Set<String> names) {
        return nodes.stream().filter(n -> names.isEmpty() || names.contains(n.name))
                .map(n -> n.toInfo(settings.partitions())).toList();
    }

    ClusterUsage usage(Collection<SimJob> jobs) {
        ClusterUsage.Usage resources = resources();
        List<ClusterUsage.PartitionUsage> parts = settings.partitions().stream()
                .map(p -> new ClusterUsage.PartitionUsage(p, withJobs(resources, jobs, p))).toList();
        return new ClusterUsage(withJobs(resources, jobs, null), parts);
    }

    private ClusterUsage.Usage resources() {
        int nodesUp = 0, nodesBusy = 0, cpusUp = 0, cpusBusy = 0, gpusUp = 0, gpusBusy = 0;
        for (SimNode n : nodes) {
            if (!n.down) {
                nodesUp++;
                nodesBusy += n.allocated() ? 1 : 0;
                cpusUp += n.cpus;
                cpusBusy += n.cpusAlloc;
                gpusUp += n.gpus;
                gpusBusy += n.gpusAlloc;
            }
        }
        int all = nodes.size();
        return new ClusterUsage.Usage(
                counts(all, nodesBusy, nodesUp),
                counts(all * settings.cpusPerNode(), cpusBusy, cpusUp),
                counts(all * settings.gpusPerNode(), gpusBusy, gpusUp), 0, 0);
    }

    private static ClusterUsage.Counts counts(int total, int busy, int up) {
        return new ClusterUsage.Counts(total, busy, up - busy, total - up);
    }

    private static ClusterUsage.Usage withJobs(ClusterUsage.Usage r, Collection<SimJob> jobs, String partition) {
        int running = 0, pending = 0;
        for (SimJob j : jobs) {
            if (partition == null || partition.equals(j.partition)) {
                running += j.state == JobState.RUNNING ? 1 : 0;
                pending += j.state == JobState.PENDING ? 1 : 0;
            }
        }
        return new ClusterUsage.Usage(r.nodes(), r.cpus(), r.gpus(), running, pending);
    }
}
