package org.scow.crane.ctld;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import org.junit.Test;

/**
 * A job without --mem gets the partition's default memory per CPU (Slurm's DefMemPerCPU), not 0 MiB: by default the
 * smallest memory/CPUs share of the partition's nodes, else the cluster's DefMemPerCPU, else the partition's
 * defmempercpu=. The memory is accounted, so such jobs no longer overcommit a node whose memory is taken.
 */
public class DefaultMemoryTest {

    @Test
    public void jobsWithoutMemGetThePartitionsShare() throws Exception {
        TestCluster t = new TestCluster(); // cpu: 8 CPUs / 16 GiB per node -> 2048 MiB per CPU; gpu: 32 / 128 GiB -> 4096
        long cpu = t.submit(TestCluster.alice().cpusPerTask(2));
        assertEquals(4096, t.job(cpu).memPerNodeMb());
        long gpu = t.submit(TestCluster.alice().partition("gpu").cpusPerTask(2));
        assertEquals(8192, t.job(gpu).memPerNodeMb());
        long mixed = t.submit(TestCluster.alice().partition("all").ntasksPerNode(3));
        assertEquals(3 * 2048, t.job(mixed).memPerNodeMb()); // the smallest share of its nodes
        // what the user asked for wins
        assertEquals(1024, t.job(t.submit(TestCluster.alice().cpusPerTask(2).mem("1G"))).memPerNodeMb());
        assertEquals(2 * 100, t.job(t.submit(TestCluster.alice().cpusPerTask(2).memPerCpu("100M"))).memPerNodeMb());
    }

    @Test
    public void defaultMemoryIsAccountedOnTheNode() throws Exception {
        TestCluster t = new TestCluster();
        // one node (cn1) nearly full of memory; a 1-CPU job without --mem needs 2048 MiB and must go elsewhere
        long big = t.submit(TestCluster.alice().nodelist("cn1").mem("15G"));
        long small = t.submit(TestCluster.alice().nodelist("cn1"));
        t.c.schedule();
        assertEquals("RUNNING", t.job(big).state().name());
        assertEquals("PENDING", t.job(small).state().name());
    }

    @Test
    public void configuredDefaults() throws Exception {
        TestCluster t = new TestCluster(null, cfg -> {
            CtldConfig parsed = CtldConfig.parse("DefMemPerCPU=1G\n"
                    + "Node name=cn[1-4] cpus=8 mem=16G\nNode name=g[1-2] cpus=32 mem=128G gres=gpu:a100:4\n"
                    + "Partition name=cpu nodes=cn[1-4] default=yes maxtime=7-0 defmempercpu=512M\n"
                    + "Partition name=gpu nodes=g[1-2] priority=2 maxtime=2-0\n"
                    + "Partition name=all nodes=cn[1-4],g[1-2]\n");
            cfg.defMemPerCpuMb = parsed.defMemPerCpuMb;
            cfg.partitionDefs.clear();
            cfg.partitionDefs.addAll(parsed.partitionDefs);
        });
        assertEquals(2 * 512, t.job(t.submit(TestCluster.alice().cpusPerTask(2))).memPerNodeMb());
        assertEquals(2 * 1024, t.job(t.submit(TestCluster.alice().partition("gpu").cpusPerTask(2))).memPerNodeMb());
        for (String bad : new String[] {"DefMemPerCPU=lots", "DefMemPerCPU=0"}) {
            try {
                CtldConfig.parse(bad + "\n");
                fail(bad);
            } catch (CtldException e) {
                assertTrue(e.getMessage(), e.getMessage().contains("line 1") && e.getMessage().contains("DefMemPerCPU"));
            }
        }
    }
}
