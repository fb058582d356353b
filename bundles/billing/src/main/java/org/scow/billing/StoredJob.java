package org.scow.billing;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * A finished job as billing stored it.
 *
 * @param cluster        the job's cluster
 * @param jobId          its id on the cluster
 * @param account        its account
 * @param tenant         the account's tenant, or null if the account is not managed by the platform
 * @param user           who ran it
 * @param partition      its partition
 * @param qos            its QoS, or null
 * @param state          its final state
 * @param endTime        when it ended
 * @param elapsedSeconds how long it ran
 * @param accountCharge  what its account is charged
 * @param tenantCharge   what its tenant is charged
 * @param chargeState    {@code PENDING}, {@code CHARGED}, {@code UNMANAGED} (no tenant) or {@code NO_PRICE}
 */
public record StoredJob(String cluster, String jobId, String account, String tenant, String user,
                        String partition, String qos, String state, Instant endTime, long elapsedSeconds,
                        BigDecimal accountCharge, BigDecimal tenantCharge, String chargeState) {
}
