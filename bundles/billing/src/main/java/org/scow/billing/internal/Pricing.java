package org.scow.billing.internal;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Chooses the price of a job and computes its charge. Keyed by (cluster, partition, optional QoS): an item with the
 * job's QoS beats one without; among equally specific items the latest validFrom not after the job's end wins. An
 * account is charged by its tenant's table, falling back to the platform's default table; a tenant by the default
 * table.
 */
public final class Pricing {
    private final int precision;
    private final BigDecimal minCharge;

    public Pricing(int precision, BigDecimal minCharge) {
        if (precision < 0 || precision > Money.SCALE) {
            throw new IllegalArgumentException("precision must be 0.." + Money.SCALE);
        }
        this.precision = precision;
        this.minCharge = minCharge.setScale(Money.SCALE, RoundingMode.HALF_UP);
    }

    /** The item that prices a job for {@code tenant}'s table (null: default table), if any. */
    public static Optional<PriceItemEntity> find(List<PriceItemEntity> items, String tenant, String cluster,
                                                 String partition, String qos, Instant at) {
        return items.stream()
                .filter(i -> Objects.equals(i.tenant, tenant) && i.cluster.equals(cluster)
                        && i.partition.equals(partition) && (i.qos == null || i.qos.equals(qos))
                        && !i.validFrom.isAfter(at))
                .max(Comparator.<PriceItemEntity, Integer>comparing(i -> i.qos == null ? 0 : 1)
                        .thenComparing(i -> i.validFrom).thenComparing(i -> i.id));
    }

    /** Account price: the tenant's table, else the default table. */
    public static Optional<PriceItemEntity> forAccount(List<PriceItemEntity> items, String tenant, String cluster,
                                                       String partition, String qos, Instant at) {
        Optional<PriceItemEntity> own = find(items, tenant, cluster, partition, qos, at);
        return own.isPresent() ? own : find(items, null, cluster, partition, qos, at);
    }

    /** price × amount × hours, rounded half-up to the precision, at least the minimum charge when price > 0. */
    public BigDecimal charge(BigDecimal price, BigDecimal amount, long elapsedSeconds) {
        BigDecimal c = price.multiply(amount).multiply(BigDecimal.valueOf(Math.max(0, elapsedSeconds)))
                .divide(BigDecimal.valueOf(3600), precision, RoundingMode.HALF_UP);
        if (price.signum() > 0 && c.compareTo(minCharge) < 0) {
            c = minCharge;
        }
        return c.setScale(Money.SCALE, RoundingMode.HALF_UP);
    }
}
