package org.scow.crane.ctld;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.scow.crane.ctld.TestCluster.alice;
import static org.scow.crane.ctld.TestCluster.expectError;

import org.junit.Test;
import org.scow.crane.ctld.CtldException.Code;
import org.scow.crane.ctld.model.JobRequest;
import org.scow.crane.protocol.JobState;

public class SubmitValidationTest {
    @Test
    public void badInputIsRejectedWithClearErrorsAndNoStateChange() throws Exception {
        TestCluster t = new TestCluster();
        Controller c = t.c;
        Object[][] cases = {
            {Code.INVALID_ARGUMENT, "timeLimit", alice().time("1:2:3:4")},
            {Code.INVALID_ARGUMENT, "timeLimit", alice().time("-10")},
            {Code.INVALID_ARGUMENT, "nodes", alice().nodes(-1)},
            {Code.INVALID_ARGUMENT, "nodes", alice().nodes(0)},
            {Code.INVALID_ARGUMENT, "cpusPerTask", alice().cpusPerTask(-4)},
            {Code.INVALID_ARGUMENT, "ntasks", alice().ntasks(-2)},
            {Code.INVALID_ARGUMENT, "gres", alice().partition("gpu").gres("gpu:a100:-1")},
            {Code.INVALID_ARGUMENT, "mem", alice().mem("lots")},
            {Code.NOT_FOUND, "partition", alice().partition("nope")},
            {Code.NOT_FOUND, "account", new JobRequest("alice", "nope")},
            {Code.NOT_FOUND, "qos", alice().qos("gold")},
            {Code.INVALID_ARGUMENT, "array", alice().array("0-20000")},
            {Code.INVALID_ARGUMENT, "array", alice().array("1-x")},
            {Code.INVALID_ARGUMENT, "dependency", alice().dependency("sometime:1")},
            {Code.NOT_FOUND, "dependency", alice().dependency("afterok:999")},
            {Code.INVALID_ARGUMENT, "workDir", alice().workDir("relative/dir")},
            {Code.INVALID_ARGUMENT, "name", alice().name("bad\nname")},
            {Code.INVALID_ARGUMENT, "script", alice().script("  ")},
            {Code.INVALID_ARGUMENT, "env", alice().env("1BAD", "x")},
            {Code.NOT_FOUND, "nodelist", alice().nodelist("zz9")},
            {Code.INVALID_ARGUMENT, "nodelist", alice().nodelist("g1")},
            {Code.IMPOSSIBLE, "resources", alice().nodes(5)},
            {Code.IMPOSSIBLE, "resources", alice().cpusPerTask(9)},
            {Code.IMPOSSIBLE, "resources", alice().mem("17G")},
            {Code.IMPOSSIBLE, "resources", alice().partition("gpu").gres("gpu:a100:5")},
            {Code.NOT_FOUND, "gres", alice().gres("gpu:h100:1")},
            {Code.IMPOSSIBLE, "resources", alice().nodes(2).nodelist("cn1")},
            {Code.LIMIT_EXCEEDED, "timeLimit", alice().partition("gpu").time("3-0")},
            {Code.PERMISSION_DENIED, null, new JobRequest("carol", "phys")},
        };
        for (Object[] k : cases) {
            JobRequest r = (JobRequest) k[2];
            CtldException e = expectError((Code) k[0], () -> c.submit(r.user, r));
            assertEquals(e.getMessage(), k[1], e.field());
        }
        // someone else's identity
        expectError(Code.PERMISSION_DENIED, () -> c.submit("bob", alice()));
        assertEquals(0, c.liveCount());
        // the next valid job gets the first id: rejected ones consumed nothing
        assertEquals(1, t.submit(alice()));
        assertEquals(1, c.liveCount());
        t.c.schedule();
        t.assertState(1, JobState.RUNNING);
    }

    @Test
    public void batchSubmitReportsPerJobOutcomes() throws Exception {
        TestCluster t = new TestCluster();
        var out = t.c.submitBatch("alice", java.util.List.of(alice(), alice().nodes(-3), alice().array("1-3")));
        assertTrue(out.get(0) instanceof Controller.Submitted);
        assertTrue(out.get(1) instanceof CtldException);
        Controller.Submitted arr = (Controller.Submitted) out.get(2);
        assertEquals(2, arr.jobId());
        assertEquals(3, arr.tasks());
        assertEquals(4, t.c.liveCount());
    }

    @Test
    public void maxWallOfQosIsEnforcedAtSubmit() throws Exception {
        TestCluster t = new TestCluster();
        t.c.addQos("root", "short", 0, 0, 0, 0, 0, 0, "30");
        // the account tree restricts children to the parent's QoS
        expectError(Code.INVALID_ARGUMENT, () -> t.c.accountOp("root", new org.scow.crane.ctld.account.AccountStore.Op(
                org.scow.crane.ctld.account.AccountStore.MODIFY_ACCOUNT, new String[] {"phys", null, null, "normal,short"}, null)));
        CtldException e = expectError(Code.PERMISSION_DENIED, () -> t.submit(alice().qos("short").time("10")));
        assertTrue(e.getMessage().contains("not allowed"));
        // root's QoS list must contain it first: the account tree restricts children to the parent's QoS
        t.c.accountOp("root", new org.scow.crane.ctld.account.AccountStore.Op(
                org.scow.crane.ctld.account.AccountStore.MODIFY_ACCOUNT, new String[] {"root", null, null, "normal,short"}, null));
        t.c.accountOp("root", new org.scow.crane.ctld.account.AccountStore.Op(
                org.scow.crane.ctld.account.AccountStore.MODIFY_ACCOUNT, new String[] {"phys", null, null, "normal,short"}, null));
        long ok = t.submit(alice().qos("short").time("30"));
        assertEquals(JobState.PENDING, t.state(ok));
        e = expectError(Code.LIMIT_EXCEEDED, () -> t.submit(alice().qos("short").time("31")));
        assertTrue(e.getMessage(), e.getMessage().contains("max wall"));
    }
}
