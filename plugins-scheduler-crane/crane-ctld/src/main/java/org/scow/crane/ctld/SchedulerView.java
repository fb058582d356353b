package org.scow.crane.ctld;

import java.util.List;
import org.scow.crane.ctld.account.AccountStore;
import org.scow.crane.ctld.model.Dependency;
import org.scow.crane.ctld.model.Job;

/**
 * What a scheduling pass reads: the queues (pending in submission order; running possibly with entries that ended
 * since the last compaction, so test the state), the account tree and dependency states. The pass does not change
 * them through this view; it writes only the per-pass annotations of pending jobs (priority, reason, expected
 * start) and the accounts' fair-share factors, which are derived, recomputed every pass and never journaled. Its
 * starts and preemptions go to {@link SchedulingDecisions}.
 */
interface SchedulerView {
    List<Job> pending();

    List<Job> running();

    AccountStore accounts();

    /** Evaluates a job's dependencies (it remembers once they are satisfied). */
    Dependency.Status dependencyStatus(Job j);
}
