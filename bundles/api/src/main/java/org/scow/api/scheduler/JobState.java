package org.scow.api.scheduler;

/** Normalised job states; drivers map their scheduler's states onto these. */
public enum JobState {
    /** Waiting in the queue (for resources, a dependency, a hold, a begin time…); the reason says which. */
    PENDING,
    /** Started on its nodes. */
    RUNNING,
    /** Stopped in place by an operator or by gang scheduling; keeps its nodes. */
    SUSPENDED,
    /** Its processes are ending and the nodes are being cleaned up. */
    COMPLETING,
    /** Ended with exit code 0. */
    COMPLETED,
    /** Ended by a user or an operator (before or while running). */
    CANCELLED,
    /** Ended with a non-zero exit code or could not start; the reason says why. */
    FAILED,
    /** Ended for reaching its time limit. */
    TIMEOUT,
    /** Killed for exceeding its memory limit. */
    OUT_OF_MEMORY,
    /** Ended because one of its nodes failed. */
    NODE_FAIL,
    /** Ended by preemption for a higher-priority job. */
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
