package org.scow.billing;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * An immutable item of a price table: a new price for the same key is a new item with a later {@code validFrom}.
 *
 * @param id        the item's id
 * @param tenant    the tenant whose table it belongs to, or null for the platform's default table
 * @param cluster   the cluster it prices
 * @param partition the partition it prices
 * @param qos       the QoS it prices, or null for every QoS without an own item
 * @param price     the price per unit-hour
 * @param amount    what a unit is
 * @param validFrom from when on it applies
 * @param createdAt when it was added
 * @param createdBy who added it
 * @param comment   free text, or null
 */
public record Price(long id, String tenant, String cluster, String partition, String qos, BigDecimal price,
                    AmountStrategy amount, Instant validFrom, Instant createdAt, String createdBy, String comment) {
}
