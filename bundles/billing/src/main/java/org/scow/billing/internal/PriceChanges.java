package org.scow.billing.internal;

import static org.scow.billing.BillingService.ACCOUNT;
import static org.scow.billing.BillingService.TENANT;
import static org.scow.billing.internal.BillingContext.params;

import java.math.BigDecimal;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import javax.persistence.EntityManager;
import javax.persistence.LockModeType;
import javax.persistence.PersistenceException;
import javax.persistence.TypedQuery;
import org.scow.billing.Adjustment;
import org.scow.billing.AmountStrategy;
import org.scow.billing.PriceChange;
import org.scow.management.Actor;
import org.scow.management.ManagementException;

/**
 * Retroactive price changes: a recorded price for the charged jobs of one key in a past time range, applied as
 * ADJUSTMENT charge records (the difference to what each job was charged so far), at most once per job and target.
 */
final class PriceChanges {
    private final BillingContext ctx;
    private final Balances balances;
    private final PriceTable prices;
    private final Pricing pricing;

    PriceChanges(BillingContext ctx, Balances balances, PriceTable prices, Pricing pricing) {
        this.ctx = ctx;
        this.balances = balances;
        this.prices = prices;
        this.pricing = pricing;
    }

    /**
     * Records a retroactive price for the charged jobs of one key (cluster, partition, optional QoS; tenant null:
     * the default table) that ended in [from, to), and applies it ({@link #applyPriceChange}).
     */
    Adjustment changePriceRetroactively(Actor actor, String tenant, String cluster, String partition, String qos,
                                        BigDecimal price, AmountStrategy amount, java.time.Instant from,
                                        java.time.Instant to, String comment) {
        Actor who = actor == null ? Actor.SYSTEM : actor;
        PriceChange change = ctx.audited(who, "CHANGE_PRICE_RETROACTIVELY", tenant == null ? "PLATFORM" : TENANT,
                tenant == null ? "default" : tenant, params("cluster", cluster, "partition", partition, "qos", qos,
                        "price", price, "amount", amount, "from", from, "to", to, "comment", comment), () -> {
            BigDecimal p = prices.checkPrice(tenant, cluster, partition, qos, price, amount, comment);
            if (from == null || to == null) {
                throw ManagementException.invalid(from == null ? "from" : "to", "is required");
            }
            if (!from.isBefore(to)) {
                throw ManagementException.invalid("from", "must lie before to");
            }
            if (to.isAfter(ctx.now())) {
                throw ManagementException.invalid("to", "must not lie in the future: a retroactive price changes "
                        + "past charges only (add a price item for the future)");
            }
            return ctx.tx(em -> {
                PriceChangeEntity c = new PriceChangeEntity();
                c.tenant = tenant;
                c.cluster = cluster;
                c.partition = partition;
                c.qos = qos;
                c.price = p;
                c.amount = amount.name();
                c.validFrom = from.truncatedTo(ChronoUnit.MICROS);
                c.validTo = to.truncatedTo(ChronoUnit.MICROS);
                c.createdAt = ctx.now();
                c.createdBy = who.userId();
                c.comment = comment;
                em.persist(c);
                em.flush();
                return toChange(c);
            });
        });
        return applyPriceChange(who, change.id());
    }

    List<PriceChange> priceChanges() {
        return ctx.read(em -> em.createQuery("SELECT c FROM PriceChangeEntity c ORDER BY c.id DESC",
                PriceChangeEntity.class).getResultList().stream().map(PriceChanges::toChange).toList());
    }

    /**
     * Brings every matching charged job to the change's price with one ADJUSTMENT record per target whose charge
     * differs: the difference between the new charge and what the job was charged so far (its JOB record plus
     * earlier adjustments). A job gets at most one adjustment per (target, change), so applying again adds nothing
     * (except for jobs charged since). Each job is adjusted in its own transaction under its row lock.
     */
    Adjustment applyPriceChange(Actor actor, long changeId) {
        return ctx.audited(actor, "APPLY_PRICE_CHANGE", "PRICE_CHANGE", String.valueOf(changeId), Map.of(), () -> {
            PriceChange c = ctx.read(em -> {
                PriceChangeEntity e = em.find(PriceChangeEntity.class, changeId);
                if (e == null) {
                    throw new ManagementException(404, "PRICE_CHANGE_NOT_FOUND", "no price change " + changeId,
                            Map.of("id", changeId));
                }
                return toChange(e);
            });
            List<Long> ids = ctx.read(em -> matchingJobs(em, c));
            BigDecimal[] diff = {Money.zero(), Money.zero()};
            int records = 0;
            Set<String> flipped = new TreeSet<>();
            for (long id : ids) {
                records += adjustJob(c, id, diff, flipped);
            }
            flipped.forEach(ctx::notifyChanged);
            return new Adjustment(c, ids.size(), records, diff[0], diff[1]);
        });
    }

