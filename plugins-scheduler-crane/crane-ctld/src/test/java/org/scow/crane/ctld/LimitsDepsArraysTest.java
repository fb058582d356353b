package org.scow.crane.ctld;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.scow.crane.ctld.TestCluster.alice;
import static org.scow.crane.ctld.TestCluster.expectError;

import java.util.List;
import java.util.Set;
import org.junit.Test;
import org.scow.crane.ctld.model.JobRequest;
import org.scow.crane.protocol.JobState;

public class LimitsDepsArraysTest {
    @Test
    public void qosRunAndSubmitLimits() throws Exception {
        TestCluster t = new TestCluster();
        t.qos("lim", 0, 2, 3, 0, 0);
        long a = t.submit(alice().qos("lim"));
        long b = t.submit(alice().qos("lim"));
        long c = t.submit(alice().qos("lim"));
        CtldException e = expectError(CtldException.Code.LIMIT_EXCEEDED, () -> t.submit(alice().qos("lim")));
        assertTrue(e.getMessage(), e.getMessage().contains("3 submitted jobs per user"));
        // another user is not affected by alice's counters
        long other = t.submit(new JobRequest("bob", "phys").qos("lim"));
        t.c.schedule();
        t.assertState(a, JobState.RUNNING);
        t.assertState(b, JobState.RUNNING);
        t.assertState(c, JobState.PENDING);
        assertEquals("QOSMaxJobsPerUserLimit", t.reason(c));
        t.assertState(other, JobState.RUNNING);
        t.c.jobFinished(a, 0, false);
        t.c.schedule();
        t.assertState(c, JobState.RUNNING);
        // a finished job frees a submit slot
        t.submit(alice().qos("lim"));
    }

    @Test
    public void qosCpuAndAccountLimits() throws Exception {
        TestCluster t = new TestCluster();
        t.qos("cpu12", 0, 0, 0, 12, 0);
        long a = t.submit(alice().qos("cpu12").ntasks(8));
        long b = t.submit(alice().qos("cpu12").ntasks(8));
        long small = t.submit(alice().qos("cpu12").ntasks(4));
        t.c.schedule();
        t.assertState(a, JobState.RUNNING);
        assertEquals("QOSMaxCpuPerUserLimit", t.reason(b));
        t.assertState(small, JobState.RUNNING);
        t.qos("acct1", 0, 0, 0, 0, 1);
        long x = t.submit(alice().qos("acct1"));
        long y = t.submit(new JobRequest("bob", "phys").qos("acct1"));
        t.c.schedule();
        t.assertState(x, JobState.RUNNING);
        assertEquals("QOSMaxJobsPerAccountLimit", t.reason(y));
    }

    @Test
    public void dependenciesAndOrAndNever() throws Exception {
        TestCluster t = new TestCluster();
        long a = t.submit(alice().name("a"));
        long b = t.submit(alice().name("b"));
        long afterOk = t.submit(alice().dependency("afterok:" + a));
        long notOk = t.submit(alice().dependency("afternotok:" + a));
        long any = t.submit(alice().dependency("afterany:" + a + ":" + b));
        long or = t.submit(alice().dependency("afterok:" + a + "?afterok:" + b));
        long started = t.submit(alice().dependency("after:" + b));
        t.c.schedule();
        t.assertState(a, JobState.RUNNING);
        t.assertState(b, JobState.RUNNING);
        for (long id : new long[] {afterOk, notOk, any, or}) assertEquals("Dependency", t.reason(id));
        t.c.schedule();
        t.assertState(started, JobState.RUNNING);
        t.c.jobFinished(b, 0, false);
        t.c.schedule();
        t.assertState(or, JobState.RUNNING);
        assertEquals("Dependency", t.reason(any));
        t.c.jobFinished(a, 1, false);
        assertEquals(JobState.FAILED, t.state(a));
        t.c.schedule();
        assertEquals("DependencyNeverSatisfied", t.reason(afterOk));
        t.assertState(notOk, JobState.RUNNING);
        t.assertState(any, JobState.RUNNING);
    }

    @Test
    public void arraysExpandAndRespectMaxConcurrent() throws Exception {
        TestCluster t = new TestCluster();
        Controller.Submitted s = t.c.submit("alice", alice().array("1-9:2%2").name("arr"));
        assertEquals(5, s.tasks());
        List<JobView> tasks = t.c.jobs(v -> v.arrayJobId() == s.jobId());
        assertEquals(5, tasks.size());
        assertEquals(s.jobId() + "_1", tasks.get(0).displayId());
        assertEquals(s.jobId() + "_9", tasks.get(4).displayId());
        t.c.schedule();
        long running = t.c.jobs(v -> v.state() == JobState.RUNNING).size();
        assertEquals(2, running);
        assertEquals("JobArrayTaskLimit", tasks.stream().map(v -> t.job(v.id())).filter(v -> v.state() == JobState.PENDING)
                .findFirst().orElseThrow().reason());
        long dep = t.submit(alice().dependency("afterok:" + s.jobId()));
        for (int round = 0; round < 3; round++) {
            for (JobView v : t.c.jobs(v -> v.state() == JobState.RUNNING && v.arrayJobId() == s.jobId())) {
                t.c.jobFinished(v.id(), 0, false);
            }
            t.c.schedule();
        }
        assertEquals(5, t.c.history(0, Long.MAX_VALUE, 0, 100).stream().filter(v -> v.arrayJobId() == s.jobId()
                && v.state() == JobState.COMPLETED).count());
        t.assertState(dep, JobState.RUNNING);
        // an array bigger than MaxArraySize is refused whole
        expectError(CtldException.Code.INVALID_ARGUMENT, () -> t.submit(alice().array("0-10000")));
    }

