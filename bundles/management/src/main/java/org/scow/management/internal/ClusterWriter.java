package org.scow.management.internal;

import java.util.Set;
import org.osgi.service.component.annotations.Component;
import org.scow.api.scheduler.SchedulerDriver;
import org.scow.api.scheduler.SchedulerException;

/**
 * The one writer of accounts, members and blocks on the clusters. Block reconciliation ({@link ClusterSyncService})
 * writes the platform's desired state through it, and so do the cluster account endpoints of the REST API
 * ({@code /api/v1/clusters/{cluster}/accounts}, {@link org.scow.management.rest.AccountResource}); no other code
 * calls these driver methods. A direct write that contradicts the desired state (e.g. unblocking an account that
 * is below its threshold) holds until the next reconciliation repairs it.
 */
@Component(service = ClusterWriter.class)
public class ClusterWriter {
    public void createAccount(SchedulerDriver driver, String account, String owner) throws SchedulerException {
        driver.createAccount(account, owner);
    }

    public void deleteAccount(SchedulerDriver driver, String account) throws SchedulerException {
        driver.deleteAccount(account);
    }

    /** Blocks an account wholly ({@code partitions} empty) or in some partitions. */
    public void blockAccount(SchedulerDriver driver, String account, Set<String> partitions)
            throws SchedulerException {
        if (partitions.isEmpty()) {
            driver.blockAccount(account);
        } else {
            driver.blockAccount(account, partitions);
        }
    }

    /** Unblocks an account wholly ({@code partitions} empty) or in some partitions. */
    public void unblockAccount(SchedulerDriver driver, String account, Set<String> partitions)
            throws SchedulerException {
        if (partitions.isEmpty()) {
            driver.unblockAccount(account);
        } else {
            driver.unblockAccount(account, partitions);
        }
    }

    public void addUser(SchedulerDriver driver, String account, String user) throws SchedulerException {
        driver.addUserToAccount(user, account);
    }

    public void removeUser(SchedulerDriver driver, String account, String user) throws SchedulerException {
        driver.removeUserFromAccount(user, account);
    }

    public void blockUser(SchedulerDriver driver, String account, String user) throws SchedulerException {
        driver.blockUserInAccount(user, account);
    }

    public void unblockUser(SchedulerDriver driver, String account, String user) throws SchedulerException {
        driver.unblockUserInAccount(user, account);
    }
}
