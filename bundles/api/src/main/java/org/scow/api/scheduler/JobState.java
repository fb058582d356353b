package org.scow.api.scheduler;

/** Normalised job states; drivers map their scheduler's states onto these. */
public enum JobState {
    PENDING,
    RUNNING,
    SUSPENDED,
    COMPLETING,
    COMPLETED,
    CANCELLED,
    FAILED,
    TIMEOUT,
    OUT_OF_MEMORY,
    NODE_FAIL,
    PREEMPTED,
    /** A state the driver could not map; the job's reason carries the scheduler's own word. */
    UNKNOWN;

    /** True once the job will never run again and its accounting is final. */
    public boolean isFinished() {
        return switch (this) {
            case COMPLETED, CANCELLED, FAILED, TIMEOUT, OUT_OF_MEMORY, NODE_FAIL, PREEMPTED -> true;
            default -> false;
        };
    }
}
