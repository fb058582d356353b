package org.scow.api.scheduler;

/** Optional capabilities a driver may implement; the rest of {@link SchedulerDriver} is mandatory. */
public enum DriverFeature {
    /** Block and unblock an account in chosen partitions only, and report per-partition block state. */
    PARTITION_BLOCKING,
    /** Change the time limit of a pending or running job. */
    TIME_LIMIT_CHANGE,
    /** Per-node details ({@link SchedulerDriver#nodes}). */
    NODE_INFO
}
