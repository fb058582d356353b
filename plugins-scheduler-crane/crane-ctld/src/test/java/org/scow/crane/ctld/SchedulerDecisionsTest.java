package org.scow.crane.ctld;

import static org.junit.Assert.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.Test;
import org.scow.crane.ctld.account.AccountStore;
import org.scow.crane.ctld.model.Job;
import org.scow.crane.ctld.model.JobRequest;
import org.scow.crane.ctld.model.PendingReason;
import org.scow.crane.ctld.model.PreemptMode;
import org.scow.crane.protocol.JobState;

/**
 * The scheduler works from its read-only {@link SchedulerView} and hands every start to {@link SchedulingDecisions}:
 * here a job table with a recording sink and no controller, lock or journal at all.
 */
public class SchedulerDecisionsTest {
    @Test
    public void aPassReadsTheViewAndReturnsItsStartsAsDecisions() {
        CtldConfig cfg = TestCluster.config();
        CtldConfig.Cluster cluster = cfg.buildCluster();
        AccountStore acct = new AccountStore(cluster.partitionByName::containsKey);
        acct.apply(new AccountStore.Op(AccountStore.ADD_ACCOUNT, new String[] {"phys", null, null, null, null, null}, null));
        acct.apply(new AccountStore.Op(AccountStore.ADD_USER, new String[] {"alice", "phys", null, null, null}, null));
        JobTable table = new JobTable(cfg, cluster, acct);
        SubmissionValidator validator = new SubmissionValidator(cfg, cluster, acct, table, cfg.jobUserPolicy());
        long now = TestCluster.T0;
        for (int i = 0; i < 5; i++) {
            JobRequest r = new JobRequest("alice", "phys");
            r.cpusPerTask = 8; // a whole cn node each: 4 fit in partition cpu
            table.insertSubmitted(validator.validate("alice", r, now), table.nextJobId(), now);
        }
        List<String> decided = new ArrayList<>();
        SchedulingDecisions sink = new SchedulingDecisions() {
            @Override
            public void start(Job j, int[] nodes, int[] gres, long t) {
                decided.add("start " + j.id + " on " + cluster.nodes[nodes[0]].name);
                table.applyStart(j, nodes, gres, t);
            }

            @Override
            public void preempt(Job victim, Job preemptor, PreemptMode mode, long t) {
                decided.add("preempt " + victim.id);
            }
        };
        Scheduler.Outcome o = new Scheduler(cfg, cluster).pass(now, table, sink);
        assertEquals(List.of("start 1 on cn1", "start 2 on cn2", "start 3 on cn3", "start 4 on cn4"), decided);
        assertEquals(4, o.started());
        assertEquals(List.of(1L, 2L, 3L, 4L), o.startedJobs().stream().map(j -> j.id).toList());
        // what the scheduler itself writes are the pending job's annotations: why it waits, and when it may start
        Job waiting = table.live(5);
        assertEquals(JobState.PENDING, waiting.state);
        assertEquals(PendingReason.RESOURCES, waiting.reason);
        assertEquals(now + 3600, waiting.expectedStart);
        assertEquals(1, table.pendingCount());
    }
}
