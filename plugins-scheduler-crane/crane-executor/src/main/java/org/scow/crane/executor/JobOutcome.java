package org.scow.crane.executor;

import org.scow.crane.protocol.JobState;

/**
 * How a job ended on its node.
 *
 * @param state    COMPLETED, FAILED, OUT_OF_MEMORY, CANCELLED, TIMEOUT, or NODE_FAIL (could not be launched or was
 *                 lost while nobody watched it)
 * @param exitCode the batch script's exit status as a shell reports it: 0-255, where 128+N means "killed by signal
 *                 N" (the JDK reports a signalled child the same way, so 137 from {@code exit 137} and from SIGKILL
 *                 look alike); -1 when unknown
 * @param signal   the signal that ended the script, or 0; derived from {@code exitCode} > 128
 * @param message  why, for logs (launch errors, OOM kills), or null
 * @param endTime  when the job ended (epoch s): the moment its end was seen, or the time its wrapper recorded the
 *                 status when nobody watched (an executor restart); reported to the controller, so an end that
 *                 reaches it late (controller down) keeps its real time
 */
public record JobOutcome(JobState state, int exitCode, int signal, String message, long endTime) {

    static JobOutcome of(JobState state, int exitCode, String message) {
        return of(state, exitCode, message, System.currentTimeMillis() / 1000);
    }

    static JobOutcome of(JobState state, int exitCode, String message, long endTime) {
        int sig = exitCode > 128 && exitCode < 128 + 65 ? exitCode - 128 : 0;
        return new JobOutcome(state, exitCode, sig, message, endTime);
    }

    @Override
    public String toString() {
        return state + " exit " + exitCode + (signal > 0 ? " (signal " + signal + ")" : "")
                + (message != null ? ": " + message : "");
    }
}
