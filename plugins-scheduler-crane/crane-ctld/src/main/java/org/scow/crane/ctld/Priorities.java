package org.scow.crane.ctld;

import java.util.List;
import org.scow.crane.ctld.account.Account;
import org.scow.crane.ctld.account.AccountStore;
import org.scow.crane.ctld.account.Qos;
import org.scow.crane.ctld.model.Dependency;
import org.scow.crane.ctld.model.Job;
import org.scow.crane.ctld.model.Partition;
import org.scow.crane.ctld.model.PendingReason;
import org.scow.crane.protocol.JobState;

/**
 * The first half of a scheduling pass, split from {@link Scheduler}: fair-share factors from decayed usage, who is
 * eligible (and why not), and the multifactor priority of every pending job as packed sort keys. Runs under the
 * controller lock like the rest of the pass.
 */
final class Priorities {
    /** Bits of the queue index in a sort key: the pending list holds at most 2^22 jobs (MaxPendingJobs). */
    static final int IDX_BITS = 22;
    static final long MAX_PRIO = (1L << (63 - IDX_BITS)) - 1;

    private final CtldConfig cfg;
    private final CtldConfig.Cluster cluster;
    /** Sort keys of the last {@link #prioritize}; reused from pass to pass. */
    private long[] keys = new long[1024];

    Priorities(CtldConfig cfg, CtldConfig.Cluster cluster) {
        this.cfg = cfg;
        this.cluster = cluster;
    }

    /** The sort keys filled by the last {@link #prioritize} (the first {@code m} of them). */
    long[] keys() {
        return keys;
    }

    void updateFairShare(long now, AccountStore acct) {
        double h = cfg.fairShareHalfLifeSec;
        Account root = acct.account(AccountStore.ROOT);
        double total = subtreeUsage(root, now, h);
        setFactors(root, 1.0, total);
    }

    /** Stores each account's subtree usage in fsFactor temporarily (then overwritten by setFactors). */
    private double subtreeUsage(Account a, long now, double h) {
        double own = a.usage * Math.pow(2, -Math.max(0, now - a.usageTime) / h) + Math.max(0, a.runRate * now - a.runRateStartSum);
        for (Account ch : a.children) own += subtreeUsage(ch, now, h);
        a.fsFactor = own;
        return own;
    }

    private void setFactors(Account a, double shareNorm, double total) {
        double usageNorm = total > 0 ? a.fsFactor / total : 0;
        a.fsFactor = shareNorm > 0 ? Math.pow(2, -usageNorm / shareNorm) : 0;
        long sum = 0;
        for (Account ch : a.children) sum += Math.max(1, ch.shares);
        for (Account ch : a.children) setFactors(ch, shareNorm * Math.max(1, ch.shares) / sum, total);
    }

    /**
     * Sets the priority (or the reason it cannot run) of every pending job and fills {@link #keys} with the packed
     * sort keys of the eligible ones: {@code (MAX_PRIO - priority) << IDX_BITS | queue index}. Returns their count.
     */
    int prioritize(long now, SchedulerView view) {
        List<Job> pend = view.pending();
        int n = pend.size();
        if (keys.length < n) keys = new long[Math.max(n, keys.length * 2)];
        double maxAge = cfg.priorityMaxAgeSec;
        double maxQos = Math.max(1, view.accounts().maxQosPriority());
        int maxTier = 1;
        for (Partition p : cluster.partitions) maxTier = Math.max(maxTier, p.priorityTier);
        int m = 0;
        for (int i = 0; i < n; i++) {
            Job j = pend.get(i);
            if (j.state != JobState.PENDING) continue;
            PendingReason r = ineligible(j, now, view);
            if (r != null) {
                j.reason = r;
                j.expectedStart = 0;
                continue;
            }
            long prio;
            if (j.adminPriority > 0) {
                prio = j.adminPriority;
            } else {
                double age = maxAge <= 0 ? 0 : Math.min(1.0, (now - Math.max(j.submitTime, j.desc.beginTime())) / maxAge);
                double size = (double) j.desc.totalCpus() / Math.max(1, j.partition.totalCpus);
                if (cfg.favorSmall) size = 1 - size;
                Qos q = j.qos;
                double p = cfg.weightAge * Math.max(0, age) + cfg.weightFairShare * j.account.fsFactor
                        + cfg.weightJobSize * size + cfg.weightPartition * ((double) j.partition.priorityTier / maxTier)
                        + cfg.weightQos * (q.priority / maxQos) - j.nice;
                prio = (long) p;
            }
            if (prio < 0) prio = 0;
            if (prio > MAX_PRIO) prio = MAX_PRIO;
            j.priority = prio;
            keys[m++] = ((MAX_PRIO - prio) << IDX_BITS) | i;
        }
        return m;
    }

    private static PendingReason ineligible(Job j, long now, SchedulerView view) {
        if (j.held) return j.heldByAdmin ? PendingReason.HELD_ADMIN : PendingReason.HELD;
        if (j.desc.beginTime() > now) return PendingReason.BEGIN_TIME;
        if (!j.partition.up) return PendingReason.PARTITION_DOWN;
        if (j.account.blockedAncestor() != null || j.account.blockedIn(j.partition.name) != null
                || (j.member != null && j.member.blocked)) {
            return PendingReason.ACCOUNT_BLOCKED;
        }
        if (j.dependency != null && !j.depsOk) {
            Dependency.Status s = view.dependencyStatus(j);
            if (s == Dependency.Status.WAITING) return PendingReason.DEPENDENCY;
            if (s == Dependency.Status.NEVER) return PendingReason.DEPENDENCY_NEVER_SATISFIED;
        }
        return null;
    }

    /** The QoS or array limit that keeps a job from starting now, or null. */
    static PendingReason runLimit(Job j) {
        Qos q = j.qos;
        if (q.maxJobsPerUser > 0 && j.qosUser.running >= q.maxJobsPerUser) return PendingReason.QOS_MAX_JOBS_PER_USER;
        if (q.maxCpusPerUser > 0 && j.qosUser.runningCpus + j.desc.totalCpus() > q.maxCpusPerUser) {
            return PendingReason.QOS_MAX_CPUS_PER_USER;
        }
        if (q.maxJobsPerAccount > 0 && j.qosAccount.running >= q.maxJobsPerAccount) return PendingReason.QOS_MAX_JOBS_PER_ACCOUNT;
        if (j.group != null && j.group.maxConcurrent > 0 && j.group.running >= j.group.maxConcurrent) {
            return PendingReason.ARRAY_TASK_LIMIT;
        }
        return null;
    }
}
