package org.scow.billing.internal;

import static org.scow.billing.BillingService.TENANT;
import static org.scow.billing.internal.BillingContext.checkName;
import static org.scow.billing.internal.BillingContext.checkText;
import static org.scow.billing.internal.BillingContext.params;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import javax.persistence.EntityManager;
import org.scow.billing.AmountStrategy;
import org.scow.billing.Price;
import org.scow.management.Actor;
import org.scow.management.ManagementException;

/** The price tables: immutable items, the default table (tenant null) and one per tenant; never changed backwards. */
final class PriceTable {
    private final BillingContext ctx;

    PriceTable(BillingContext ctx) {
        this.ctx = ctx;
    }

    /** Validates what a price item and a retroactive price change share; answers the price. */
    BigDecimal checkPrice(String tenant, String cluster, String partition, String qos, BigDecimal price,
                          AmountStrategy amount, String comment) {
        checkName("cluster", cluster);
        checkName("partition", partition);
        if (qos != null) {
            checkName("qos", qos);
        }
        if (amount == null) {
            throw ManagementException.invalid("amount", "is required: one of CPUS, GPUS, MAX_CPUS_MEM, MAX_GPUS_CPUS");
        }
        BigDecimal p = Money.nonNegative("price", price);
        checkText("comment", comment, 1000);
        if (tenant != null && ctx.management.tenant(tenant).isEmpty()) {
            throw ManagementException.notFound("tenant", tenant);
        }
        return p;
    }

    /**
     * Adds an immutable price item; it replaces the item of the same key from {@code validFrom} (default now) on.
     * Prices are not changed retroactively: {@code validFrom} may not lie in the past.
     */
    Price addPrice(Actor actor, String tenant, String cluster, String partition, String qos, BigDecimal price,
                   AmountStrategy amount, Instant validFrom, String comment) {
        return ctx.audited(actor, "ADD_PRICE", tenant == null ? "PLATFORM" : TENANT,
                tenant == null ? "default" : tenant, params("cluster", cluster, "partition", partition, "qos", qos,
                        "price", price, "amount", amount, "validFrom", validFrom, "comment", comment), () -> {
            BigDecimal p = checkPrice(tenant, cluster, partition, qos, price, amount, comment);
            Instant now = ctx.now();
            Instant from = validFrom == null ? now : validFrom.truncatedTo(ChronoUnit.MICROS);
            if (from.isBefore(now.minus(Duration.ofMinutes(1)))) {
                throw ManagementException.invalid("validFrom", "must not lie in the past (prices are not changed "
                        + "retroactively), was " + validFrom);
            }
            return ctx.tx(em -> {
                PriceItemEntity i = new PriceItemEntity();
                i.tenant = tenant;
                i.cluster = cluster;
                i.partition = partition;
                i.qos = qos;
                i.price = p;
                i.amount = amount.name();
                i.validFrom = from;
                i.createdAt = now;
                i.createdBy = actor.userId();
                i.comment = comment;
                em.persist(i);
                em.flush();
                return toPrice(i);
            });
        });
    }

    /** Every item of the default table (tenant null) or of a tenant's table, history included. */
    List<Price> prices(String tenant) {
        return ctx.read(em -> (tenant == null
                ? em.createQuery("SELECT i FROM PriceItemEntity i WHERE i.tenant IS NULL "
                + "ORDER BY i.cluster, i.partition, i.qos, i.validFrom, i.id", PriceItemEntity.class)
                : em.createQuery("SELECT i FROM PriceItemEntity i WHERE i.tenant = :t "
                + "ORDER BY i.cluster, i.partition, i.qos, i.validFrom, i.id", PriceItemEntity.class)
                .setParameter("t", tenant)).getResultList().stream().map(PriceTable::toPrice).toList());
    }

    /**
     * The default table's charge for a job on {@code cluster} (priced at its end, or now while it has none), with the
     * job's allocated or else requested resources; empty without a price for its partition. Federation settlement
     * charges peers' jobs with it.
     */
    java.util.Optional<BigDecimal> defaultPrice(Pricing pricing, String cluster, org.scow.api.scheduler.JobInfo j) {
        Instant at = j.endTime() != null ? j.endTime() : ctx.now();
        List<PriceItemEntity> items = ctx.read(PriceTable::allItems);
        return Pricing.find(items, null, cluster, j.partition(), j.qos(), at).map(item -> pricing.charge(item.price,
                AmountStrategy.valueOf(item.amount).amount(
                        j.cpusAlloc() != null ? j.cpusAlloc() : j.cpusReq(),
                        j.gpusAlloc() != null ? j.gpusAlloc() : j.gpusReq(),
                        j.memAllocMb() != null ? j.memAllocMb() : j.memReqMb(), null),
                j.elapsedSeconds() == null ? 0 : j.elapsedSeconds()));
    }

    static List<PriceItemEntity> allItems(EntityManager em) {
        return em.createQuery("SELECT i FROM PriceItemEntity i", PriceItemEntity.class).getResultList();
    }

    /** "cluster/partition" keys, of the given partitions per cluster, that have no default price valid at {@code at}. */
    List<String> missingDefaultPrices(Map<String, List<String>> partitions, Instant at) {
        return ctx.read(em -> {
            List<PriceItemEntity> items = allItems(em);
            List<String> missing = new ArrayList<>();
            new TreeMap<>(partitions).forEach((cluster, parts) -> new TreeSet<>(parts).forEach(p -> {
                if (Pricing.find(items, null, cluster, p, null, at).filter(i -> i.qos == null).isEmpty()) {
                    missing.add(cluster + "/" + p);
                }
            }));
            return missing;
        });
    }

    /** Whether a price item belongs to the default table. */
    static boolean isDefaultItem(EntityManager em, long priceItemId) {
        PriceItemEntity i = em.find(PriceItemEntity.class, priceItemId);
        return i != null && i.tenant == null;
    }

    private static Price toPrice(PriceItemEntity i) {
        return new Price(i.id, i.tenant, i.cluster, i.partition, i.qos, i.price, AmountStrategy.valueOf(i.amount),
                i.validFrom, i.createdAt, i.createdBy, i.comment);
    }
}