    private static List<Long> matchingJobs(EntityManager em, PriceChange c) {
        StringBuilder q = new StringBuilder("SELECT j.id FROM JobEntity j WHERE j.chargeState = :charged "
                + "AND j.cluster = :c AND j.partition = :p AND j.endTime >= :from AND j.endTime < :to");
        if (c.qos() != null) {
            q.append(" AND j.qos = :q");
        }
        if (c.tenant() != null) {
            q.append(" AND j.tenant = :t");
        }
        TypedQuery<Long> query = em.createQuery(q.append(" ORDER BY j.id").toString(), Long.class)
                .setParameter("charged", JobCharging.CHARGED).setParameter("c", c.cluster())
                .setParameter("p", c.partition()).setParameter("from", c.from()).setParameter("to", c.to());
        if (c.qos() != null) {
            query.setParameter("q", c.qos());
        }
        if (c.tenant() != null) {
            query.setParameter("t", c.tenant());
        }
        return query.getResultList();
    }

    private int adjustJob(PriceChange c, long jobId, BigDecimal[] diff, Set<String> flipped) {
        try {
            return ctx.tx(em -> {
                JobEntity j = em.find(JobEntity.class, jobId, LockModeType.PESSIMISTIC_WRITE);
                BigDecimal charge = pricing.charge(c.price(), c.amount().amount(j.cpus, j.gpus, j.memMb, null),
                        j.elapsedSeconds);
                int added = 0;
                // the default table prices tenants, and accounts whose tenant had no own price for the job
                boolean account = c.tenant() != null
                        || j.accountPriceId != null && PriceTable.isDefaultItem(em, j.accountPriceId);
                boolean tenant = c.tenant() == null;
                BigDecimal d = account ? adjust(em, c, j, ACCOUNT, j.account, charge) : null;
                if (d != null) {
                    added++;
                    diff[0] = diff[0].add(d);
                    if (balances.addToAccount(em, j.account, d.negate())
                            | UserLimits.addUsage(em, j.account, j.userId, d)) {
                        flipped.add(j.account);
                    }
                }
                d = tenant ? adjust(em, c, j, TENANT, j.tenant, charge) : null;
                if (d != null) {
                    added++;
                    diff[1] = diff[1].add(d);
                    balances.addToTenant(em, j.tenant, d.negate());
                }
                return added;
            });
        } catch (PersistenceException e) {
            if (BillingContext.isConstraintViolation(e)) {
                return 0; // applied concurrently by another run
            }
            throw e;
        }
    }

    /** Adds the adjustment record of one target if the job's charge so far differs and it has none for c yet. */
    private BigDecimal adjust(EntityManager em, PriceChange c, JobEntity j, String targetType, String target,
                              BigDecimal charge) {
        long done = em.createQuery("SELECT COUNT(r) FROM ChargeRecordEntity r WHERE r.targetType = :tt "
                        + "AND r.cluster = :c AND r.jobId = :j AND r.priceChangeId = :pc", Long.class)
                .setParameter("tt", targetType).setParameter("c", j.cluster).setParameter("j", j.jobId)
                .setParameter("pc", c.id()).getSingleResult();
        if (done > 0) {
            return null;
        }
        BigDecimal sofar = em.createQuery("SELECT SUM(r.amount) FROM ChargeRecordEntity r WHERE r.targetType = :tt "
                        + "AND r.cluster = :c AND r.jobId = :j", BigDecimal.class)
                .setParameter("tt", targetType).setParameter("c", j.cluster).setParameter("j", j.jobId)
                .getSingleResult();
        BigDecimal d = charge.subtract(sofar == null ? BigDecimal.ZERO : sofar).setScale(Money.SCALE);
        if (d.signum() == 0) {
            return null;
        }
        ChargeRecordEntity r = JobCharging.jobCharge(j, targetType, target, d, ctx.now());
        r.kind = "ADJUSTMENT";
        r.priceChangeId = c.id();
        r.comment = "price change " + c.id() + ": " + c.price().toPlainString() + " per " + c.amount() + "-hour";
        em.persist(r);
        em.flush();
        return d;
    }

    private static PriceChange toChange(PriceChangeEntity c) {
        return new PriceChange(c.id, c.tenant, c.cluster, c.partition, c.qos, c.price,
                AmountStrategy.valueOf(c.amount), c.validFrom, c.validTo, c.createdAt, c.createdBy, c.comment);
    }
}
