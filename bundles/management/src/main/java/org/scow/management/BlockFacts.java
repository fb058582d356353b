package org.scow.management;

import org.osgi.annotation.versioning.ConsumerType;
import java.util.Map;
import java.util.Set;

/**
 * What money says about blocking, supplied by the billing bundle: which accounts are at or below their block
 * threshold, and which users exceeded their job-charge limit in an account.
 */
@ConsumerType
public interface BlockFacts {
    /**
     * @param accounts account name to its tenant, for every account to judge
     * @return the accounts among them whose balance is at or below their threshold
     */
    Set<String> belowThreshold(Map<String, String> accounts);

    /** Account name to the users that reached their job-charge limit there. */
    Map<String, Set<String>> usersOverLimit();
}
