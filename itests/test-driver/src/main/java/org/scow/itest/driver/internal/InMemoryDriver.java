package org.scow.itest.driver.internal;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.scow.api.scheduler.util.BatchScript;
import org.scow.api.scheduler.AccountBlockStatus;
import org.scow.api.scheduler.ClusterAccount;
import org.scow.api.scheduler.ClusterUsage;
import org.scow.api.scheduler.DriverFeature;
import org.scow.api.scheduler.DriverInfo;
import org.scow.api.scheduler.ErrorCode;
import org.scow.api.scheduler.JobInfo;
import org.scow.api.scheduler.util.JobQueries;
import org.scow.api.scheduler.JobQuery;
import org.scow.api.scheduler.JobSpec;
import org.scow.api.scheduler.JobState;
import org.scow.api.scheduler.util.Names;
import org.scow.api.scheduler.NodeInfo;
import org.scow.api.scheduler.Partition;
import org.scow.api.scheduler.SchedulerDriver;
import org.scow.api.scheduler.SchedulerException;
import org.scow.api.scheduler.SubmittedJob;

/**
 * A small, faithful scheduler in memory. Jobs are PENDING until a scheduling pass (shortly after each submission and
 * each job end) finds nodes with enough free CPUs, memory and GPUs; they then run for their script's simulated run
 * time (see {@link Script}), cut at their time limit, and end COMPLETED, FAILED (nonzero exit) or TIMEOUT.
 *
 * <p>Policies where the SPI leaves room: submissions refused for any reason fail with SUBMIT_FAILED; blocking an
 * account or user stops new submissions only, pending and running jobs carry on; a cancelled running job reports exit
 * code 143 (SIGTERM). Every method holds one lock, so the driver is thread-safe.
 */
public final class InMemoryDriver implements SchedulerDriver {
    private static final int SIGTERM_EXIT = 128 + 15;

    private final Settings settings;
    private final DriverInfo info;
    private final ScheduledThreadPoolExecutor executor;
    private final Object lock = new Object();
    private final SimClock clock;
    private final Accounts accounts;
    private final NodePool pool;
    private final Map<Long, SimJob> jobs = new TreeMap<>();
    private long nextJobId = 1;
    private boolean closed;

