package org.scow.scheduler.slurm.internal;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

import org.scow.api.scheduler.AccountBlockStatus;
import org.scow.api.scheduler.ClusterAccount;
import org.scow.api.scheduler.ClusterUsage;
import org.scow.api.scheduler.DriverFeature;
import org.scow.api.scheduler.DriverInfo;
import org.scow.api.scheduler.ErrorCode;
import org.scow.api.scheduler.JobInfo;
import org.scow.api.scheduler.JobQuery;
import org.scow.api.scheduler.JobSpec;
import org.scow.api.scheduler.NodeInfo;
import org.scow.api.scheduler.Partition;
import org.scow.api.scheduler.SchedulerDriver;
import org.scow.api.scheduler.SchedulerException;
import org.scow.api.scheduler.SubmittedJob;

/**
 * The Slurm driver of one cluster: a thin facade over {@link Accounts}, {@link Blocks}, {@link Jobs},
 * {@link JobReader} and {@link ClusterReader}.
 * Where each operation gets its data, and why, is documented in the module's README.md.
 */
public final class SlurmDriver implements SchedulerDriver {
    public static final String TYPE = "slurm";
    public static final DriverInfo.Version VERSION = new DriverInfo.Version(0, 1, 0);
    public static final Set<DriverFeature> FEATURES = EnumSet.allOf(DriverFeature.class);
    private static final String UNKNOWN_VERSION = "Slurm (version unknown)";

    private final SlurmCli cli;
    private final CommandRunner runner;
    private final Accounts accounts;
    private final Blocks blocks;
    private final JobReader reader;
    private final Jobs jobs;
    private final ClusterReader cluster;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile DriverInfo info;

    public SlurmDriver(SlurmSettings settings, CommandRunner runner) {
        this.runner = runner;
        this.cli = new SlurmCli(settings, runner);
        this.cluster = new ClusterReader(cli);
        this.reader = new JobReader(cli);
        this.jobs = new Jobs(cli, reader);
        Sacctmgr sacctmgr = new Sacctmgr(cli);
        ChangeLock lock = new ChangeLock();
        this.accounts = new Accounts(sacctmgr, cluster, reader, lock);
        this.blocks = new Blocks(sacctmgr, cluster, lock);
        this.info = readInfo();
    }

    /**
     * Type, features and the Slurm version of the local client commands ({@code sinfo -V} reads no daemon). When
     * the commands cannot be run yet, the version is looked up again on the next call.
     */
    @Override
    public DriverInfo info() {
        DriverInfo i = info;
        if (i.schedulerName().equals(UNKNOWN_VERSION) && !closed.get()) {
            i = readInfo();
            info = i;
        }
        return i;
    }

    private DriverInfo readInfo() {
        String name = UNKNOWN_VERSION;
        try {
            CommandResult r = cli.exec("sinfo", List.of("-V"), Duration.ofSeconds(5));
            if (r.ok()) {
                name = schedulerName(r.stdout());
            }
        } catch (SchedulerException e) {
            // reported as an unknown version; operations will report the real problem
        }
        return new DriverInfo(TYPE, name, VERSION, FEATURES);
    }

    /** "slurm-wlm 22.05.8" or "slurm 23.02.1" as "Slurm 22.05.8". */
    static String schedulerName(String sinfoVersion) {
        String[] words = sinfoVersion.strip().split("\\s+");
        String version = words[words.length - 1];
        return version.matches("\\d+(\\.\\d+)+.*") ? "Slurm " + version : UNKNOWN_VERSION;
    }

    // ---- accounts ---------------------------------------------------------------------------------------------

    @Override
    public List<String> listAccounts(String userId) throws SchedulerException {
        open();
        return accounts.listAccounts(userId);
    }

    @Override
    public void createAccount(String account, String ownerUserId) throws SchedulerException {
        open();
        accounts.create(account, ownerUserId);
    }

    @Override
    public void deleteAccount(String account) throws SchedulerException {
        open();
        accounts.delete(account);
    }

    @Override
    public void blockAccount(String account) throws SchedulerException {
        open();
        blocks.block(account);
    }

    @Override
    public void unblockAccount(String account) throws SchedulerException {
        open();
        blocks.unblock(account);
    }

    @Override
    public void blockAccount(String account, Set<String> partitions) throws SchedulerException {
        open();
        blocks.block(account, partitions);
    }

    @Override
    public void unblockAccount(String account, Set<String> partitions) throws SchedulerException {
        open();
        blocks.unblock(account, partitions);
    }

    @Override
    public AccountBlockStatus accountBlockStatus(String account) throws SchedulerException {
        open();
        return accounts.blockStatus(account);
    }

    @Override
    public List<ClusterAccount> allAccounts() throws SchedulerException {
        open();
        return accounts.all();
    }

    // ---- users in accounts ------------------------------------------------------------------------------------

    @Override
    public void addUserToAccount(String userId, String account) throws SchedulerException {
        open();
        accounts.addUser(userId, account);
    }

    @Override
    public void removeUserFromAccount(String userId, String account) throws SchedulerException {
        open();
        accounts.removeUser(userId, account);
    }

    @Override
    public void blockUserInAccount(String userId, String account) throws SchedulerException {
        open();
        blocks.blockUser(userId, account);
    }

    @Override
    public void unblockUserInAccount(String userId, String account) throws SchedulerException {
        open();
        blocks.unblockUser(userId, account);
    }

    @Override
    public boolean isUserBlockedInAccount(String userId, String account) throws SchedulerException {
        open();
        return accounts.isUserBlocked(userId, account);
    }

    @Override
    public void deleteUser(String userId) throws SchedulerException {
        open();
        accounts.deleteUser(userId);
    }

    // ---- jobs -------------------------------------------------------------------------------------------------

    @Override
    public SubmittedJob submitJob(JobSpec spec) throws SchedulerException {
        open();
        return jobs.submit(spec);
    }

    @Override
    public SubmittedJob submitScript(String userId, String script, String workingDirectory)
            throws SchedulerException {
        open();
        return jobs.submitScript(userId, script, workingDirectory);
    }

    @Override
    public JobQuery.Result queryJobs(JobQuery query) throws SchedulerException {
        open();
        return reader.query(query);
    }

    @Override
    public JobInfo getJob(String jobId) throws SchedulerException {
        open();
        return reader.get(jobId);
    }

    @Override
    public void cancelJob(String userId, String jobId) throws SchedulerException {
        open();
        jobs.cancel(userId, jobId);
    }

    @Override
    public long timeLimitMinutes(String jobId) throws SchedulerException {
        open();
        return jobs.timeLimitMinutes(jobId);
    }

    @Override
    public void changeTimeLimit(String jobId, long deltaMinutes) throws SchedulerException {
        open();
        jobs.changeTimeLimit(jobId, deltaMinutes);
    }

    // ---- cluster ----------------------------------------------------------------------------------------------

    @Override
    public List<Partition> partitions() throws SchedulerException {
        open();
        return cluster.partitions();
    }

    @Override
    public List<Partition> availablePartitions(String account, String userId) throws SchedulerException {
        open();
        return accounts.availablePartitions(account, userId);
    }

    @Override
    public ClusterUsage usage() throws SchedulerException {
        open();
        return cluster.usage();
    }

    @Override
    public List<NodeInfo> nodes(Set<String> names) throws SchedulerException {
        open();
        return cluster.nodes(names == null ? Set.of() : names);
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            runner.close();
        }
    }

    private void open() throws SchedulerException {
        if (closed.get()) {
            throw new SchedulerException(ErrorCode.UNAVAILABLE, "the Slurm driver has been closed");
        }
    }
}
