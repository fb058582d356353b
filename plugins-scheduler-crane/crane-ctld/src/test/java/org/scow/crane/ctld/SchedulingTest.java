package org.scow.crane.ctld;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.scow.crane.ctld.TestCluster.T0;
import static org.scow.crane.ctld.TestCluster.alice;

import org.junit.Test;
import org.scow.crane.ctld.model.JobRequest;
import org.scow.crane.protocol.JobState;

public class SchedulingTest {
    private static JobRequest whole(String user, String account) {
        return new JobRequest(user, account).nodes(4).ntasksPerNode(8).time("60");
    }

    @Test
    public void higherQosPriorityRunsFirst() throws Exception {
        TestCluster t = new TestCluster();
        t.qos("high", 100, 0, 0, 0, 0);
        long low = t.submit(whole("alice", "phys").name("low"));
        long high = t.submit(whole("alice", "phys").name("high").qos("high"));
        t.c.schedule();
        t.assertState(high, JobState.RUNNING);
        t.assertState(low, JobState.PENDING);
        assertEquals("Resources", t.reason(low));
        assertTrue(t.job(high).priority() > t.job(low).priority());
    }

    @Test
    public void fairShareFavoursTheAccountThatUsedLess() throws Exception {
        TestCluster t = new TestCluster();
        long big = t.submit(whole("alice", "phys").time("10:00:00"));
        t.c.schedule();
        t.assertState(big, JobState.RUNNING);
        t.clock.advance(5 * 3600);
        t.c.jobFinished(big, 0, false);
        long physJob = t.submit(whole("alice", "phys"));
        long chemJob = t.submit(whole("carol", "chem"));
        t.c.schedule();
        assertTrue(t.c.fairShare("phys") < t.c.fairShare("chem"));
        assertEquals(1.0, t.c.fairShare("chem"), 1e-9);
        t.assertState(chemJob, JobState.RUNNING);
        t.assertState(physJob, JobState.PENDING);
    }

    @Test
    public void usageDecaysWithHalfLife() throws Exception {
        TestCluster t = new TestCluster(null, cfg -> cfg.fairShareHalfLifeSec = 1800);
        long a = t.submit(whole("alice", "phys"));
        t.c.schedule();
        t.clock.advance(1800);
        t.c.jobFinished(a, 0, false);
        long b = t.submit(whole("carol", "chem").time("30"));
        t.c.schedule();
        t.clock.advance(1800);
        t.c.jobFinished(b, 0, false);
        // both used 32 CPUs x 30 min, chem later: phys' usage has decayed by half-life, so phys now ranks higher
        t.c.schedule();
        double phys = t.c.fairShare("phys");
        double chem = t.c.fairShare("chem");
        assertTrue(phys + " vs " + chem, phys > chem);
        // F = 2^(-usageShare/0.5) with phys' usage share 1/3 (it decayed to half of chem's)
        assertEquals(Math.pow(2, -(1.0 / 3) / 0.5), phys, 1e-6);
    }

    @Test
    public void ageAdminOverrideAndNice() throws Exception {
        TestCluster t = new TestCluster();
        long first = t.submit(whole("alice", "phys"));
        t.clock.advance(86400);
        long second = t.submit(whole("alice", "phys"));
        long third = t.submit(whole("alice", "phys"));
        t.c.schedule();
        t.assertState(first, JobState.RUNNING);
        assertTrue(t.job(second).priority() == t.job(third).priority());
        t.c.cancel("alice", first);
        t.clock.advance(60);
        // nice lowers the older job below the newer one
        t.c.setNice("alice", second, 5000);
        TestCluster.expectError(CtldException.Code.PERMISSION_DENIED, () -> t.c.setNice("alice", third, -10));
        TestCluster.expectError(CtldException.Code.PERMISSION_DENIED, () -> t.c.setPriority("alice", third, 5));
        t.c.schedule();
        t.assertState(third, JobState.RUNNING);
        t.c.cancel("alice", third);
        long fourth = t.submit(whole("alice", "phys"));
        t.c.setPriority("root", fourth, 1_000_000);
        t.c.setNice("root", second, 0);
        t.c.schedule();
        t.assertState(fourth, JobState.RUNNING);
        assertEquals(1_000_000, t.job(fourth).priority());
        t.assertState(second, JobState.PENDING);
    }

