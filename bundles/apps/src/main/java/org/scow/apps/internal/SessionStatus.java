package org.scow.apps.internal;

import java.time.Duration;
import java.time.Instant;
import org.scow.api.scheduler.JobInfo;
import org.scow.api.scheduler.JobState;

/**
 * What a session's card shows, derived from its job and the files the job wrote.
 *
 * @param state             QUEUED, STARTING, RUNNING or ENDED; UNKNOWN while the cluster does not answer
 * @param message           a sentence for the user: why it waits, what it does, why it ended
 * @param reason            the scheduler's reason while queued, or the job's final state once ended
 * @param expectedStart     when the scheduler expects to start it, if it says
 * @param timeLeftSeconds   while running: until the time limit
 * @param failed            ended in a failure (the log tail tells more)
 */
public record SessionStatus(State state, String message, String reason, Instant expectedStart,
                            Instant startTime, Instant endTime, Long timeLeftSeconds, boolean failed) {

    /** Session states. */
    public enum State { QUEUED, STARTING, RUNNING, ENDED, UNKNOWN }

    /** Who asked for the end of a session, when someone did. */
    public enum CancelledBy { OWNER, ADMIN }

    /**
     * Derives the status.
     *
     * @param job          the job; null when the scheduler no longer knows it
     * @param connection   the parsed connection file, null when absent
     * @param failure      the failure file's text, null when absent
     * @param cancelledBy  who cancelled it through the platform, or null
     */
    public static SessionStatus derive(JobInfo job, Connection connection, String failure, CancelledBy cancelledBy,
                                       Instant now) {
        if (job == null) {
            return new SessionStatus(State.ENDED, "the scheduler no longer knows this session's job", "UNKNOWN", null,
                    null, null, null, false);
        }
        JobState s = job.state();
        if (s == JobState.PENDING || s == JobState.SUSPENDED) {
            String why = job.reason() == null || job.reason().isBlank() ? "waiting for resources" : job.reason();
            return new SessionStatus(State.QUEUED, (s == JobState.SUSPENDED ? "suspended: " : "queued: ") + why,
                    job.reason(), s == JobState.PENDING ? job.expectedStart() : null, null, null, null, false);
        }
        if (!s.isFinished()) { // RUNNING, COMPLETING, UNKNOWN
            Long left = null;
            if (job.timeLimitMinutes() != null && job.startTime() != null) {
                left = Math.max(0, Duration.between(now, job.startTime().plusSeconds(job.timeLimitMinutes() * 60))
                        .toSeconds());
            }
            if (s == JobState.RUNNING && connection != null) {
                return new SessionStatus(State.RUNNING, "running on " + connection.host(), null, null,
                        job.startTime(), null, left, false);
            }
            String msg = failure != null ? "stopping: " + failure : "starting: the app is not listening yet";
            return new SessionStatus(State.STARTING, msg, null, null, job.startTime(), null, left, false);
        }
        boolean failed = false;
        String msg;
        switch (s) {
            case CANCELLED -> msg = cancelledBy == CancelledBy.OWNER ? "cancelled by you"
                    : cancelledBy == CancelledBy.ADMIN ? "cancelled by an administrator" : "cancelled by the scheduler";
            case COMPLETED -> msg = "the app exited";
            case TIMEOUT -> msg = "the session reached its time limit"
                    + (job.timeLimitMinutes() == null ? "" : " of " + job.timeLimitMinutes() + " minutes");
            case OUT_OF_MEMORY -> {
                msg = "the app ran out of memory";
                failed = true;
            }
            case NODE_FAIL -> {
                msg = "the node running the app failed";
                failed = true;
            }
            case PREEMPTED -> msg = "the scheduler preempted the session";
            default -> {
                failed = true;
                msg = failure != null ? "the app could not start: " + failure
                        : "the app failed" + (job.exitCode() == null ? "" : " with exit status " + job.exitCode());
            }
        }
        if (failure != null && s != JobState.CANCELLED && !msg.contains(failure)) {
            msg = "the app could not start: " + failure;
            failed = true;
        }
        return new SessionStatus(State.ENDED, msg, s.name(), null, job.startTime(), job.endTime(), null, failed);
    }
}
