package org.scow.billing.internal;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.scow.api.scheduler.JobInfo;
import org.scow.api.scheduler.Partition;
import org.scow.billing.Adjustment;
import org.scow.billing.AmountStrategy;
import org.scow.billing.Balance;
import org.scow.billing.BillingService;
import org.scow.billing.Charge;
import org.scow.billing.Payment;
import org.scow.billing.Price;
import org.scow.billing.PriceChange;
import org.scow.billing.Scope;
import org.scow.billing.StatisticsReport;
import org.scow.billing.StoredJob;
import org.scow.billing.UserLimit;
import org.scow.management.Actor;
import org.scow.management.AuditLog;
import org.scow.management.BlockFacts;
import org.scow.management.ManagementService;

/**
 * The billing service, wired from its parts: {@link Ledger} (payments, manual charges, thresholds),
 * {@link UserLimits}, {@link PriceTable}, {@link PriceChanges}, {@link JobCharging}, {@link ScopedRecords},
 * {@link BillingStatistics} and {@link MoneyBlocks}. It only delegates; the fetch loop is attached by the
 * component ({@link #attach(FetchLoop)}).
 */
public class BillingServiceImpl implements BillingService, BlockFacts {
    private final BillingContext ctx;
    private final Ledger ledger;
    private final UserLimits limits;
    private final PriceTable prices;
    private final Pricing pricing;
    private final PriceChanges priceChanges;
    private final JobCharging jobs;
    private final ScopedRecords records;
    private final BillingStatistics statistics;
    private final MoneyBlocks blocks;
    private volatile FetchLoop fetchLoop;

    public BillingServiceImpl(javax.persistence.EntityManagerFactory emf, ManagementService management,
                              AuditLog audit, Clock clock, Pricing pricing) {
        this.ctx = new BillingContext(emf, management, audit, clock);
        Balances balances = new Balances(ctx);
        this.ledger = new Ledger(ctx, balances);
        this.limits = new UserLimits(ctx);
        this.prices = new PriceTable(ctx);
        this.priceChanges = new PriceChanges(ctx, balances, prices, pricing);
        this.pricing = pricing;
        this.jobs = new JobCharging(ctx, balances, pricing);
        this.records = new ScopedRecords(ctx);
        this.statistics = new BillingStatistics(ctx.emf, management);
        this.blocks = new MoneyBlocks(ctx);
    }

    /** Called with an account after a committed change of its balance-or-limit block state. */
    public void onAccountStateChanged(Consumer<String> listener) {
        ctx.onAccountStateChanged(listener);
    }

    /** The loop that fetches and charges the clusters' jobs; answers {@link #fetchNow} and the missing prices. */
    void attach(FetchLoop loop) {
        this.fetchLoop = loop;
    }

    /** The part that stores and charges jobs, for the fetch loop. */
    JobCharging jobCharging() {
        return jobs;
    }

    @Override
    public List<Price> prices(String tenant) {
        return prices.prices(tenant);
    }

    @Override
    public Price addPrice(Actor actor, String tenant, String cluster, String partition, String qos, BigDecimal price,
                          AmountStrategy amount, Instant validFrom, String comment) {
        return prices.addPrice(actor, tenant, cluster, partition, qos, price, amount, validFrom, comment);
    }

    @Override
    public List<String> missingDefaultPrices() {
        FetchLoop loop = fetchLoop;
        return loop == null ? List.of() : missingDefaultPrices(loop.onlinePartitions(), Instant.now());
    }

    /** "cluster/partition" keys, of the given partitions per cluster, that have no default price valid at {@code at}. */
    public List<String> missingDefaultPrices(Map<String, List<String>> partitions, Instant at) {
        return prices.missingDefaultPrices(partitions, at);
    }

    @Override
    public Adjustment changePriceRetroactively(Actor actor, String tenant, String cluster, String partition,
                                               String qos, BigDecimal price, AmountStrategy amount, Instant from,
                                               Instant to, String comment) {
        return priceChanges.changePriceRetroactively(actor, tenant, cluster, partition, qos, price, amount, from, to,
                comment);
    }

    @Override
    public List<PriceChange> priceChanges() {
        return priceChanges.priceChanges();
    }

    @Override
    public Adjustment applyPriceChange(Actor actor, long changeId) {
        return priceChanges.applyPriceChange(actor, changeId);
    }

