package org.scow.scheduler.slurm.internal;

import static org.scow.scheduler.slurm.internal.Arguments.JOB_ID;
import static org.scow.scheduler.slurm.internal.Arguments.requireJobId;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import org.scow.api.scheduler.ErrorCode;
import org.scow.api.scheduler.JobFilter;
import org.scow.api.scheduler.JobInfo;
import org.scow.api.scheduler.util.JobQueries;
import org.scow.api.scheduler.JobQuery;
import org.scow.api.scheduler.JobState;
import org.scow.api.scheduler.util.Names;
import org.scow.api.scheduler.SchedulerException;
import org.scow.api.scheduler.TimeRange;

/**
 * Reads jobs from slurmctld ({@code squeue}) while active and from the accounting database ({@code sacct}) once
 * finished. squeue also shows jobs for a few minutes after they end (MinJobAge) and sacct records a job's end a
 * moment after it happens, so reads merge both and keep the more advanced record.
 */
public final class JobReader {
    /** sacct's start of "all time"; sacct otherwise defaults to today's midnight. */
    private static final String EPOCH = "1970-01-01T00:00:00";
    private static final String ACTIVE_WORDS = String.join(",", JobStates.activeWords(
            Set.of(JobState.PENDING, JobState.RUNNING, JobState.SUSPENDED, JobState.COMPLETING)));
    /** sacct --state words of every finished state. */
    private static final Map<JobState, String> FINISHED_WORDS = Map.of(
            JobState.COMPLETED, "COMPLETED", JobState.CANCELLED, "CANCELLED", JobState.FAILED, "FAILED,BOOT_FAIL",
            JobState.TIMEOUT, "TIMEOUT,DEADLINE", JobState.OUT_OF_MEMORY, "OUT_OF_MEMORY",
            JobState.NODE_FAIL, "NODE_FAIL", JobState.PREEMPTED, "PREEMPTED");

    private final SlurmCli cli;

    public JobReader(SlurmCli cli) {
        this.cli = cli;
    }

    /** One job: squeue while active, else sacct, else squeue's record of a job sacct has not caught up with. */
    public JobInfo get(String jobId) throws SchedulerException {
        requireJobId(jobId);
        Optional<JobInfo> live = pick(jobId, squeue(List.of("--states=all", "--jobs=" + jobId)));
        if (live.isPresent() && !live.get().state().isFinished()) {
            return live.get();
        }
        Optional<JobInfo> accounted = pick(jobId, sacct(List.of("--jobs=" + jobId, "-S", EPOCH)));
        if (live.isPresent() && accounted.isPresent()) {
            return newer(live.get(), accounted.get());
        }
        return live.or(() -> accounted).orElseThrow(() -> SchedulerException.jobNotFound(jobId));
    }

    /**
     * Of squeue's and sacct's record of one job, the one that knows more: squeue's while the job is active or
     * while sacct has not yet recorded its end, else sacct's (exit code, final times, allocation) with the
     * identity and paths from slurmctld's own record: a job that ends within moments of starting can briefly have
     * an accounting record written without its name (slurmdbd then calls it "allocation"), and sacct never knows
     * the output paths.
     */
    static JobInfo newer(JobInfo live, JobInfo accounted) {
        if (!live.state().isFinished() || !accounted.state().isFinished()) {
            return live;
        }
        return accounted.toBuilder().name(live.name()).account(live.account()).user(live.user())
                .partition(live.partition()).qos(live.qos()).workingDirectory(live.workingDirectory())
                .stdoutPath(live.stdoutPath()).stderrPath(live.stderrPath()).build();
    }

    /**
     * Pushes users, accounts, job id, name, states and the end-time range down to squeue and sacct, merges the two,
     * and lets {@link JobQueries#apply} do the exact filtering, sorting, paging and field selection.
     */
    public JobQuery.Result query(JobQuery query) throws SchedulerException {
        JobFilter f = query.filter();
        if (f.jobId() != null && !JOB_ID.matcher(f.jobId()).matches()) {
            return new JobQuery.Result(List.of(), 0);
        }
        List<String> common = commonFilters(f);
        boolean wantActive = f.endTime() == null
                && (f.states().isEmpty() || f.states().stream().anyMatch(JobStates::isActive));
        boolean wantFinished = f.states().isEmpty() || f.states().stream().anyMatch(s -> !JobStates.isActive(s));

        Map<String, JobInfo> jobs = new LinkedHashMap<>();
        if (wantFinished) {
            List<String> args = new ArrayList<>(common);
            args.addAll(sacctWindow(f));
            sacct(args).forEach(j -> jobs.put(j.jobId(), j));
        }
        if (wantActive || wantFinished) {
            // finished jobs too: sacct may not have recorded the end of a job that just finished
            List<String> args = new ArrayList<>(common);
            args.add("--states=" + (wantFinished ? "all" : activeWords(f.states())));
            for (JobInfo live : squeue(args)) {
                jobs.merge(live.jobId(), live, (accounted, fresh) -> newer(fresh, accounted));
            }
        }
        return JobQueries.apply(query, jobs.values().stream());
    }

