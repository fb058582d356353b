package org.scow.billing.internal;

import static org.scow.billing.BillingService.ACCOUNT;
import static org.scow.billing.BillingService.TENANT;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.persistence.LockModeType;
import org.scow.api.scheduler.JobInfo;
import org.scow.api.scheduler.Partition;
import org.scow.billing.AmountStrategy;
import org.scow.management.Model;

/**
 * The stored jobs and their charging. A job is charged exactly once: its row is unique per (cluster, job id), and
 * charging first flips it from PENDING to CHARGED with a conditional update that only one transaction can win; the
 * charge records are unique per (target, job) as a second guard.
 */
final class JobCharging {
    static final String PENDING = "PENDING";
    static final String CHARGED = "CHARGED";
    static final String UNMANAGED = "UNMANAGED";
    static final String NO_PRICE = "NO_PRICE";

    private final BillingContext ctx;
    private final Balances balances;
    private final Pricing pricing;

    JobCharging(BillingContext ctx, Balances balances, Pricing pricing) {
        this.ctx = ctx;
        this.balances = balances;
        this.pricing = pricing;
    }

    /** The end time up to which jobs of a cluster have been stored, or null before the first fetch. */
    Instant watermark(String cluster) {
        return ctx.read(em -> {
            FetchStateEntity f = em.find(FetchStateEntity.class, cluster);
            return f == null ? null : f.watermark;
        });
    }

    /**
     * Stores the finished jobs not stored yet, with their computed charges, and advances the cluster's watermark,
     * in one transaction that holds the cluster's fetch-state row lock (so two nodes never store the same page at
     * once). Nothing is charged here.
     *
     * @return ids of the newly stored jobs that await charging
     */
    List<Long> storeJobs(String cluster, List<JobInfo> jobs, Map<String, Partition> partitions) {
        Map<String, String> tenants = new HashMap<>();
        for (JobInfo j : jobs) {
            if (j.account() != null && !tenants.containsKey(j.account())) {
                tenants.put(j.account(), ctx.management.account(j.account()).map(Model.Account::tenant)
                        .orElse(null));
            }
        }
        tenants.forEach((a, t) -> {
            if (t != null) {
                balances.ensureAccount(a, t);
            }
        });
        ctx.insertIfAbsent(em -> em.find(FetchStateEntity.class, cluster) != null, em -> {
            FetchStateEntity f = new FetchStateEntity();
            f.cluster = cluster;
            em.persist(f);
        });
        List<JobEntity> pending = new ArrayList<>();
        ctx.tx(em -> {
            FetchStateEntity state = em.find(FetchStateEntity.class, cluster, LockModeType.PESSIMISTIC_WRITE);
            List<PriceItemEntity> items = PriceTable.allItems(em);
            Instant max = state.watermark;
            int stored = 0;
            for (JobInfo j : jobs) {
                if (!j.state().isFinished() || j.endTime() == null) {
                    continue;
                }
                Instant end = j.endTime().truncatedTo(ChronoUnit.MICROS);
                max = max == null || end.isAfter(max) ? end : max;
                long exists = em.createQuery("SELECT COUNT(j) FROM JobEntity j WHERE j.cluster = :c AND j.jobId = :id",
                        Long.class).setParameter("c", cluster).setParameter("id", j.jobId()).getSingleResult();
                if (exists > 0) {
                    continue;
                }
                JobEntity e = toEntity(cluster, j, end, tenants.get(j.account()), partitions.get(j.partition()),
                        items);
                em.persist(e);
                stored++;
                if (PENDING.equals(e.chargeState)) {
                    pending.add(e);
                }
            }
            state.watermark = max;
            state.lastRunAt = ctx.now();
            state.jobsStored += stored;
            em.flush();
            return null;
        });
        return pending.stream().map(e -> e.id).toList();
    }

