package org.scow.api.scheduler;

import org.osgi.annotation.versioning.ConsumerType;
import java.util.List;
import java.util.Set;

/**
 * One cluster as seen through its scheduler. Implementations are thread-safe; every method may block on the
 * scheduler but must give up after the driver's configured timeout with {@link ErrorCode#UNAVAILABLE}.
 *
 * <p>Block and unblock operations are idempotent: blocking a blocked account succeeds and changes nothing. A blocked
 * account (or user in an account) cannot submit new jobs; what happens to its pending and running jobs is the
 * driver's documented policy.
 */
@ConsumerType
public interface SchedulerDriver extends AutoCloseable {

    /** Type, scheduler version and implemented optional features. Does not contact the scheduler. */
    DriverInfo info();

    // ---- accounts ---------------------------------------------------------------------------------------------

    /** Names of the accounts {@code userId} belongs to, sorted. An unknown user has none. */
    List<String> listAccounts(String userId) throws SchedulerException;

    /**
     * Creates an account with its owner as first member.
     *
     * @throws SchedulerException {@link ErrorCode#ALREADY_EXISTS} if the account exists
     */
    void createAccount(String account, String ownerUserId) throws SchedulerException;

    /**
     * Deletes an account. Fails with {@link ErrorCode#INVALID_STATE} while it has pending or running jobs.
     */
    void deleteAccount(String account) throws SchedulerException;

    /** Blocks the account in every partition. */
    void blockAccount(String account) throws SchedulerException;

    /** Lifts every block of the account, whole-account and per-partition. */
    void unblockAccount(String account) throws SchedulerException;

    /**
     * Blocks the account in the given partitions only ({@link DriverFeature#PARTITION_BLOCKING}).
     *
     * @throws SchedulerException {@link ErrorCode#PARTITION_NOT_FOUND} for an unknown partition
     */
    void blockAccount(String account, Set<String> partitions) throws SchedulerException;

    /** Unblocks the account in the given partitions only ({@link DriverFeature#PARTITION_BLOCKING}). */
    void unblockAccount(String account, Set<String> partitions) throws SchedulerException;

    /** Block state of the account, overall and per partition. */
    AccountBlockStatus accountBlockStatus(String account) throws SchedulerException;

    /** Every account with its members and block flags, sorted by name. */
    List<ClusterAccount> allAccounts() throws SchedulerException;

    // ---- users in accounts ------------------------------------------------------------------------------------

    /**
     * Adds a user to an account; the user is created on the scheduler side if needed.
     *
     * @throws SchedulerException {@link ErrorCode#ALREADY_EXISTS} if already a member
     */
    void addUserToAccount(String userId, String account) throws SchedulerException;

    /** Removes a user from an account. Fails with {@link ErrorCode#INVALID_STATE} while the user has jobs there. */
    void removeUserFromAccount(String userId, String account) throws SchedulerException;

    /** Blocks a user in one account: no new submissions under that account. */
    void blockUserInAccount(String userId, String account) throws SchedulerException;

    /** Lifts the block of a user in one account. */
    void unblockUserInAccount(String userId, String account) throws SchedulerException;

    /** True when the user is blocked in the account. */
    boolean isUserBlockedInAccount(String userId, String account) throws SchedulerException;

    /** Removes the user from every account and from the scheduler. */
    void deleteUser(String userId) throws SchedulerException;

    // ---- jobs -------------------------------------------------------------------------------------------------

    /** Submits a job described by fields; {@link JobSpec#validate()} has already passed. */
    SubmittedJob submitJob(JobSpec spec) throws SchedulerException;

    /**
     * Submits a complete batch script whose directives (e.g. {@code #SBATCH}) carry the options.
     *
     * @param userId            user the job runs as
     * @param script            the script
     * @param workingDirectory  absolute directory to submit from (relative paths in the script resolve there)
     */
    SubmittedJob submitScript(String userId, String script, String workingDirectory) throws SchedulerException;

    /** Jobs matching the query, with paging, sorting, field selection and the total count. */
    JobQuery.Result queryJobs(JobQuery query) throws SchedulerException;

    /** One job, pending, running or finished. */
    JobInfo getJob(String jobId) throws SchedulerException;

    /**
     * Cancels a job on behalf of {@code userId}, who must own it. Cancelling a finished job fails with
     * {@link ErrorCode#INVALID_STATE}.
     */
    void cancelJob(String userId, String jobId) throws SchedulerException;

    /** Current time limit of a job, in minutes. */
    long timeLimitMinutes(String jobId) throws SchedulerException;

    /**
     * Adds {@code deltaMinutes} (negative to shorten) to a job's time limit ({@link DriverFeature#TIME_LIMIT_CHANGE}).
     * The result must stay at least one minute.
     */
    void changeTimeLimit(String jobId, long deltaMinutes) throws SchedulerException;

    // ---- cluster ----------------------------------------------------------------------------------------------

    /** Every partition with its resources. */
    List<Partition> partitions() throws SchedulerException;

    /** Partitions {@code userId} may submit to under {@code account} (not blocked, allowed by the scheduler). */
    List<Partition> availablePartitions(String account, String userId) throws SchedulerException;

    /** Node, CPU, GPU and job counts, in total and per partition. */
    ClusterUsage usage() throws SchedulerException;

    /** Details of the named nodes, or all nodes when {@code names} is empty ({@link DriverFeature#NODE_INFO}). */
    List<NodeInfo> nodes(Set<String> names) throws SchedulerException;

    /** Releases connections and threads. The platform calls it once; later calls do nothing. */
    @Override
    void close();
}
