package org.scow.scheduler.slurm.internal;

import static org.scow.scheduler.slurm.internal.Arguments.JOB_ID;
import static org.scow.scheduler.slurm.internal.Arguments.requireName;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.scow.api.scheduler.util.BatchScript;
import org.scow.api.scheduler.ErrorCode;
import org.scow.api.scheduler.JobInfo;
import org.scow.api.scheduler.JobSpec;
import org.scow.api.scheduler.SchedulerException;
import org.scow.api.scheduler.SubmittedJob;

/**
 * Submitting, cancelling and re-timing jobs. sbatch and scancel run as the job's user through runuser, so Slurm
 * itself checks the user's associations and records the user as owner and canceller; reads go through
 * {@link JobReader}.
 */
public final class Jobs {
    private final SlurmCli cli;
    private final JobReader reader;

    public Jobs(SlurmCli cli, JobReader reader) {
        this.cli = cli;
        this.reader = reader;
    }

    // ---- submitting and cancelling ----------------------------------------------------------------------------

    public SubmittedJob submit(JobSpec spec) throws SchedulerException {
        spec.validate();
        String script = BatchScript.render(spec, BatchScript.SBATCH);
        return new SubmittedJob(sbatch(spec.user(), script, spec.workingDirectory()), script);
    }

    public SubmittedJob submitScript(String user, String script, String workingDirectory) throws SchedulerException {
        requireName("userId", user);
        if (script == null || script.isBlank()) {
            throw SchedulerException.invalid("script", "must not be empty");
        }
        if (workingDirectory == null || !workingDirectory.startsWith("/")) {
            throw SchedulerException.invalid("workingDirectory", "must be an absolute path");
        }
        return new SubmittedJob(sbatch(user, script, workingDirectory), script);
    }

    /** Runs {@code sbatch --parsable} as the user, the script on stdin, in the working directory. */
    private String sbatch(String userId, String script, String workingDirectory) throws SchedulerException {
        UnixUser user = submitter(userId);
        Path dir = Path.of(workingDirectory);
        if (!Files.isDirectory(dir)) {
            throw SchedulerException.invalid("workingDirectory", "'" + workingDirectory
                    + "' is not a directory on the Slurm host");
        }
        CommandResult r = cli.execAs(user, "sbatch", List.of("--parsable"), script, dir);
        if (!r.ok()) {
            String reason = slurmMessage(r);
            if (SlurmCli.unreachable(reason)) {
                throw new SchedulerException(ErrorCode.UNAVAILABLE, reason, Map.of("program", "sbatch"));
            }
            throw SchedulerException.submitFailed(reason);
        }
        // --parsable prints "<id>" or "<id>;<cluster>"
        String id = r.stdout().strip().split("[;\\s]", 2)[0];
        if (!JOB_ID.matcher(id).matches()) {
            throw new SchedulerException(ErrorCode.INTERNAL, "sbatch answered without a job id: " + r.stdout().strip());
        }
        return id;
    }

    /** Cancels as the user, after checking what Slurm would also check, so each refusal has its own code. */
    public void cancel(String userId, String jobId) throws SchedulerException {
        requireName("userId", userId);
        JobInfo job = reader.get(jobId);
        if (job.state().isFinished()) {
            throw new SchedulerException(ErrorCode.INVALID_STATE, "job " + jobId + " has already finished ("
                    + job.state() + ")", Map.of("jobId", jobId, "state", job.state().name()));
        }
        if (!userId.equals(job.user())) {
            throw new SchedulerException(ErrorCode.PERMISSION_DENIED, "job " + jobId + " belongs to another user",
                    Map.of("jobId", jobId, "user", userId));
        }
        CommandResult r = cli.execAs(submitter(userId), "scancel", List.of(jobId), null, null);
        // scancel may exit 0 and still report an error for the job on stderr
        if (!r.ok() || r.stderr().toLowerCase(Locale.ROOT).contains("error")) {
            throw jobFailure("scancel", jobId, r, ErrorCode.INTERNAL);
        }
    }