    /** Pending and running jobs matching squeue options such as {@code --account=a}. */
    public int activeJobCount(List<String> filters) throws SchedulerException {
        List<String> args = new ArrayList<>(List.of("-h", "-r", "--states=" + ACTIVE_WORDS, "-O", "JobArrayID:0"));
        args.addAll(filters);
        CommandResult r = cli.exec("squeue", args);
        if (!r.ok()) {
            if (r.message().toLowerCase(Locale.ROOT).contains("invalid user")) {
                return 0; // no Unix user, no jobs
            }
            throw cli.failure("squeue", r, ErrorCode.INTERNAL);
        }
        return (int) r.stdout().lines().filter(l -> !l.isBlank()).count();
    }

    private List<String> commonFilters(JobFilter f) throws SchedulerException {
        List<String> args = new ArrayList<>();
        if (!f.users().isEmpty()) {
            // squeue and sacct reject names without a Unix account; then filter in memory instead
            List<String> users = f.users().stream().sorted().toList();
            if (users.stream().allMatch(Names::isValid) && cli.unixUsers(users).size() == users.size()) {
                args.add("--user=" + String.join(",", users));
            }
        }
        if (!f.accounts().isEmpty() && f.accounts().stream().allMatch(Names::isValid)) {
            args.add("--account=" + f.accounts().stream().sorted().collect(Collectors.joining(",")));
        }
        if (f.jobId() != null) {
            args.add("--jobs=" + f.jobId());
        }
        if (f.name() != null && !f.name().contains(",") && !f.name().isBlank()) {
            args.add("--name=" + f.name());
        }
        return args;
    }

    /**
     * sacct's selection window. With --state, sacct keeps jobs whose state held within -S..-E, which for finished
     * states is exactly "ended within": the end-time range pushes down. Without an end range, the window starts at
     * the earliest submit time asked for (a job ends after it is submitted) and runs to now.
     */
    private static List<String> sacctWindow(JobFilter f) {
        List<String> args = new ArrayList<>();
        TimeRange end = f.endTime();
        Instant submittedFrom = f.submitTime() == null ? null : f.submitTime().from();
        if (end != null || (!f.states().isEmpty() && f.states().stream().noneMatch(JobStates::isActive))) {
            args.add("--state=" + finishedWords(f.states()));
        }
        Instant from = end != null && end.from() != null ? end.from() : submittedFrom;
        args.addAll(List.of("-S", from == null ? EPOCH : SlurmValues.formatTime(from)));
        if (end != null && end.to() != null) {
            args.addAll(List.of("-E", SlurmValues.formatTime(end.to())));
        }
        return args;
    }

    private static String finishedWords(Set<JobState> states) {
        return FINISHED_WORDS.entrySet().stream()
                .filter(e -> states.isEmpty() || states.contains(e.getKey()))
                .map(Map.Entry::getValue).sorted().collect(Collectors.joining(","));
    }

    private static String activeWords(Set<JobState> states) {
        return states.isEmpty() ? ACTIVE_WORDS : String.join(",", JobStates.activeWords(states));
    }

    private List<JobInfo> squeue(List<String> filters) throws SchedulerException {
        List<String> args = new ArrayList<>(List.of("-h", "-r", "-O", JobColumns.squeueFormat()));
        args.addAll(filters);
        CommandResult r = cli.exec("squeue", args);
        if (!r.ok()) {
            if (r.message().toLowerCase(Locale.ROOT).contains("invalid job id")) {
                return List.of(); // squeue's way of saying the job is not (or no longer) known to slurmctld
            }
            throw cli.failure("squeue", r, ErrorCode.INTERNAL);
        }
        return JobColumns.parseSqueue(r.stdout());
    }

    private List<JobInfo> sacct(List<String> filters) throws SchedulerException {
        List<String> args = new ArrayList<>(List.of("-a", "-X", "-n", "-P", "--delimiter=" + SlurmCli.SEP,
                "--format=" + JobColumns.sacctFormat()));
        args.addAll(filters);
        CommandResult r = cli.exec("sacct", args, cli.settings().queryTimeout());
        if (!r.ok()) {
            throw cli.failure("sacct", r, ErrorCode.INTERNAL);
        }
        return JobColumns.parseSacct(r.stdout());
    }

    /** The row of {@code jobId}; asking for an array job by its base id gives its first task. */
    private static Optional<JobInfo> pick(String jobId, List<JobInfo> rows) {
        return rows.stream().filter(j -> j.jobId().equals(jobId)).findFirst().or(() -> rows.stream().findFirst());
    }
}