    @Test
    public void blockAccountPartitionAndUser() throws Exception {
        TestCluster t = new TestCluster();
        long pending = t.submit(alice().hold(true));
        t.c.blockAccount("root", "phys", true);
        CtldException e = expectError(CtldException.Code.BLOCKED, () -> t.submit(alice()));
        assertTrue(e.getMessage(), e.getMessage().contains("account 'phys' is blocked"));
        t.c.release("alice", pending);
        t.c.schedule();
        assertEquals("AccountBlocked", t.reason(pending));
        t.c.blockAccount("root", "phys", false);
        t.c.schedule();
        t.assertState(pending, JobState.RUNNING);

        t.c.blockAccountIn("root", "phys", Set.of("gpu"), true);
        e = expectError(CtldException.Code.BLOCKED, () -> t.submit(alice().partition("gpu")));
        assertTrue(e.getMessage(), e.getMessage().contains("blocked in partition 'gpu'"));
        t.submit(alice().partition("cpu"));
        t.c.blockAccountIn("root", "phys", Set.of("gpu"), false);
        t.submit(alice().partition("gpu"));

        t.c.blockUser("root", "alice", "phys", true);
        e = expectError(CtldException.Code.BLOCKED, () -> t.submit(alice()));
        assertTrue(e.getMessage(), e.getMessage().contains("user 'alice' is blocked in account 'phys'"));
        t.submit(new JobRequest("bob", "phys"));
        t.c.blockUser("root", "alice", "phys", false);
        t.submit(alice());

        // blocking a parent blocks its subtree; unblocking the whole account lifts per-partition blocks too
        t.c.addAccount("root", "phys-sub", "phys", null, null);
        t.c.addUser("root", "dave", "phys-sub");
        t.c.blockAccount("root", "phys", true);
        expectError(CtldException.Code.BLOCKED, () -> t.submit(new JobRequest("dave", "phys-sub")));
        t.c.blockAccountIn("root", "phys", Set.of("cpu"), true);
        t.c.blockAccount("root", "phys", false);
        t.submit(new JobRequest("dave", "phys-sub").partition("gpu"));
        t.submit(new JobRequest("dave", "phys-sub").partition("cpu"));

        // only operators or coordinators may block; the transaction log records who did it
        expectError(CtldException.Code.PERMISSION_DENIED, () -> t.c.blockAccount("alice", "phys", true));
        assertTrue(t.c.transactionLog().stream().anyMatch(l -> l.contains("root block-account [phys, null] [1]")));
        t.c.accountOp("root", new org.scow.crane.ctld.account.AccountStore.Op(
                org.scow.crane.ctld.account.AccountStore.SET_COORDINATOR, new String[] {"bob", "phys"}, new long[] {1}));
        t.c.blockUser("bob", "alice", "phys", true);
        expectError(CtldException.Code.PERMISSION_DENIED, () -> t.c.blockUser("bob", "carol", "chem", true));
    }

    @Test
    public void accountAdministrationRules() throws Exception {
        TestCluster t = new TestCluster();
        long j = t.submit(alice());
        expectError(CtldException.Code.INVALID_STATE, () -> t.c.accountOp("root", new org.scow.crane.ctld.account.AccountStore.Op(
                org.scow.crane.ctld.account.AccountStore.DELETE_ACCOUNT, new String[] {"phys"}, null)));
        expectError(CtldException.Code.INVALID_STATE, () -> t.c.accountOp("root", new org.scow.crane.ctld.account.AccountStore.Op(
                org.scow.crane.ctld.account.AccountStore.REMOVE_USER, new String[] {"alice", "phys"}, null)));
        expectError(CtldException.Code.ALREADY_EXISTS, () -> t.c.addUser("root", "alice", "phys"));
        expectError(CtldException.Code.ALREADY_EXISTS, () -> t.c.addAccount("root", "phys", null, null, null));
        expectError(CtldException.Code.NOT_FOUND, () -> t.c.addAccount("root", "x", "nope", null, null));
        expectError(CtldException.Code.INVALID_ARGUMENT, () -> t.c.addAccount("root", "bad name", null, null, null));
        expectError(CtldException.Code.INVALID_ARGUMENT, () -> t.c.addQos("root", "q", -1, 0, 0, 0, 0, 0, null));
        expectError(CtldException.Code.PERMISSION_DENIED, () -> t.c.addQos("alice", "q", 1, 0, 0, 0, 0, 0, null));
        expectError(CtldException.Code.PERMISSION_DENIED, () -> t.c.accountOp("root-not", new org.scow.crane.ctld.account.AccountStore.Op(
                org.scow.crane.ctld.account.AccountStore.SET_LEVEL, new String[] {"alice", "admin"}, null)));
        t.c.cancel("alice", j);
        t.c.accountOp("root", new org.scow.crane.ctld.account.AccountStore.Op(
                org.scow.crane.ctld.account.AccountStore.REMOVE_USER, new String[] {"alice", "phys"}, null));
        expectError(CtldException.Code.PERMISSION_DENIED, () -> t.submit(alice()));
    }
}
