package org.scow.crane.ctld;

import static org.junit.Assert.assertEquals;

import org.junit.Test;
import org.scow.crane.protocol.JobState;

/**
 * A requeued job keeps its place: among jobs of the same priority it runs before the jobs submitted after it, as it
 * would have without the requeue (its original eligible time), not behind them.
 */
public class RequeueOrderTest {

    @Test
    public void requeuedJobRunsBeforeLaterJobsOfTheSamePriority() throws Exception {
        TestCluster t = new TestCluster();
        // one node's worth of CPUs each, all on cn1: one runs at a time
        long first = t.submit(TestCluster.alice().cpusPerTask(8).nodelist("cn1").requeue(true));
        t.c.schedule();
        assertEquals(JobState.RUNNING, t.job(first).state());
        long second = t.submit(TestCluster.alice().cpusPerTask(8).nodelist("cn1"));
        long third = t.submit(TestCluster.alice().cpusPerTask(8).nodelist("cn1"));
        t.c.schedule(); // a pass after the start: the started job leaves the pending list
        t.c.schedule();
        t.c.downNode("root", "cn1", "test");
        assertEquals(JobState.PENDING, t.job(first).state());
        assertEquals(1, t.job(first).requeueCount());
        t.c.resumeNode("root", "cn1");
        t.c.schedule();
        assertEquals(t.job(first).priority(), t.job(second).priority()); // a tie: only the place decides
        assertEquals(JobState.RUNNING, t.job(first).state());
        assertEquals(JobState.PENDING, t.job(second).state());
        assertEquals(JobState.PENDING, t.job(third).state());
    }
}