    // ---- time limits ------------------------------------------------------------------------------------------

    public long timeLimitMinutes(String jobId) throws SchedulerException {
        return limitOf(reader.get(jobId));
    }

    public void changeTimeLimit(String jobId, long deltaMinutes) throws SchedulerException {
        JobInfo job = reader.get(jobId);
        if (job.state().isFinished()) {
            throw new SchedulerException(ErrorCode.INVALID_STATE, "job " + jobId + " has already finished ("
                    + job.state() + ")", Map.of("jobId", jobId, "state", job.state().name()));
        }
        long current = limitOf(job);
        long next = current + deltaMinutes;
        if (next < 1) {
            throw SchedulerException.invalid("deltaMinutes", "would set the time limit of job " + jobId + " to "
                    + next + " minutes; it must stay at least 1 (now " + current + ")");
        }
        CommandResult r = cli.exec("scontrol", List.of("update", "JobId=" + jobId, "TimeLimit=" + next));
        if (!r.ok()) {
            throw jobFailure("scontrol", jobId, r, ErrorCode.INVALID_ARGUMENT);
        }
    }

    /** A job without a limit (UNLIMITED) has no number to report or to add to. */
    private static long limitOf(JobInfo job) throws SchedulerException {
        if (job.timeLimitMinutes() == null) {
            throw new SchedulerException(ErrorCode.INVALID_STATE, "job " + job.jobId()
                    + " has no time limit (UNLIMITED)", Map.of("jobId", job.jobId()));
        }
        return job.timeLimitMinutes();
    }

    /**
     * The Unix account to run sbatch/scancel as. System accounts never run jobs: a denied name, uid 0 (unless
     * {@code allowRootJobs}) or a uid below {@code minSubmitUid} is PERMISSION_DENIED before any Slurm command runs.
     */
    private UnixUser submitter(String userId) throws SchedulerException {
        requireName("userId", userId);
        SlurmSettings s = cli.settings();
        String rule = ": jobs may not run as system accounts; submit as an ordinary user";
        if (s.deniedUsers().contains(userId)) {
            throw systemUser(userId, "user '" + userId + "' is a system account" + rule + " (driver.deniedUsers lists it)");
        }
        UnixUser user = cli.unixUsers(List.of(userId)).get(userId);
        if (user == null) {
            throw SchedulerException.userNotFound(userId);
        }
        if (user.uid() == 0 && !s.allowRootJobs()) {
            throw systemUser(userId, "user '" + userId + "' is a system account (uid 0)" + rule);
        }
        if (user.uid() != 0 && user.uid() < s.minSubmitUid()) {
            throw systemUser(userId, "user '" + userId + "' is a system account (uid " + user.uid()
                    + ", below driver.minSubmitUid " + s.minSubmitUid() + ")" + rule);
        }
        return user;
    }

    private static SchedulerException systemUser(String userId, String message) {
        return new SchedulerException(ErrorCode.PERMISSION_DENIED, message, Map.of("user", userId));
    }

    private SchedulerException jobFailure(String tool, String jobId, CommandResult r, ErrorCode fallback) {
        String m = slurmMessage(r);
        String lower = m.toLowerCase(Locale.ROOT);
        if (SlurmCli.unreachable(m)) {
            return new SchedulerException(ErrorCode.UNAVAILABLE, m, Map.of("program", tool));
        }
        ErrorCode code = lower.contains("invalid job id") ? ErrorCode.JOB_NOT_FOUND
                : lower.contains("permission denied") || lower.contains("access denied") ? ErrorCode.PERMISSION_DENIED
                : lower.contains("completing or completed") || lower.contains("already finished")
                        || lower.contains("already completed") ? ErrorCode.INVALID_STATE
                : fallback;
        return new SchedulerException(code, "job " + jobId + ": " + m, Map.of("jobId", jobId, "program", tool));
    }

    /** Slurm's message without the "sbatch: error: " prefixes, one line per message. */
    static String slurmMessage(CommandResult r) {
        return r.message().replaceAll("(^|; )[a-z]+: error: ", "$1").strip();
    }
}
