package org.scow.crane.ctld;

import java.util.ArrayList;
import java.util.List;
import org.scow.crane.ctld.account.AccountStore;
import org.scow.crane.ctld.model.Job;
import org.scow.crane.ctld.model.JobDesc;
import org.scow.crane.ctld.model.PreemptMode;
import org.scow.crane.ctld.wal.Event;
import org.scow.crane.protocol.JobState;

/**
 * The live path of an event, after the controller has validated it: apply it to the {@link JobTable}, then append
 * it to the {@link Journal}, in that order and under the controller lock (so log order equals apply order). Also
 * collects the running jobs whose processes must be killed once the lock is released and the records are durable,
 * and is the sink of a scheduling pass's {@link SchedulingDecisions}.
 */
final class LiveEvents implements SchedulingDecisions {
    private final JobTable table;
    private final Journal journal;
    private final AccountStore acct;
    private final TransactionLog txn;
    private final List<Job> toTerminate = new ArrayList<>();

    LiveEvents(JobTable table, Journal journal, AccountStore acct, TransactionLog txn) {
        this.table = table;
        this.journal = journal;
        this.acct = acct;
        this.txn = txn;
    }

    /** Accepts a validated submission under the next id; answers its LSN (or -1 in memory) and the task count. */
    long submit(String actor, JobDesc d, long now, int[] tasksOut) {
        long id = table.nextJobId();
        tasksOut[0] = table.insertSubmitted(d, id, now);
        return journal.append(new Event.Submit(now, actor, id, d));
    }

    @Override
    public void start(Job j, int[] nodes, int[] gres, long now) {
        table.applyStart(j, nodes, gres, now);
        journal.append(new Event.Start(now, j.id, nodes, gres));
    }

    /** The victim's processes are killed through the same {@link Launcher#terminate} path as a cancel. */
    @Override
    public void preempt(Job victim, Job preemptor, PreemptMode mode, long now) {
        table.applyPreempt(victim, preemptor.id, mode, now);
        journal.append(new Event.Preempt(now, victim.id, preemptor.id, mode));
        toTerminate.add(victim);
    }

    /** Ends a job; a run the controller ends itself (cancel, timeout, node failure) is to be terminated. */
    void end(Job j, JobState state, int exitCode, long now, String reason) {
        boolean wasRunning = j.state == JobState.RUNNING;
        j.endReason = reason;
        table.applyEnd(j, state, exitCode, now);
        journal.append(new Event.End(now, j.id, state, exitCode, reason));
        if (wasRunning && state != JobState.COMPLETED && state != JobState.FAILED && state != JobState.OUT_OF_MEMORY) {
            toTerminate.add(j);
        }
    }

    /** Ends a job as its node reported: the node has already killed what was left, so nothing is sent back. */
    void endReported(Job j, JobState state, int exitCode, long now, String reason) {
        end(j, state, exitCode, now, reason);
        toTerminate.remove(j);
    }

    /** A node went down under a running job: requeued when it asked for it (its old run killed), else NODE_FAIL. */
    private void nodeFailed(Job j, long now) {
        if (j.desc.requeue()) {
            table.applyRequeue(j, now, true);
            journal.append(new Event.Requeue(now, j.id));
            toTerminate.add(j);
        } else {
            end(j, JobState.NODE_FAIL, 0, now, null);
        }
    }

    void modify(Job j, String actor, int field, long value, long now) {
        table.applyModify(j, field, value);
        journal.append(new Event.Modify(now, actor, j.id, field, value));
    }

    /** A node state change; a node going down fails (or requeues) its running jobs, each as its own event. */
    void node(String actor, int idx, int op, String reason, long now) {
        table.applyNode(idx, op, reason);
        journal.append(new Event.NodeChange(now, actor, idx, op, reason));
        if (op != Event.NODE_DOWN) return;
        for (Job j : new ArrayList<>(table.running())) {
            if (j.state == JobState.RUNNING && NodeReports.contains(j.allocNodes, idx)) nodeFailed(j, now);
        }
    }

    void partition(String actor, int idx, boolean up, long now) {
        table.applyPartition(idx, up);
        journal.append(new Event.PartitionChange(now, actor, idx, up));
    }

    void account(String actor, AccountStore.Op op, long now) {
        acct.apply(op);
        txn.record(now, actor, op);
        journal.append(new Event.AccountChange(now, actor, op));
    }

    /** The runs to kill collected so far, handed over once (to be terminated outside the lock). */
    List<Job> drainTerminate() {
        if (toTerminate.isEmpty()) return List.of();
        List<Job> l = new ArrayList<>(toTerminate);
        toTerminate.clear();
        return l;
    }
}
