package org.scow.crane.ctld.model;

import org.scow.crane.ctld.account.Account;
import org.scow.crane.protocol.JobState;
import org.scow.crane.ctld.account.Counter;
import org.scow.crane.ctld.account.Membership;
import org.scow.crane.ctld.account.Qos;

/**
 * A job (or one task of an array) at run time. Only the controller mutates it, under its lock. The resolved
 * references (partition, account, QoS, counters, shape) make the scheduling pass free of map lookups.
 */
public final class Job {
    public final long id;
    public final JobDesc desc;
    /** Array job id (the id of the first task) or 0. */
    public final long arrayJobId;
    public final int arrayTaskId;

    public JobState state = JobState.PENDING;
    public PendingReason reason = PendingReason.NONE;
    public final long submitTime;
    public long startTime;
    public long endTime;
    public int exitCode;
    public boolean held;
    public boolean heldByAdmin;
    public int nice;
    /** Administrator-set absolute priority, or 0. */
    public long adminPriority;
    public long timeLimitSec;
    public long priority;
    /** Planned start from the last backfill pass (epoch s), or 0. */
    public long expectedStart;
    public int requeueCount;
    /**
     * Id of the job whose start preempted this one, while that is the job's latest event (ended CANCELLED, or
     * requeued and not started again), else 0.
     */
    public long preemptedBy;
    /**
     * Why a finished job ended as it did, as its node said (e.g. "could not start: cd: can't cd to /data"), shown as
     * its reason in queries; null for ordinary ends.
     */
    public String endReason;
    public int[] allocNodes;
    /** GRES type chosen on each allocated node, or -1. */
    public int[] allocGres;

    // resolved references
    public Partition partition;
    public Account account;
    public Qos qos;
    public Membership member;
    /** Dependencies known satisfied (not persisted; re-evaluated after restart). */
    public boolean depsOk;
    /** In the controller's pending list (which is compacted lazily). */
    public boolean queued;
    public Counter qosUser;
    public Counter qosAccount;
    public ArrayGroup group;
    public Shape shape;
    public int[] nodelistIdx;
    public int[] excludeIdx;
    public GresRegistry.Request gres;
    public Dependency dependency;

    public Job(long id, JobDesc desc, long arrayJobId, int arrayTaskId, long submitTime) {
        this.id = id;
        this.desc = desc;
        this.arrayJobId = arrayJobId;
        this.arrayTaskId = arrayTaskId;
        this.submitTime = submitTime;
        this.timeLimitSec = desc.timeLimitSec();
        this.held = desc.hold();
    }

    /** User-facing id: {@code 12} or {@code 12_3} for array tasks. */
    public String displayId() {
        return arrayJobId == 0 ? Long.toString(id) : arrayJobId + "_" + arrayTaskId;
    }
}