    @Test
    public void backfillFillsTheGapWithoutDelayingTheTopJob() throws Exception {
        TestCluster t = new TestCluster();
        long r1 = t.submit(alice().name("r1").nodes(3).ntasksPerNode(8).time("60"));
        t.c.schedule();
        t.assertState(r1, JobState.RUNNING);
        long top = t.submit(alice().name("top").nodes(4).ntasksPerNode(8).time("60"));
        long s1 = t.submit(alice().name("s1").ntasks(4).time("30"));
        long s2 = t.submit(alice().name("s2").ntasks(4).time("120"));
        long s3 = t.submit(alice().name("s3").ntasks(4).time("20"));
        t.c.schedule();
        t.assertState(top, JobState.PENDING);
        assertEquals("Resources", t.reason(top));
        assertEquals(T0 + 3600, t.job(top).expectedStart());
        t.assertState(s1, JobState.RUNNING);
        t.assertState(s3, JobState.RUNNING);
        // s2 would still hold cn4 when top is due to start
        t.assertState(s2, JobState.PENDING);
        assertEquals("Priority", t.reason(s2));
        assertEquals("cn4", t.job(s1).nodeList());
        assertTrue(t.job(s2).expectedStart() >= T0 + 3600 + 3600);
        // at the reserved time everything before top has ended: top starts exactly then
        t.clock.set(T0 + 3600);
        t.c.schedule();
        assertEquals(JobState.TIMEOUT, t.state(r1));
        t.assertState(top, JobState.RUNNING);
        assertEquals(T0 + 3600, t.job(top).startTime());
        t.assertState(s2, JobState.PENDING);
    }

    @Test
    public void gpuJobsArePlacedBestFit() throws Exception {
        TestCluster t = new TestCluster();
        long j1 = t.submit(alice().partition("gpu").gres("gpu:a100:1").nodelist("g2"));
        t.c.schedule();
        assertEquals("g2", t.job(j1).nodeList());
        long j2 = t.submit(alice().partition("gpu").gres("gpu:a100:1"));
        long j3 = t.submit(alice().partition("gpu").gres("gpu:4"));
        t.c.schedule();
        // g2 has 3 free, g1 has 4: best fit puts j2 on g2 and keeps g1 whole for the 4-GPU job
        assertEquals("g2", t.job(j2).nodeList());
        t.assertState(j3, JobState.RUNNING);
        assertEquals("g1", t.job(j3).nodeList());
        Controller.NodeView g1 = t.c.nodes().stream().filter(n -> n.name().equals("g1")).findFirst().orElseThrow();
        assertEquals(4, g1.gpusAlloc());
        long j4 = t.submit(alice().partition("gpu").gres("gpu:a100:3"));
        t.c.schedule();
        t.assertState(j4, JobState.PENDING);
        assertEquals("Resources", t.reason(j4));
    }

    @Test
    public void cpuJobsPreferNodesWithoutGpus() throws Exception {
        TestCluster t = new TestCluster();
        long[] ids = new long[4];
        for (int i = 0; i < 4; i++) ids[i] = t.submit(alice().partition("all").ntasks(8));
        long gpuJob = t.submit(alice().partition("all").gres("gpu:a100:4"));
        long fifth = t.submit(alice().partition("all").ntasks(8));
        t.c.schedule();
        for (long id : ids) assertTrue(t.job(id).nodeList().startsWith("cn"));
        assertTrue(t.job(gpuJob).nodeList().startsWith("g"));
        assertTrue(t.job(fifth).nodeList().startsWith("g"));
    }

    @Test
    public void exclusiveTakesWholeNodesAndNodelistExcludeAreHonoured() throws Exception {
        TestCluster t = new TestCluster();
        long ex = t.submit(alice().exclusive(true).ntasks(1));
        long other = t.submit(alice().ntasks(1).nodelist("cn1"));
        long excl = t.submit(alice().ntasks(1).exclude("cn1,cn2"));
        t.c.schedule();
        t.assertState(ex, JobState.RUNNING);
        assertEquals("cn1", t.job(ex).nodeList());
        t.assertState(other, JobState.PENDING);
        assertEquals("cn3", t.job(excl).nodeList());
        Controller.NodeView cn1 = t.c.nodes().get(0);
        assertEquals(8, cn1.cpusAlloc());
        assertEquals(org.scow.crane.ctld.model.NodeState.ALLOC, cn1.state());
        t.c.jobFinished(ex, 0, false);
        t.c.schedule();
        t.assertState(other, JobState.RUNNING);
        assertEquals(org.scow.crane.ctld.model.NodeState.MIX, t.c.nodes().get(0).state());
    }

