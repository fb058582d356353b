package org.scow.management;

import org.osgi.annotation.versioning.ProviderType;
import java.time.Instant;
import java.util.List;

/**
 * Makes every online cluster match the platform: its accounts and members exist there, and the block state of each
 * account and user-in-account is the desired one. An account is blocked when an admin blocked it, or when its
 * balance is at or below its threshold and it is not whitelisted; a user is blocked in an account when an admin
 * blocked them there or they reached their job-charge limit.
 */
@ProviderType
public interface ClusterSync {
    /** Compares desired and actual state on one cluster ({@code cluster} non-null) or all online clusters. */
    Report reconcile(String cluster);

    /** Applies one account's desired state on every online cluster, e.g. right after a payment. */
    Report syncAccount(String account);

    /**
     * @param action CREATE_ACCOUNT, ADD_USER, BLOCK_ACCOUNT, UNBLOCK_ACCOUNT, BLOCK_USER, UNBLOCK_USER
     * @param error  null when applied, else why not
     */
    record Change(String cluster, String account, String user, String action, String error) {
    }

    /**
     * @param clusters  clusters checked
     * @param offline   configured clusters that were offline (they are reconciled when they come back)
     * @param changes   what was changed, or failed to change
     */
    record Report(Instant at, List<String> clusters, List<String> offline, int accountsChecked,
                  List<Change> changes) {
        public Report {
            clusters = List.copyOf(clusters);
            offline = List.copyOf(offline);
            changes = List.copyOf(changes);
        }
    }
}
