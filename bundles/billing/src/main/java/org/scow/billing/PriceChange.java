package org.scow.billing;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * A retroactive price for the charged jobs of one key that ended in [{@code from}, {@code to}).
 *
 * @param id        the change's id
 * @param tenant    the tenant whose table it changes, or null for the default table
 * @param cluster   the jobs' cluster
 * @param partition the jobs' partition
 * @param qos       the jobs' QoS, or null for all
 * @param price     the new price per unit-hour
 * @param amount    what a unit is
 * @param from      the earliest end time of the jobs it applies to (inclusive)
 * @param to        the latest end time of the jobs it applies to (exclusive)
 * @param createdAt when it was recorded
 * @param createdBy who recorded it
 * @param comment   free text, or null
 */
public record PriceChange(long id, String tenant, String cluster, String partition, String qos, BigDecimal price,
                          AmountStrategy amount, Instant from, Instant to, Instant createdAt, String createdBy,
                          String comment) {
}
