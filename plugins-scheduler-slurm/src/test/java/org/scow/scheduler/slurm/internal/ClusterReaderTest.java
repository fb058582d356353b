package org.scow.scheduler.slurm.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;

import java.util.List;
import java.util.Map;

import org.junit.Test;
import org.scow.api.scheduler.ClusterUsage;
import org.scow.api.scheduler.ClusterUsage.Counts;
import org.scow.api.scheduler.NodeInfo;
import org.scow.api.scheduler.Partition;

public class ClusterReaderTest {
    private static final String S = SlurmCli.SEP;

    @Test
    public void partitionFromScontrol() {
        Partition p = ClusterReader.partition(ScontrolRecords.parseLine("PartitionName=long AllowGroups=ALL "
                + "AllowAccounts=ALL AllowQos=normal,high Default=NO MaxTime=7-00:00:00 State=UP TotalCPUs=16 "
                + "TotalNodes=4 TRES=cpu=16,mem=16000M,node=4,billing=16,gres/gpu=8"));
        assertEquals(new Partition("long", 4, 16, 16000, 8, List.of("normal", "high"), 10080L, true, null), p);
        Partition down = ClusterReader.partition(ScontrolRecords.parseLine(
                "PartitionName=debug AllowQos=ALL MaxTime=UNLIMITED State=DOWN TotalCPUs=4 TotalNodes=1 TRES=cpu=4"));
        assertNull(down.maxTimeMinutes());
        assertEquals(List.of(), down.qos());
        assertEquals(false, down.up());
    }

    @Test
    public void nodeFromScontrol() {
        NodeInfo n = ClusterReader.node(ScontrolRecords.parseLine(ScontrolRecordsTest.NODE));
        assertEquals(new NodeInfo("c1", List.of("debug", "long"), NodeInfo.State.RUNNING, null, 4, 2, 4000, 300, 0, 0),
                n);
        NodeInfo drained = ClusterReader.node(ScontrolRecords.parseLine("NodeName=c2 CPUAlloc=0 CPUTot=4 "
                + "RealMemory=4000 AllocMem=0 State=IDLE+DRAIN Partitions=debug CfgTRES=cpu=4,gres/gpu=2 "
                + "AllocTRES= Reason=bad fan [root@2026-11-24T00:00:00]"));
        assertEquals(NodeInfo.State.NOT_AVAILABLE, drained.state());
        assertEquals("bad fan [root@2026-11-24T00:00:00]", drained.reason());
        assertEquals(2, drained.gpus());
    }

    @Test
    public void usageCountsSharedNodesOnceInTheTotal() {
        List<NodeInfo> nodes = List.of(
                new NodeInfo("c1", List.of("debug", "long"), NodeInfo.State.RUNNING, null, 4, 3, 4000, 300, 2, 1),
                new NodeInfo("c2", List.of("debug", "long"), NodeInfo.State.IDLE, null, 4, 0, 4000, 0, 0, 0),
                new NodeInfo("c3", List.of("long"), NodeInfo.State.NOT_AVAILABLE, "down", 4, 1, 4000, 0, 0, 0));
        String jobs = "debug" + S + "R" + S + "\n" + "debug,long" + S + "PD" + S + "\n" + "long" + S + "PD" + S + "\n";
        ClusterUsage u = ClusterReader.usage(List.of("debug", "long", "empty"), nodes, jobs);

        assertEquals(new Counts(3, 1, 1, 1), u.total().nodes());
        assertEquals(new Counts(12, 4, 5, 3), u.total().cpus());
        assertEquals(new Counts(2, 1, 1, 0), u.total().gpus());
        assertEquals(1, u.total().runningJobs());
        assertEquals(2, u.total().pendingJobs());

        Map<String, ClusterUsage.Usage> by = new java.util.HashMap<>();
        u.partitions().forEach(p -> by.put(p.partition(), p.usage()));
        assertEquals(new Counts(2, 1, 1, 0), by.get("debug").nodes());
        assertEquals(1, by.get("debug").pendingJobs());
        assertEquals(2, by.get("long").pendingJobs());
        assertEquals(new Counts(3, 1, 1, 1), by.get("long").nodes());
        assertEquals(ClusterUsage.Usage.ZERO, by.get("empty"));
    }
}