    public InMemoryDriver(Settings settings) {
        this.settings = settings;
        this.info = new DriverInfo("test", "In-memory test scheduler", new DriverInfo.Version(0, 1, 0),
                settings.features());
        this.accounts = new Accounts(settings.partitions());
        this.pool = new NodePool(settings);
        this.clock = new SimClock(settings.timeScale());
        this.executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = Executors.defaultThreadFactory().newThread(r);
            t.setName("test-driver-" + settings.clusterId());
            t.setDaemon(true);
            return t;
        });
        executor.setRemoveOnCancelPolicy(true);
    }

    @Override
    public DriverInfo info() {
        return info;
    }

    // ---- accounts ---------------------------------------------------------------------------------------------

    @Override
    public List<String> listAccounts(String userId) throws SchedulerException {
        synchronized (lock) {
            open();
            return accounts.accountsOf(userId);
        }
    }

    @Override
    public void createAccount(String account, String ownerUserId) throws SchedulerException {
        synchronized (lock) {
            open();
            accounts.create(account, ownerUserId);
        }
    }

    @Override
    public void deleteAccount(String account) throws SchedulerException {
        synchronized (lock) {
            open();
            accounts.status(account);
            if (jobs.values().stream().anyMatch(j -> j.isActive() && j.account.equals(account))) {
                throw invalidState("account '" + account + "' has pending or running jobs");
            }
            accounts.delete(account);
        }
    }

    @Override
    public void blockAccount(String account) throws SchedulerException {
        synchronized (lock) {
            open();
            accounts.block(account, null);
        }
    }

    @Override
    public void unblockAccount(String account) throws SchedulerException {
        synchronized (lock) {
            open();
            accounts.unblock(account, null);
        }
    }

    @Override
    public void blockAccount(String account, Set<String> partitions) throws SchedulerException {
        synchronized (lock) {
            checkPartitionBlocking(account, partitions);
            accounts.block(account, partitions);
        }
    }

    @Override
    public void unblockAccount(String account, Set<String> partitions) throws SchedulerException {
        synchronized (lock) {
            checkPartitionBlocking(account, partitions);
            accounts.unblock(account, partitions);
        }
    }

    private void checkPartitionBlocking(String account, Set<String> partitions) throws SchedulerException {
        require(DriverFeature.PARTITION_BLOCKING);
        open();
        accounts.status(account);
        for (String p : partitions) {
            if (!pool.hasPartition(p)) {
                throw SchedulerException.partitionNotFound(p);
            }
        }
    }

    @Override
    public AccountBlockStatus accountBlockStatus(String account) throws SchedulerException {
        synchronized (lock) {
            open();
            return accounts.status(account);
        }
    }

    @Override
    public List<ClusterAccount> allAccounts() throws SchedulerException {
        synchronized (lock) {
            open();
            return accounts.all();
        }
    }

    // ---- users in accounts ------------------------------------------------------------------------------------

    @Override
    public void addUserToAccount(String userId, String account) throws SchedulerException {
        synchronized (lock) {
            open();
            accounts.addUser(userId, account);
        }
    }

    @Override
    public void removeUserFromAccount(String userId, String account) throws SchedulerException {
        synchronized (lock) {
            open();
            accounts.isUserBlocked(userId, account);
            if (jobs.values().stream().anyMatch(j -> j.isActive() && j.account.equals(account)
                    && j.user.equals(userId))) {
                throw invalidState("user '" + userId + "' has pending or running jobs in '" + account + "'");
            }
            accounts.removeUser(userId, account);
        }
    }

    @Override
    public void blockUserInAccount(String userId, String account) throws SchedulerException {
        synchronized (lock) {
            open();
            accounts.setUserBlocked(userId, account, true);
        }
    }

    @Override
    public void unblockUserInAccount(String userId, String account) throws SchedulerException {
        synchronized (lock) {
            open();
            accounts.setUserBlocked(userId, account, false);
        }
    }

    @Override
    public boolean isUserBlockedInAccount(String userId, String account) throws SchedulerException {
        synchronized (lock) {
            open();
            return accounts.isUserBlocked(userId, account);
        }
    }

    @Override
    public void deleteUser(String userId) throws SchedulerException {
        synchronized (lock) {
            open();
            if (!accounts.knowsUser(userId)) {
                throw SchedulerException.userNotFound(String.valueOf(userId));
            }
            if (jobs.values().stream().anyMatch(j -> j.isActive() && j.user.equals(userId))) {
                throw invalidState("user '" + userId + "' has pending or running jobs");
            }
            accounts.deleteUser(userId);
        }
    }

    // ---- jobs -------------------------------------------------------------------------------------------------

    @Override
    public SubmittedJob submitJob(JobSpec spec) throws SchedulerException {
        spec.validate();
        Script script = Script.parse(spec.script());
        long memory = spec.memoryMbPerNode() != null ? spec.memoryMbPerNode() : defaultMemory(spec.coresPerNode());
        long limit = spec.timeLimitMinutes() != null ? spec.timeLimitMinutes() : settings.defaultTimeLimitMinutes();
        synchronized (lock) {
            open();
            SimJob job = new SimJob(String.valueOf(nextJobId), spec.name(), spec.account(), spec.user(),
                    spec.partition(), qos(spec.qos()), spec.nodes(), spec.coresPerNode(), spec.gpusPerNode(), memory,
                    limit, spec.workingDirectory(), spec.stdout(), spec.stderr(),
                    script.durationMs(settings.jobDurationMs()), script.exitCode(), now());
            return enqueue(job, BatchScript.render(spec, BatchScript.SBATCH));
        }
    }

    @Override
    public SubmittedJob submitScript(String userId, String script, String workingDirectory)
            throws SchedulerException {
        if (!Names.isValid(userId)) {
            throw SchedulerException.invalid("userId", "'" + userId + "' " + Names.RULE);
        }
        if (script == null || script.isBlank()) {
            throw SchedulerException.invalid("script", "must not be empty");
        }
        if (workingDirectory == null || !workingDirectory.startsWith("/")) {
            throw SchedulerException.invalid("workingDirectory", "must be an absolute path");
        }
        Script parsed = Script.parse(script);
        Map<String, String> d = parsed.directives();
        int nodes = positive(d.getOrDefault("nodes", "1"), "nodes");
        int cores = positive(d.getOrDefault("cpus-per-task", "1"), "cpus-per-task")
                * positive(d.getOrDefault("ntasks-per-node", "1"), "ntasks-per-node");
        int gpus = d.containsKey("gpus-per-node") ? positive(d.get("gpus-per-node"), "gpus-per-node")
                : d.containsKey("gres") ? Script.gpus(d.get("gres")) : 0;
        long memory = d.containsKey("mem") ? Script.megabytes(d.get("mem")) : defaultMemory(cores);
        long limit = d.containsKey("time") ? Script.minutes(d.get("time")) : settings.defaultTimeLimitMinutes();
        String directory = d.getOrDefault("chdir", workingDirectory);
        synchronized (lock) {
            open();
            String account = d.get("account");
            if (account == null) {
                List<String> own = accounts.accountsOf(userId);
                if (own.isEmpty()) {
                    throw SchedulerException.submitFailed("user '" + userId + "' has no default account");
                }
                account = own.get(0);
            }
            String partition = d.getOrDefault("partition", settings.partitions().get(0));
            SimJob job = new SimJob(String.valueOf(nextJobId), d.getOrDefault("job-name", "sbatch"), account, userId,
                    partition, qos(d.get("qos")), nodes, cores, gpus, memory, limit, directory, d.get("output"),
                    d.get("error"), parsed.durationMs(settings.jobDurationMs()), parsed.exitCode(), now());
            return enqueue(job, script);
        }
    }

    /** Admission control, then PENDING until the next scheduling pass. Holds the lock. */
    private SubmittedJob enqueue(SimJob job, String generatedScript) throws SchedulerException {
        if (!pool.hasPartition(job.partition)) {
            throw SchedulerException.submitFailed("invalid partition name specified: '" + job.partition + "'");
        }
        String refusal = accounts.refusal(job.user, job.account, job.partition);
        if (refusal != null) {
            throw SchedulerException.submitFailed(refusal);
        }
        pool.checkFeasible(job);
        jobs.put(nextJobId++, job);
        executor.schedule(this::schedulePass, clock.realDelay(settings.scheduleDelayMs()), TimeUnit.MILLISECONDS);
        return new SubmittedJob(job.id, generatedScript);
    }

    @Override
    public JobQuery.Result queryJobs(JobQuery query) throws SchedulerException {
        synchronized (lock) {
            open();
            Instant now = now();
            return JobQueries.apply(query, jobs.values().stream().map(j -> j.toInfo(now)));
        }
    }

    @Override
    public JobInfo getJob(String jobId) throws SchedulerException {
        synchronized (lock) {
            open();
            return job(jobId).toInfo(now());
        }
    }

    @Override
    public void cancelJob(String userId, String jobId) throws SchedulerException {
        synchronized (lock) {
            open();
            SimJob job = job(jobId);
            if (!job.user.equals(userId)) {
                throw new SchedulerException(ErrorCode.PERMISSION_DENIED,
                        "user '" + userId + "' may not cancel job " + jobId + " of '" + job.user + "'",
                        Map.of("jobId", jobId, "user", String.valueOf(userId)));
            }
            if (!job.isActive()) {
                throw invalidState("job " + jobId + " has already finished (" + job.state + ")");
            }
            boolean wasRunning = job.state == JobState.RUNNING;
            end(job, JobState.CANCELLED, wasRunning ? SIGTERM_EXIT : null);
            job.reason = "cancelled by " + userId;
        }
    }

    @Override
    public long timeLimitMinutes(String jobId) throws SchedulerException {
        synchronized (lock) {
            open();
            return job(jobId).timeLimitMinutes;
        }
    }

    @Override
    public void changeTimeLimit(String jobId, long deltaMinutes) throws SchedulerException {
        require(DriverFeature.TIME_LIMIT_CHANGE);
        synchronized (lock) {
            open();
            SimJob job = job(jobId);
            if (!job.isActive()) {
                throw invalidState("job " + jobId + " has already finished (" + job.state + ")");
            }
            long limit = job.timeLimitMinutes + deltaMinutes;
            if (limit < 1) {
                throw SchedulerException.invalid("deltaMinutes",
                        "would leave a time limit of " + limit + " minutes; it must stay at least 1");
            }
            job.timeLimitMinutes = limit;
            if (job.state == JobState.RUNNING) {
                job.endTask.cancel(false);
                scheduleEnd(job);
            }
        }
    }

    // ---- cluster ----------------------------------------------------------------------------------------------

    @Override
    public List<Partition> partitions() throws SchedulerException {
        synchronized (lock) {
            open();
            return pool.partitions();
        }
    }

    @Override
    public List<Partition> availablePartitions(String account, String userId) throws SchedulerException {
        synchronized (lock) {
            open();
            return accounts.available(account, userId, pool.partitions(), Partition::name);
        }
    }

    @Override
    public ClusterUsage usage() throws SchedulerException {
        synchronized (lock) {
            open();
            return pool.usage(jobs.values());
        }
    }

    @Override
    public List<NodeInfo> nodes(Set<String> names) throws SchedulerException {
        require(DriverFeature.NODE_INFO);
        synchronized (lock) {
            open();
            return pool.nodes(names);
        }
    }

    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
        }
        executor.shutdownNow();
    }

    // ---- simulation -------------------------------------------------------------------------------------------

    /** Starts pending jobs in submission order wherever they fit (first fit, with backfill). */
    private void schedulePass() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            for (SimJob job : jobs.values()) {
                if (job.state != JobState.PENDING) {
                    continue;
                }
                if (pool.tryAllocate(job)) {
                    job.state = JobState.RUNNING;
                    job.reason = null;
                    job.startTime = now();
                    scheduleEnd(job);
                } else {
                    job.reason = "Resources";
                }
            }
        }
    }

    /** Schedules the end of a running job at its start plus its run time, in simulated time. Holds the lock. */
    private void scheduleEnd(SimJob job) {
        long remaining = job.startTime.toEpochMilli() + job.runMs() - clock.now().toEpochMilli();
        job.endTask = executor.schedule(() -> finish(job), clock.realDelay(remaining), TimeUnit.MILLISECONDS);
    }

    private void finish(SimJob job) {
        synchronized (lock) {
            if (closed || job.state != JobState.RUNNING) {
                return;
            }
            if (job.durationMs > job.limitMs()) {
                end(job, JobState.TIMEOUT, null);
            } else {
                end(job, job.scriptExitCode == 0 ? JobState.COMPLETED : JobState.FAILED, job.scriptExitCode);
            }
            // in simulated time the job ended exactly at its run time, however late the executor woke up
            job.endTime = job.startTime.plusMillis(job.runMs());
        }
    }

    /** Ends an active job and frees its nodes for the pending ones. Holds the lock. */
    private void end(SimJob job, JobState state, Integer exitCode) {
        if (job.state == JobState.RUNNING) {
            job.endTask.cancel(false);
            pool.release(job);
            executor.execute(this::schedulePass);
        }
        job.state = state;
        job.exitCode = exitCode;
        job.endTime = now();
        job.reason = null;
    }

    // ---- helpers ----------------------------------------------------------------------------------------------

    private SimJob job(String jobId) throws SchedulerException {
        SimJob job = null;
        try {
            job = jobs.get(Long.parseLong(String.valueOf(jobId)));
        } catch (NumberFormatException e) {
            // not one of ours
        }
        if (job == null) {
            throw SchedulerException.jobNotFound(String.valueOf(jobId));
        }
        return job;
    }

    private long defaultMemory(int cores) {
        return Math.max(1, settings.memoryMbPerNode() * Math.min(cores, settings.cpusPerNode())
                / settings.cpusPerNode());
    }

    private static String qos(String requested) {
        return requested == null ? "normal" : requested;
    }

    private static int positive(String value, String option) throws SchedulerException {
        try {
            int n = Integer.parseInt(value);
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw SchedulerException.submitFailed("invalid --" + option + " '" + value + "'");
    }

    private void require(DriverFeature feature) throws SchedulerException {
        if (!info.features().contains(feature)) {
            throw SchedulerException.notSupported(feature);
        }
    }

    private void open() throws SchedulerException {
        if (closed) {
            throw new SchedulerException(ErrorCode.UNAVAILABLE, "the driver of cluster '" + settings.clusterId()
                    + "' is closed");
        }
    }

    private static SchedulerException invalidState(String message) {
        return new SchedulerException(ErrorCode.INVALID_STATE, message);
    }

    private Instant now() {
        return clock.now();
    }

}
