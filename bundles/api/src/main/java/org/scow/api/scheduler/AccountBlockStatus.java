package org.scow.api.scheduler;

import java.util.Map;

/**
 * Whether an account may submit, overall and per partition.
 *
 * @param blocked      true when the account is blocked in every partition
 * @param partitions   partition name to blocked flag, for every partition of the cluster
 */
public record AccountBlockStatus(boolean blocked, Map<String, Boolean> partitions) {
    public AccountBlockStatus {
        partitions = Map.copyOf(partitions);
    }

    /** True when the account may not submit to {@code partition}. */
    public boolean blockedIn(String partition) {
        return blocked || partitions.getOrDefault(partition, false);
    }
}
