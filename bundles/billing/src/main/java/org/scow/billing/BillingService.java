package org.scow.billing;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.osgi.annotation.versioning.ProviderType;
import org.scow.management.Actor;

/**
 * Prices, balances, payments, charges, per-user charge limits and the stored jobs of the platform. Every write is
 * audited with its {@link Actor}; a refused call throws {@link org.scow.management.ManagementException} with the
 * status and code the REST API answers. Balances change atomically with the record that moves them, and a job is
 * charged exactly once.
 */
@ProviderType
public interface BillingService {
    /** Target type of account balances and records. */
    String ACCOUNT = "ACCOUNT";
    /** Target type of tenant balances and records. */
    String TENANT = "TENANT";

    // ---- prices ----

    /** Every item of the default table (tenant null) or of a tenant's table, history included. */
    List<Price> prices(String tenant);

    /**
     * Adds an immutable price item; it replaces the item of the same key from {@code validFrom} (default now) on.
     * {@code validFrom} may not lie in the past: use {@link #changePriceRetroactively} for the past.
     */
    Price addPrice(Actor actor, String tenant, String cluster, String partition, String qos, BigDecimal price,
                   AmountStrategy amount, Instant validFrom, String comment);

    /** Partitions of the online clusters without a default price now, as "cluster/partition". */
    List<String> missingDefaultPrices();

    /**
     * What the default table charges for a job of {@code cluster} (at its end, or now while it runs); empty when its
     * partition has no price. Settlement with other centers prices their users' jobs with it.
     */
    java.util.Optional<BigDecimal> defaultPrice(String cluster, org.scow.api.scheduler.JobInfo job);

    /**
     * Records a retroactive price for the charged jobs of one key that ended in [from, to) and applies it, with one
     * ADJUSTMENT record per job and target whose charge differs.
     */
    Adjustment changePriceRetroactively(Actor actor, String tenant, String cluster, String partition, String qos,
                                        BigDecimal price, AmountStrategy amount, Instant from, Instant to,
                                        String comment);

    /** Every retroactive price change, newest first. */
    List<PriceChange> priceChanges();

    /** Applies a recorded price change again (to jobs charged since); adds nothing twice. */
    Adjustment applyPriceChange(Actor actor, long changeId);

    // ---- balances, payments and charges ----

    /** The balance of an account or tenant ({@link #ACCOUNT} or {@link #TENANT}). */
    Balance balance(String targetType, String target);

    /**
     * Tops up an account or tenant. With an idempotency key, a repeated call with the same key (and the same
     * request) answers the first call's balance and moves nothing.
     */
    Balance pay(Actor actor, String targetType, String target, BigDecimal amount, String method, String comment,
                String idempotencyKey);

    /** A charge by hand (e.g. storage or a correction), recorded as kind MANUAL; idempotent like {@link #pay}. */
    Balance charge(Actor actor, String targetType, String target, BigDecimal amount, String comment,
                   String idempotencyKey);

    /** Block threshold of one account; null falls back to its tenant's default. */
    Balance setAccountThreshold(Actor actor, String account, BigDecimal threshold);

    /** Default block threshold of a tenant's accounts. */
    Balance setTenantAccountThreshold(Actor actor, String tenant, BigDecimal threshold);

    /** Payments in the scope, newest first; {@code offset} pages through them ({@code limit} 1..10000). */
    List<Payment> payments(Scope scope, String targetType, String target, Instant from, Instant to, int offset,
                           int limit);

    /** Charges (JOB, MANUAL and ADJUSTMENT records) in the scope, newest first. */
    List<Charge> charges(Scope scope, String targetType, String target, Instant from, Instant to, int offset,
                         int limit);

    // ---- per-user charge limits ----

    /** A member's job-charge limit in an account (no limit: {@code limit} null). */
    UserLimit userLimit(String account, String user);

    /** Sets a member's limit; reaching it blocks the user in the account. */
    UserLimit setUserLimit(Actor actor, String account, String user, BigDecimal limit);

    /** Removes the limit (and so any block it caused). */
    UserLimit cancelUserLimit(Actor actor, String account, String user);

    /** Starts counting the user's job charges from zero again. */
    UserLimit resetUserUsage(Actor actor, String account, String user);

    // ---- jobs and reports ----

    /** Stored jobs in the scope, by end time, newest first. */
    List<StoredJob> jobs(Scope scope, String cluster, String account, Instant from, Instant to, int offset,
                         int limit);

    /** Statistics of [from, to) (at most 366 days) by UTC day, with the {@code top} (1..100) accounts by charges. */
    StatisticsReport statistics(Scope scope, Instant from, Instant to, int top);

    /**
     * Runs the job fetch and charge loop now on one cluster (null: every online one); one result, or an error
     * description, per cluster.
     */
    List<Object> fetchNow(String cluster);
}