    private JobEntity toEntity(String cluster, JobInfo j, Instant end, String tenant, Partition partition,
                               List<PriceItemEntity> items) {
        JobEntity e = new JobEntity();
        e.cluster = cluster;
        e.jobId = j.jobId();
        e.account = j.account();
        e.tenant = tenant;
        e.userId = j.user();
        e.partition = j.partition();
        e.qos = j.qos();
        e.state = j.state().name();
        e.cpus = j.cpusAlloc() != null ? j.cpusAlloc() : j.cpusReq();
        e.gpus = j.gpusAlloc() != null ? j.gpusAlloc() : j.gpusReq();
        e.memMb = j.memAllocMb() != null ? j.memAllocMb() : j.memReqMb();
        e.startTime = j.startTime() == null ? null : j.startTime().truncatedTo(ChronoUnit.MICROS);
        e.endTime = end;
        e.elapsedSeconds = j.elapsedSeconds() != null ? j.elapsedSeconds()
                : j.startTime() == null ? 0 : Math.max(0, Duration.between(j.startTime(), j.endTime()).getSeconds());
        e.accountCharge = Money.zero();
        e.tenantCharge = Money.zero();
        e.storedAt = ctx.now();
        if (tenant == null) {
            e.chargeState = UNMANAGED;
            return e;
        }
        var accountItem = Pricing.forAccount(items, tenant, cluster, e.partition, e.qos, end);
        var tenantItem = Pricing.find(items, null, cluster, e.partition, e.qos, end);
        if (accountItem.isEmpty() || tenantItem.isEmpty() || e.partition == null) {
            e.chargeState = NO_PRICE;
            return e;
        }
        e.accountPriceId = accountItem.get().id;
        e.tenantPriceId = tenantItem.get().id;
        e.accountCharge = chargeOf(accountItem.get(), e, partition);
        e.tenantCharge = chargeOf(tenantItem.get(), e, partition);
        e.chargeState = PENDING;
        return e;
    }

    private BigDecimal chargeOf(PriceItemEntity item, JobEntity e, Partition p) {
        BigDecimal amount = AmountStrategy.valueOf(item.amount).amount(e.cpus, e.gpus, e.memMb, p);
        return pricing.charge(item.price, amount, e.elapsedSeconds);
    }

    /** Ids of a cluster's stored jobs that still await charging (e.g. after a crash). */
    List<Long> pendingJobs(String cluster) {
        return ctx.read(em -> em.createQuery("SELECT j.id FROM JobEntity j WHERE j.cluster = :c "
                + "AND j.chargeState = :s ORDER BY j.id", Long.class).setParameter("c", cluster)
                .setParameter("s", PENDING).getResultList());
    }

    /**
     * Charges one stored job to its account and tenant in one transaction, if nobody has yet.
     *
     * @return true if this call charged it
     */
    boolean chargeJob(long id) {
        boolean[] changed = new boolean[1];
        String[] account = new String[1];
        boolean charged = ctx.tx(em -> {
            int won = em.createQuery("UPDATE JobEntity j SET j.chargeState = :charged, j.chargedAt = :now "
                            + "WHERE j.id = :id AND j.chargeState = :pending")
                    .setParameter("charged", CHARGED).setParameter("now", ctx.now()).setParameter("id", id)
                    .setParameter("pending", PENDING).executeUpdate();
            if (won == 0) {
                return false;
            }
            JobEntity j = em.find(JobEntity.class, id);
            account[0] = j.account;
            em.persist(jobCharge(j, ACCOUNT, j.account, j.accountCharge, ctx.now()));
            em.persist(jobCharge(j, TENANT, j.tenant, j.tenantCharge, ctx.now()));
            em.flush();
            changed[0] = balances.addToAccount(em, j.account, j.accountCharge.negate());
            balances.addToTenant(em, j.tenant, j.tenantCharge.negate());
            changed[0] |= UserLimits.addUsage(em, j.account, j.userId, j.accountCharge);
            return true;
        });
        if (changed[0]) {
            ctx.notifyChanged(account[0]);
        }
        return charged;
    }

    /** A JOB charge record of one target for a stored job. */
    static ChargeRecordEntity jobCharge(JobEntity j, String targetType, String target, BigDecimal amount,
                                        Instant now) {
        ChargeRecordEntity c = new ChargeRecordEntity();
        c.targetType = targetType;
        c.target = target;
        c.account = j.account;
        c.userId = j.userId;
        c.amount = amount;
        c.kind = "JOB";
        c.cluster = j.cluster;
        c.jobId = j.jobId;
        c.chargedAt = now;
        return c;
    }
}