    @Override
    public Balance balance(String targetType, String target) {
        return ledger.balance(targetType, target);
    }

    public Balance pay(Actor actor, String targetType, String target, BigDecimal amount, String method,
                       String comment) {
        return pay(actor, targetType, target, amount, method, comment, null);
    }

    @Override
    public Balance pay(Actor actor, String targetType, String target, BigDecimal amount, String method,
                       String comment, String idempotencyKey) {
        return ledger.pay(actor, targetType, target, amount, method, comment, idempotencyKey);
    }

    public Balance charge(Actor actor, String targetType, String target, BigDecimal amount, String comment) {
        return charge(actor, targetType, target, amount, comment, null);
    }

    @Override
    public Balance charge(Actor actor, String targetType, String target, BigDecimal amount, String comment,
                          String idempotencyKey) {
        return ledger.charge(actor, targetType, target, amount, comment, idempotencyKey);
    }

    @Override
    public Balance setAccountThreshold(Actor actor, String account, BigDecimal threshold) {
        return ledger.setAccountThreshold(actor, account, threshold);
    }

    @Override
    public Balance setTenantAccountThreshold(Actor actor, String tenant, BigDecimal threshold) {
        return ledger.setTenantAccountThreshold(actor, tenant, threshold);
    }

    public List<Payment> payments(String targetType, String target, Instant from, Instant to, int limit) {
        return payments(Scope.ALL, targetType, target, from, to, 0, limit);
    }

    @Override
    public List<Payment> payments(Scope scope, String targetType, String target, Instant from, Instant to,
                                  int offset, int limit) {
        return records.payments(scope, targetType, target, from, to, offset, limit);
    }

    public List<Charge> charges(String targetType, String target, Instant from, Instant to, int limit) {
        return charges(Scope.ALL, targetType, target, from, to, 0, limit);
    }

    @Override
    public List<Charge> charges(Scope scope, String targetType, String target, Instant from, Instant to, int offset,
                                int limit) {
        return records.charges(scope, targetType, target, from, to, offset, limit);
    }

    @Override
    public UserLimit userLimit(String account, String user) {
        return limits.userLimit(account, user);
    }

    @Override
    public UserLimit setUserLimit(Actor actor, String account, String user, BigDecimal limit) {
        return limits.setUserLimit(actor, account, user, limit);
    }

    @Override
    public UserLimit cancelUserLimit(Actor actor, String account, String user) {
        return limits.cancelUserLimit(actor, account, user);
    }

    @Override
    public UserLimit resetUserUsage(Actor actor, String account, String user) {
        return limits.resetUserUsage(actor, account, user);
    }

    public List<StoredJob> jobs(String cluster, String account, Instant from, Instant to, int limit) {
        return jobs(Scope.ALL, cluster, account, from, to, 0, limit);
    }

    @Override
    public List<StoredJob> jobs(Scope scope, String cluster, String account, Instant from, Instant to, int offset,
                                int limit) {
        return records.jobs(scope, cluster, account, from, to, offset, limit);
    }

    @Override
    public StatisticsReport statistics(Scope scope, Instant from, Instant to, int top) {
        return statistics.report(scope, from, to, top);
    }

    @Override
    public List<Object> fetchNow(String cluster) {
        FetchLoop loop = fetchLoop;
        return loop == null ? List.of() : loop.fetchNow(cluster);
    }

    /** See {@link JobCharging#storeJobs}. */
    public List<Long> storeJobs(String cluster, List<JobInfo> jobInfos, Map<String, Partition> partitions) {
        return jobs.storeJobs(cluster, jobInfos, partitions);
    }

    /** See {@link JobCharging#pendingJobs}. */
    public List<Long> pendingJobs(String cluster) {
        return jobs.pendingJobs(cluster);
    }

    /** See {@link JobCharging#chargeJob}. */
    public boolean chargeJob(long id) {
        return jobs.chargeJob(id);
    }

    @Override
    public Set<String> belowThreshold(Map<String, String> accounts) {
        return blocks.belowThreshold(accounts);
    }

    @Override
    public Map<String, Set<String>> usersOverLimit() {
        return blocks.usersOverLimit();
    }

    @Override
    public java.util.Optional<BigDecimal> defaultPrice(String cluster, org.scow.api.scheduler.JobInfo job) {
        return prices.defaultPrice(pricing, cluster, job);
    }
}
