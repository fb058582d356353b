package org.scow.crane.ctld.model;

/** Why a pending job is not running; {@link #label} is the word shown to users (Slurm-compatible where possible). */
public enum PendingReason {
    NONE("None"),
    PRIORITY("Priority"),
    RESOURCES("Resources"),
    DEPENDENCY("Dependency"),
    DEPENDENCY_NEVER_SATISFIED("DependencyNeverSatisfied"),
    BEGIN_TIME("BeginTime"),
    HELD("JobHeldUser"),
    HELD_ADMIN("JobHeldAdmin"),
    QOS_MAX_JOBS_PER_USER("QOSMaxJobsPerUserLimit"),
    QOS_MAX_CPUS_PER_USER("QOSMaxCpuPerUserLimit"),
    QOS_MAX_JOBS_PER_ACCOUNT("QOSMaxJobsPerAccountLimit"),
    ARRAY_TASK_LIMIT("JobArrayTaskLimit"),
    ACCOUNT_BLOCKED("AccountBlocked"),
    PARTITION_DOWN("PartitionDown"),
    /** Requeued by preemption; replaced by the next scheduling pass' reason. */
    PREEMPTED("Preempted");

    public final String label;

    PendingReason(String label) {
        this.label = label;
    }
}
