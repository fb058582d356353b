package org.scow.crane.ctld;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.scow.crane.ctld.TestCluster.alice;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.scow.crane.ctld.model.Job;
import org.scow.crane.ctld.model.JobRequest;
import org.scow.crane.protocol.JobState;
import org.scow.crane.ctld.model.PreemptMode;

/**
 * QoS-based preemption on {@link TestCluster}: cpu = cn[1-4] with 8 CPUs each, gpu = g[1-2] with 32 CPUs and
 * 4 x a100 each. QoS {@code low} (preemptable), {@code high} (preempts low) and {@code mid} (preempts nothing).
 */
public class PreemptionTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    /** What the controller handed to the launcher: started ids and "id:state" of terminated jobs. */
    static final class Recorder implements Launcher {
        final List<Long> launched = new ArrayList<>();
        final List<String> terminated = new ArrayList<>();

        @Override
        public synchronized void launch(List<Job> jobs) {
            for (Job j : jobs) launched.add(j.id);
        }

        @Override
        public synchronized void terminate(List<Job> jobs) {
            for (Job j : jobs) terminated.add(j.id + ":" + j.state);
        }
    }

    /** Cluster-wide PreemptMode, optionally another one for one partition. */
    private static Consumer<CtldConfig> modes(PreemptMode cluster, String partition, PreemptMode override) {
        return cfg -> {
            cfg.preemptMode = cluster;
            cfg.maxRequeue = 0; // a preempted job is requeued without counting towards the hold
            for (int i = 0; i < cfg.partitionDefs.size(); i++) {
                CtldConfig.PartitionDef d = cfg.partitionDefs.get(i);
                if (d.name().equals(partition)) {
                    cfg.partitionDefs.set(i, new CtldConfig.PartitionDef(d.name(), d.nodes(), d.isDefault(),
                            d.priorityTier(), d.maxTimeSec(), d.defaultTimeSec(), override));
                }
            }
        };
    }

    private static TestCluster cluster(Path state, Consumer<CtldConfig> tweak) throws IOException {
        TestCluster t = new TestCluster(state, tweak);
        if (t.c.withAccounts(a -> a.qos("low")) == null) {
            t.qos("low", 0, 0, 0, 0, 0);
            t.qos("mid", 50, 0, 0, 0, 0);
            t.qos("high", 100, 0, 0, 0, 0);
            t.preempt("high", "low");
        }
        return t;
    }

    /** A whole cpu node (8 CPUs) on {@code node} for an hour. */
    private static JobRequest node(String qos, String node) {
        return alice().qos(qos).ntasks(8).nodelist(node).time("60");
    }

    private static JobRequest cpus(String qos, int n) {
        return alice().qos(qos).ntasks(n).time("60");
    }

    private long startNow(TestCluster t, JobRequest r) {
        long id = t.submit(r);
        t.c.schedule();
        t.assertState(id, JobState.RUNNING);
        return id;
    }

    private static void assertPreemptedCancelled(TestCluster t, long id) {
        t.assertState(id, JobState.CANCELLED);
        assertEquals("Preempted", t.reason(id));
        assertEquals(t.clock.nowSec(), t.job(id).endTime());
    }

    @Test
    public void onlyAPreemptingQosPreemptsAndOnlyTheQosItLists() throws Exception {
        TestCluster t = cluster(null, modes(PreemptMode.CANCEL, null, null));
        Recorder rec = new Recorder();
        t.c.setLauncher(rec);
        long[] low = new long[3];
        for (int i = 0; i < 3; i++) {
            low[i] = startNow(t, node("low", "cn" + (i + 1)));
            t.c.setPriority("root", low[i], 1000); // equal priorities: the youngest goes first
            t.clock.advance(60);
        }
        long normal = startNow(t, node("normal", "cn4"));

        long mid = t.submit(cpus("mid", 8));
        t.c.schedule();
        t.assertState(mid, JobState.PENDING);
        assertEquals("Resources", t.reason(mid));
        for (long id : low) t.assertState(id, JobState.RUNNING);

        long high = t.submit(cpus("high", 8));
        Controller.PassStats st = t.c.schedule();
        assertEquals(1, st.preempted());
        t.assertState(high, JobState.RUNNING);
        assertEquals("cn3", t.job(high).nodeList());
        assertPreemptedCancelled(t, low[2]);
        assertEquals("the victim is killed like a cancelled job", List.of(low[2] + ":CANCELLED"), rec.terminated);
        assertTrue(rec.launched.contains(high));
        t.assertState(low[0], JobState.RUNNING);
        t.assertState(low[1], JobState.RUNNING);
        t.assertState(mid, JobState.PENDING);

        long high2 = t.submit(cpus("high", 8));
        long high3 = t.submit(cpus("high", 8));
        t.c.schedule();
        t.assertState(high2, JobState.RUNNING);
        t.assertState(high3, JobState.RUNNING);
        assertPreemptedCancelled(t, low[0]);
        assertPreemptedCancelled(t, low[1]);
        // normal is not in high's list, and high does not preempt high
        long high4 = t.submit(cpus("high", 8));
        t.c.schedule();
        t.assertState(high4, JobState.PENDING);
        t.assertState(normal, JobState.RUNNING);
        assertEquals(3, rec.terminated.size());
        // a cancel by the user is not shown as a preemption
        t.c.cancel("alice", normal);
        assertNull(t.reason(normal));
    }

    @Test
    public void cancelEndsTheVictimRequeueQueuesItAgainUnderItsId() throws Exception {
        TestCluster t = cluster(null, modes(PreemptMode.CANCEL, "gpu", PreemptMode.REQUEUE));
        Recorder rec = new Recorder();
        t.c.setLauncher(rec);
        List<Long> cpuLow = new ArrayList<>();
        for (int i = 1; i <= 4; i++) cpuLow.add(startNow(t, node("low", "cn" + i)));
        List<Long> gpuLow = new ArrayList<>();
        for (int i = 1; i <= 2; i++) {
            gpuLow.add(startNow(t, alice().qos("low").partition("gpu").ntasks(32).gres("gpu:a100:4").nodelist("g" + i).time("60")));
        }
        t.clock.advance(300);
        long cpuHigh = t.submit(cpus("high", 8));
        long gpuHigh = t.submit(alice().qos("high").partition("gpu").ntasks(4).gres("gpu:a100:4").time("60"));
        assertEquals(2, t.c.schedule().preempted());
        t.assertState(cpuHigh, JobState.RUNNING);
        t.assertState(gpuHigh, JobState.RUNNING);

        long cancelled = cpuLow.stream().filter(id -> t.state(id) != JobState.RUNNING).findFirst().orElseThrow();
        assertPreemptedCancelled(t, cancelled);
        assertEquals(0, t.job(cancelled).exitCode());
        assertEquals(1, cpuLow.stream().filter(id -> t.state(id) == JobState.CANCELLED).count());

        long requeued = gpuLow.stream().filter(id -> t.state(id) != JobState.RUNNING).findFirst().orElseThrow();
        JobView v = t.job(requeued);
        assertEquals(JobState.PENDING, v.state());
        assertEquals("Preempted", v.reason());
        assertEquals(1, v.requeueCount());
        assertNull(v.nodeList());
        assertFalse("MaxRequeue (0 here) does not hold preempted jobs", v.held());
        assertEquals(2, rec.terminated.size());
        assertEquals(Set.of(cancelled + ":CANCELLED", requeued + ":PENDING"), Set.copyOf(rec.terminated));

        // the next pass gives it an ordinary reason; when the preemptor ends it runs again under its id
        t.c.schedule();
        assertEquals("Resources", t.reason(requeued));
        t.c.jobFinished(gpuHigh, 0, false);
        t.c.schedule();
        t.assertState(requeued, JobState.RUNNING);
        assertEquals(1, t.job(requeued).requeueCount());
        assertEquals(t.clock.nowSec(), t.job(requeued).startTime());
        assertNull(t.reason(requeued));
    }

    @Test
    public void takesTheFewestCheapestVictims() throws Exception {
        TestCluster t = cluster(null, modes(PreemptMode.CANCEL, null, null));
        long l1 = startNow(t, node("low", "cn1"));
        long small = startNow(t, alice().qos("low").ntasks(2).nodelist("cn2").time("60"));
        long big = startNow(t, alice().qos("low").ntasks(6).nodelist("cn2").time("60"));
        long[] quarter = new long[4];
        for (int i = 0; i < 4; i++) quarter[i] = startNow(t, alice().qos("low").ntasks(2).nodelist("cn3").time("60"));
        long normal = startNow(t, node("normal", "cn4"));
        t.c.setPriority("root", l1, 30);
        t.c.setPriority("root", small, 10);
        t.c.setPriority("root", big, 20);
        for (long q : quarter) t.c.setPriority("root", q, 5);

        // 6 CPUs: cn1 needs 1 victim (priority 30), cn2 1 (big, 20; small is freed first but turns out
        // unnecessary), cn3 3 of the quarter jobs, cn4 none possible
        long high = t.submit(cpus("high", 6));
        assertEquals(1, t.c.schedule().preempted());
        t.assertState(high, JobState.RUNNING);
        assertEquals("cn2", t.job(high).nodeList());
        assertPreemptedCancelled(t, big);
        t.assertState(small, JobState.RUNNING);
        t.assertState(l1, JobState.RUNNING);
        for (long q : quarter) t.assertState(q, JobState.RUNNING);
        t.assertState(normal, JobState.RUNNING);
    }

    @Test
    public void amongEqualPrioritiesTheYoungestGoes() throws Exception {
        TestCluster t = cluster(null, modes(PreemptMode.CANCEL, null, null));
        for (int i = 2; i <= 4; i++) startNow(t, node("normal", "cn" + i));
        long older = startNow(t, alice().qos("low").ntasks(4).nodelist("cn1").time("60"));
        t.clock.advance(120);
        long younger = startNow(t, alice().qos("low").ntasks(4).nodelist("cn1").time("60"));
        t.c.setPriority("root", older, 7);
        t.c.setPriority("root", younger, 7);
        long high = t.submit(cpus("high", 4));
        t.c.schedule();
        t.assertState(high, JobState.RUNNING);
        assertPreemptedCancelled(t, younger);
        t.assertState(older, JobState.RUNNING);
    }

    @Test
    public void gpuJobsPreemptGpuHoldersAndExclusiveJobsNeedAWholeNode() throws Exception {
        TestCluster t = cluster(null, modes(PreemptMode.CANCEL, null, null));
        // g1: a low CPU job and a low GPU job; g2: a normal job holding all GPUs
        long cpuOnG1 = startNow(t, alice().qos("low").partition("gpu").ntasks(16).nodelist("g1").time("60"));
        long gpuOnG1 = startNow(t, alice().qos("low").partition("gpu").ntasks(2).gres("gpu:a100:4").nodelist("g1").time("60"));
        long normalOnG2 = startNow(t, alice().partition("gpu").ntasks(2).gres("gpu:a100:4").nodelist("g2").time("60"));
        t.c.setPriority("root", cpuOnG1, 1); // the cheapest, but ending it frees no GPU
        t.c.setPriority("root", gpuOnG1, 50);

        long gpuHigh = t.submit(alice().qos("high").partition("gpu").ntasks(4).gres("gpu:a100:2").time("60"));
        t.c.schedule();
        t.assertState(gpuHigh, JobState.RUNNING);
        assertEquals("g1", t.job(gpuHigh).nodeList());
        assertPreemptedCancelled(t, gpuOnG1);
        t.assertState(cpuOnG1, JobState.RUNNING);
        t.assertState(normalOnG2, JobState.RUNNING);

        // an exclusive job needs a node whose jobs can all be preempted: cn1 (two low jobs), not cn2 (low + normal)
        long a = startNow(t, alice().qos("low").ntasks(2).nodelist("cn1").time("60"));
        long b = startNow(t, alice().qos("low").ntasks(2).nodelist("cn1").time("60"));
        long c = startNow(t, alice().qos("low").ntasks(2).nodelist("cn2").time("60"));
        long d = startNow(t, alice().ntasks(2).nodelist("cn2").time("60"));
        long e = startNow(t, node("normal", "cn3"));
        long f = startNow(t, node("normal", "cn4"));
        long excl = t.submit(alice().qos("high").exclusive(true).ntasks(1).time("60"));
        assertEquals(2, t.c.schedule().preempted());
        t.assertState(excl, JobState.RUNNING);
        assertEquals("cn1", t.job(excl).nodeList());
        assertPreemptedCancelled(t, a);
        assertPreemptedCancelled(t, b);
        for (long id : new long[] {c, d, e, f}) t.assertState(id, JobState.RUNNING);
    }

    @Test
    public void preemptModeOffMeansNoPreemption() throws Exception {
        TestCluster t = cluster(null, null); // the default: PreemptMode=OFF
        for (int i = 1; i <= 4; i++) startNow(t, node("low", "cn" + i));
        long high = t.submit(cpus("high", 8));
        assertEquals(0, t.c.schedule().preempted());
        t.assertState(high, JobState.PENDING);
        assertEquals("Resources", t.reason(high));
        assertEquals(4, t.c.runningCount());

        // a partition can switch it off for its own jobs while the cluster allows it
        TestCluster u = cluster(null, modes(PreemptMode.REQUEUE, "cpu", PreemptMode.OFF));
        for (int i = 1; i <= 4; i++) startNow(u, node("low", "cn" + i));
        long h = u.submit(cpus("high", 8));
        assertEquals(0, u.c.schedule().preempted());
        u.assertState(h, JobState.PENDING);
    }

    @Test
    public void neverPreemptsWhenTheJobCanStartOrIsHeldBackByItsOwnLimits() throws Exception {
        TestCluster t = cluster(null, modes(PreemptMode.CANCEL, null, null));
        long[] low = new long[3];
        for (int i = 0; i < 3; i++) low[i] = startNow(t, node("low", "cn" + (i + 1)));
        long high = t.submit(cpus("high", 8));
        assertEquals(0, t.c.schedule().preempted());
        t.assertState(high, JobState.RUNNING);
        assertEquals("cn4", t.job(high).nodeList());
        for (long id : low) t.assertState(id, JobState.RUNNING);

        // a QoS run limit, not resources, keeps the next job waiting: nothing is preempted for it
        t.c.accountOp("root", new org.scow.crane.ctld.account.AccountStore.Op(
                org.scow.crane.ctld.account.AccountStore.MODIFY_QOS, new String[] {"high"}, new long[] {100, 1}));
        long limited = t.submit(cpus("high", 8));
        assertEquals(0, t.c.schedule().preempted());
        assertEquals("QOSMaxJobsPerUserLimit", t.reason(limited));
        assertEquals("the preempt list is kept when a modification leaves it out",
                List.of("low"), t.c.withAccounts(a -> List.copyOf(a.qos("high").preempt)));
        for (long id : low) t.assertState(id, JobState.RUNNING);
    }

    @Test
    public void preemptListsAreValidated() throws Exception {
        TestCluster t = cluster(null, null);
        TestCluster.expectError(CtldException.Code.NOT_FOUND, () -> t.preempt("high", "nosuch"));
        CtldException self = TestCluster.expectError(CtldException.Code.INVALID_ARGUMENT, () -> t.preempt("high", "high"));
        assertEquals("preempt", self.field());
        t.preempt("mid", "low");
        t.preempt("high", "low", "mid");
        // either would let jobs preempt each other in turn
        CtldException cycle = TestCluster.expectError(CtldException.Code.INVALID_ARGUMENT, () -> t.preempt("low", "high"));
        assertTrue(cycle.getMessage(), cycle.getMessage().contains("'high' already preempts 'low'"));
        TestCluster.expectError(CtldException.Code.INVALID_ARGUMENT, () -> t.preempt("mid", "high"));
        CtldException used = TestCluster.expectError(CtldException.Code.INVALID_STATE, () -> t.c.accountOp("root",
                new org.scow.crane.ctld.account.AccountStore.Op(org.scow.crane.ctld.account.AccountStore.DELETE_QOS,
                        new String[] {"low"}, null)));
        assertTrue(used.getMessage(), used.getMessage().contains("preempt list of QoS 'mid'"));
        // non-operators may not change QoS
        TestCluster.expectError(CtldException.Code.PERMISSION_DENIED, () -> t.c.accountOp("alice",
                new org.scow.crane.ctld.account.AccountStore.Op(org.scow.crane.ctld.account.AccountStore.MODIFY_QOS,
                        new String[] {"mid", ""}, new long[] {50})));
        t.preempt("high");
        assertTrue(t.c.withAccounts(a -> a.qos("high").preempt.isEmpty()));
        assertTrue(t.c.transactionLog().get(t.c.transactionLog().size() - 1).contains("modify-qos [high, ]"));
    }

    @Test
    public void configurationKeys() {
        CtldConfig cfg = CtldConfig.parse("""
                PreemptMode=requeue
                PreemptMaxSearches=5
                Node name=cn[1-2] cpus=8 mem=16G
                Partition name=a nodes=cn1 default=yes
                Partition name=b nodes=cn2 preemptmode=Off
                """);
        CtldConfig.Cluster cl = cfg.buildCluster();
        assertEquals(PreemptMode.REQUEUE, cl.partitionByName.get("a").preemptMode);
        assertEquals(PreemptMode.OFF, cl.partitionByName.get("b").preemptMode);
        assertEquals(5, cfg.preemptMaxSearches);
        assertEquals("the default", PreemptMode.OFF, TestCluster.config().buildCluster().partitions[0].preemptMode);
        CtldException bad = TestCluster.expectError(CtldException.Code.INVALID_ARGUMENT, () -> CtldConfig.parse("PreemptMode=suspend\n"));
        assertTrue(bad.getMessage(), bad.getMessage().contains("line 1") && bad.getMessage().contains("OFF, CANCEL or REQUEUE"));
        bad = TestCluster.expectError(CtldException.Code.INVALID_ARGUMENT, () -> CtldConfig.parse(
                "Node name=n1 cpus=1 mem=1G\nPartition name=p nodes=n1 preemptmode=gang\n"));
        assertTrue(bad.getMessage(), bad.getMessage().contains("line 2") && bad.getMessage().contains("'gang'"));
    }

    // ---- persistence ---------------------------------------------------------------------------------------------

    private static String durable(JobView v) {
        return v.id() + "|" + v.qos() + "|" + v.state() + "|" + (v.state() == JobState.PENDING ? "" : v.reason())
                + "|" + v.nodeList() + "|" + v.startTime() + "|" + v.endTime() + "|" + v.exitCode() + "|" + v.held()
                + "|" + v.requeueCount();
    }

    private static List<String> everything(TestCluster t) {
        List<String> out = new ArrayList<>();
        for (long id = 1; id < 100; id++) {
            JobView v = t.job(id);
            if (v != null) out.add(durable(v));
        }
        for (Controller.NodeView n : t.c.nodes()) out.add(n.toString());
        out.add(t.c.withAccounts(a -> {
            StringBuilder b = new StringBuilder();
            a.allQos().forEach(q -> b.append(q.name).append(q.preempt).append(' '));
            return b.toString();
        }));
        out.addAll(t.c.transactionLog());
        return out;
    }

    private static void preemptingWorkload(TestCluster t) {
        for (int i = 1; i <= 4; i++) t.submit(node("low", "cn" + i));
        for (int i = 1; i <= 2; i++) {
            t.submit(alice().qos("low").partition("gpu").ntasks(32).gres("gpu:a100:4").nodelist("g" + i).time("60"));
        }
        t.c.schedule();
        t.clock.advance(600);
        t.submit(cpus("high", 8));
        t.submit(alice().qos("high").partition("gpu").ntasks(4).gres("gpu:a100:2").time("60"));
        assertEquals(2, t.c.schedule().preempted());
        t.clock.advance(60);
    }

    @Test
    public void replayAfterARestartReproducesThePreemptions() throws Exception {
        Path dir = tmp.newFolder().toPath();
        Consumer<CtldConfig> cfg = modes(PreemptMode.CANCEL, "gpu", PreemptMode.REQUEUE);
        TestCluster t = cluster(dir, cfg);
        preemptingWorkload(t);
        List<String> before = everything(t);
        assertTrue(String.join("\n", before), before.stream().anyMatch(s -> s.contains("|CANCELLED|Preempted|")));
        t.c.close();

        TestCluster r = cluster(dir, cfg);
        r.clock.set(t.clock.nowSec());
        assertEquals(before, everything(r));
        // the replayed state schedules on: the requeued victim waits for the GPU node the preemptor holds
        r.c.schedule();
        assertEquals(r.c.runningCount(), t.c.runningCount());
        r.c.close();
    }

    @Test
    public void aSnapshotKeepsPreemptListsAndPreemptedJobs() throws Exception {
        Path dir = tmp.newFolder().toPath();
        Consumer<CtldConfig> cfg = modes(PreemptMode.REQUEUE, "cpu", PreemptMode.CANCEL);
        TestCluster t = cluster(dir, cfg);
        t.qos("top", 200, 0, 0, 0, 0);
        t.preempt("top", "high", "low"); // exported after every QoS it names exists
        preemptingWorkload(t);
        t.c.snapshot();
        t.submit(alice().name("tail"));
        List<String> before = everything(t);
        t.c.close();
        TestCluster r = cluster(dir, cfg);
        r.clock.set(t.clock.nowSec());
        assertEquals(before, everything(r));
        assertEquals(List.of("high", "low"), r.c.withAccounts(a -> List.copyOf(a.qos("top").preempt)));
        r.c.close();
    }
}