    @Test
    public void timeLimitIsEnforced() throws Exception {
        TestCluster t = new TestCluster();
        long j = t.submit(alice().ntasks(8).time("10"));
        long k = t.submit(alice().ntasks(8).time("10"));
        t.c.schedule();
        t.assertState(j, JobState.RUNNING);
        t.c.setTimeLimit("alice", k, "5");
        TestCluster.expectError(CtldException.Code.PERMISSION_DENIED, () -> t.c.setTimeLimit("alice", j, "20"));
        t.c.setTimeLimit("root", j, "20");
        t.clock.advance(11 * 60);
        t.c.schedule();
        t.assertState(j, JobState.RUNNING);
        assertEquals(JobState.TIMEOUT, t.state(k));
        t.clock.advance(9 * 60);
        Controller.PassStats st = t.c.schedule();
        assertEquals(1, st.timedOut());
        assertEquals(JobState.TIMEOUT, t.state(j));
        assertEquals(143, t.job(j).exitCode());
        assertEquals(0, t.c.nodes().get(0).cpusAlloc());
    }

    @Test
    public void holdAndRelease() throws Exception {
        TestCluster t = new TestCluster();
        long h = t.submit(alice().hold(true));
        t.c.schedule();
        assertEquals("JobHeldUser", t.reason(h));
        t.c.release("alice", h);
        t.c.schedule();
        t.assertState(h, JobState.RUNNING);
        long a = t.submit(alice());
        t.c.hold("root", a);
        t.c.schedule();
        assertEquals("JobHeldAdmin", t.reason(a));
        TestCluster.expectError(CtldException.Code.PERMISSION_DENIED, () -> t.c.release("alice", a));
        TestCluster.expectError(CtldException.Code.PERMISSION_DENIED, () -> t.c.hold("carol", a));
        TestCluster.expectError(CtldException.Code.INVALID_STATE, () -> t.c.hold("alice", h));
        t.c.release("root", a);
        t.c.schedule();
        t.assertState(a, JobState.RUNNING);
    }

    @Test
    public void beginTimeDelaysStart() throws Exception {
        TestCluster t = new TestCluster();
        long j = t.submit(alice().begin(T0 + 600));
        t.c.schedule();
        assertEquals("BeginTime", t.reason(j));
        t.clock.advance(600);
        t.c.schedule();
        t.assertState(j, JobState.RUNNING);
    }

    @Test
    public void partitionDownAndNodeDrainDown() throws Exception {
        TestCluster t = new TestCluster();
        t.c.setPartitionUp("root", "cpu", false);
        long j = t.submit(alice());
        t.c.schedule();
        assertEquals("PartitionDown", t.reason(j));
        t.c.setPartitionUp("root", "cpu", true);
        for (String n : new String[] {"cn1", "cn2", "cn3"}) t.c.drainNode("root", n, "maintenance");
        t.c.schedule();
        assertEquals("cn4", t.job(j).nodeList());
        long rq = t.submit(alice().requeue(true));
        t.c.schedule();
        assertEquals("cn4", t.job(rq).nodeList());
        TestCluster.expectError(CtldException.Code.PERMISSION_DENIED, () -> t.c.downNode("alice", "cn4", "x"));
        t.c.downNode("root", "cn4", "power loss");
        assertEquals(JobState.NODE_FAIL, t.state(j));
        t.assertState(rq, JobState.PENDING);
        assertEquals(1, t.job(rq).requeueCount());
        assertEquals(org.scow.crane.ctld.model.NodeState.DOWN, t.c.nodes().get(3).state());
        assertEquals("power loss", t.c.nodes().get(3).reason());
        t.c.resumeNode("root", "cn1");
        t.c.schedule();
        assertEquals("cn1", t.job(rq).nodeList());
    }

    @Test
    public void cancelByIdAndFilterWithPermissions() throws Exception {
        TestCluster t = new TestCluster();
        long a = t.submit(alice());
        long b = t.submit(new JobRequest("bob", "phys"));
        long c = t.submit(new JobRequest("carol", "chem"));
        TestCluster.expectError(CtldException.Code.PERMISSION_DENIED, () -> t.c.cancel("bob", a));
        t.c.cancel("alice", a);
        assertEquals(JobState.CANCELLED, t.state(a));
        TestCluster.expectError(CtldException.Code.INVALID_STATE, () -> t.c.cancel("alice", a));
        TestCluster.expectError(CtldException.Code.NOT_FOUND, () -> t.c.cancel("alice", 999));
        // carol's filter over account phys matches nothing she may control
        assertEquals(0, t.c.cancelWhere("carol", new Controller.JobFilter(null, "phys", null, null, null)));
        assertEquals(1, t.c.cancelWhere("root", new Controller.JobFilter(null, "phys", null, null, JobState.PENDING)));
        assertEquals(JobState.CANCELLED, t.state(b));
        t.assertState(c, JobState.PENDING);
        TestCluster.expectError(CtldException.Code.INVALID_ARGUMENT, () -> t.c.cancelWhere("root", new Controller.JobFilter(null, null, null, null, null)));
        assertEquals(2, t.c.history(T0, T0 + 1, 0, 10).size());
        assertEquals(1, t.c.history(T0, T0 + 1, 1, 10).size());
    }
}
