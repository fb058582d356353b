package __package__.scheduler;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.scow.api.scheduler.AccountBlockStatus;
import org.scow.api.scheduler.ClusterAccount;
import org.scow.api.scheduler.ClusterConfig;
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
 * The driver of one __Name__ cluster. Every operation still answers {@link ErrorCode#NOT_SUPPORTED}: replace them one
 * by one with calls to your scheduler (see docs/write-a-scheduler-driver.md), and run the shared contract suite
 * ({@code mvn verify -Pcontract}) until it passes.
 */
public class __Name__Driver implements SchedulerDriver {
    private final ClusterConfig config;

    public __Name__Driver(ClusterConfig config) {
        this.config = config;
    }

    @Override
    public DriverInfo info() {
        return new DriverInfo(__Name__DriverFactory.TYPE, "__Name__", new DriverInfo.Version(0, 1, 0),
                EnumSet.noneOf(DriverFeature.class));
    }

    private SchedulerException todo(String operation) {
        return new SchedulerException(ErrorCode.NOT_SUPPORTED, operation + " is not implemented yet for cluster '"
                + config.id() + "'");
    }

    @Override
    public List<String> listAccounts(String userId) throws SchedulerException {
        throw todo("listAccounts");
    }

    @Override
    public void createAccount(String account, String ownerUserId) throws SchedulerException {
        throw todo("createAccount");
    }

    @Override
    public void deleteAccount(String account) throws SchedulerException {
        throw todo("deleteAccount");
    }

    @Override
    public void blockAccount(String account) throws SchedulerException {
        throw todo("blockAccount");
    }

    @Override
    public void unblockAccount(String account) throws SchedulerException {
        throw todo("unblockAccount");
    }

    @Override
    public void blockAccount(String account, Set<String> partitions) throws SchedulerException {
        throw todo("blockAccount");
    }

    @Override
    public void unblockAccount(String account, Set<String> partitions) throws SchedulerException {
        throw todo("unblockAccount");
    }

    @Override
    public AccountBlockStatus accountBlockStatus(String account) throws SchedulerException {
        throw todo("accountBlockStatus");
    }

    @Override
    public List<ClusterAccount> allAccounts() throws SchedulerException {
        throw todo("allAccounts");
    }

    @Override
    public void addUserToAccount(String userId, String account) throws SchedulerException {
        throw todo("addUserToAccount");
    }

    @Override
    public void removeUserFromAccount(String userId, String account) throws SchedulerException {
        throw todo("removeUserFromAccount");
    }

    @Override
    public void blockUserInAccount(String userId, String account) throws SchedulerException {
        throw todo("blockUserInAccount");
    }

    @Override
    public void unblockUserInAccount(String userId, String account) throws SchedulerException {
        throw todo("unblockUserInAccount");
    }

    @Override
    public boolean isUserBlockedInAccount(String userId, String account) throws SchedulerException {
        throw todo("isUserBlockedInAccount");
    }

    @Override
    public void deleteUser(String userId) throws SchedulerException {
        throw todo("deleteUser");
    }

    @Override
    public SubmittedJob submitJob(JobSpec spec) throws SchedulerException {
        throw todo("submitJob");
    }

    @Override
    public SubmittedJob submitScript(String userId, String script, String workingDirectory)
            throws SchedulerException {
        throw todo("submitScript");
    }

    @Override
    public JobQuery.Result queryJobs(JobQuery query) throws SchedulerException {
        throw todo("queryJobs");
    }

    @Override
    public JobInfo getJob(String jobId) throws SchedulerException {
        throw todo("getJob");
    }

    @Override
    public void cancelJob(String userId, String jobId) throws SchedulerException {
        throw todo("cancelJob");
    }

    @Override
    public long timeLimitMinutes(String jobId) throws SchedulerException {
        throw todo("timeLimitMinutes");
    }

    @Override
    public void changeTimeLimit(String jobId, long deltaMinutes) throws SchedulerException {
        throw todo("changeTimeLimit");
    }

    @Override
    public List<Partition> partitions() throws SchedulerException {
        throw todo("partitions");
    }

    @Override
    public List<Partition> availablePartitions(String account, String userId) throws SchedulerException {
        throw todo("availablePartitions");
    }

    @Override
    public ClusterUsage usage() throws SchedulerException {
        throw todo("usage");
    }

    @Override
    public List<NodeInfo> nodes(Set<String> names) throws SchedulerException {
        throw todo("nodes");
    }

    @Override
    public void close() {
        // release connections here
    }
}
