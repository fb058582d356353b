package org.scow.billing.internal;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import javax.persistence.EntityManager;
import javax.persistence.EntityManagerFactory;
import javax.persistence.LockModeType;
import javax.persistence.PersistenceException;
import javax.persistence.TypedQuery;
import org.scow.api.scheduler.JobInfo;
import org.scow.api.scheduler.Names;
import org.scow.api.scheduler.Partition;
import org.scow.management.Actor;
import org.scow.management.AuditLog;
import org.scow.management.BlockFacts;
import org.scow.management.ManagementException;
import org.scow.management.ManagementService;
import org.scow.management.Model;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Balances, payments, charges, prices and the stored jobs. Balances change only by atomic
 * {@code UPDATE ... SET balance = balance + ?} inside the transaction that writes the matching pay or charge record,
 * so concurrent payments and charges never lose an update. A job is charged exactly once: its row is unique per
 * (cluster, job id), and charging first flips it from PENDING to CHARGED with a conditional update that only one
 * transaction can win; the charge records are unique per (target, job) as a second guard.
 */
public class BillingStore implements BlockFacts {
    private static final Logger LOG = LoggerFactory.getLogger(BillingStore.class);
    public static final String ACCOUNT = "ACCOUNT";
    public static final String TENANT = "TENANT";
    static final String PENDING = "PENDING";
    static final String CHARGED = "CHARGED";
    static final String UNMANAGED = "UNMANAGED";
    static final String NO_PRICE = "NO_PRICE";

    private final EntityManagerFactory emf;
    private final ManagementService management;
    private final AuditLog audit;
    private final Clock clock;
    private final Pricing pricing;
    private volatile Consumer<String> accountStateChanged = a -> { };

    public record Balance(String targetType, String target, BigDecimal balance, BigDecimal threshold,
                          Boolean belowThreshold) {
    }

    public record Payment(long id, String targetType, String target, BigDecimal amount, String method,
                          String comment, String actor, String sourceIp, Instant paidAt) {
    }

    public record Charge(long id, String targetType, String target, String account, String user, BigDecimal amount,
                         String kind, String cluster, String jobId, String comment, Instant chargedAt) {
    }

    public record Price(long id, String tenant, String cluster, String partition, String qos, BigDecimal price,
                        AmountStrategy amount, Instant validFrom, Instant createdAt, String createdBy,
                        String comment) {
    }

    public record UserLimit(String account, String user, BigDecimal limit, BigDecimal used, boolean exceeded) {
    }

    public record StoredJob(String cluster, String jobId, String account, String tenant, String user,
                            String partition, String qos, String state, Instant endTime, long elapsedSeconds,
                            BigDecimal accountCharge, BigDecimal tenantCharge, String chargeState) {
    }

    public BillingStore(EntityManagerFactory emf, ManagementService management, AuditLog audit, Clock clock,
                        Pricing pricing) {
        this.emf = emf;
        this.management = management;
        this.audit = audit;
        this.clock = clock;
        this.pricing = pricing;
    }

    /** Called with an account after a committed change of its balance-or-limit block state. */
    public void onAccountStateChanged(Consumer<String> listener) {
        this.accountStateChanged = listener == null ? a -> { } : listener;
    }

    // ---- payments and manual charges ----------------------------------------------------------------------------

    public Balance pay(Actor actor, String targetType, String target, BigDecimal amount, String method,
                       String comment) {
        return pay(actor, targetType, target, amount, method, comment, null);
    }

    /**
     * Tops up an account or tenant. With an idempotency key, a repeated call with the same key answers the first
     * call's balance and moves nothing (see {@link IdempotencyKeys}).
     */
    public Balance pay(Actor actor, String targetType, String target, BigDecimal amount, String method,
                       String comment, String idempotencyKey) {
        String key = IdempotencyKeys.check(idempotencyKey);
        String fp = IdempotencyKeys.fingerprint("PAY", targetType, target, amount, method, comment);
        return idempotent(actor, "PAY", targetType, target, key, fp, () -> audited(actor, "PAY", targetType, target,
                params("amount", amount, "method", method, "comment", comment), () -> {
            BigDecimal m = Money.positive("amount", amount);
            checkText("method", method, 64);
            checkText("comment", comment, 1000);
            String tenant = resolve(targetType, target);
            Moved moved = tx(em -> {
                PayRecordEntity p = new PayRecordEntity();
                p.targetType = targetType;
                p.target = target;
                p.amount = m;
                p.method = method;
                p.comment = comment;
                p.actor = actor.userId();
                p.sourceIp = actor.sourceIp();
                p.paidAt = now();
                em.persist(p);
                boolean flipped = ACCOUNT.equals(targetType) ? addToAccount(em, target, m)
                        : addToTenant(em, tenant, m);
                return remembered(em, actor, key, "PAY", fp, targetType, target, flipped);
            });
            if (moved.flipped()) {
                notifyChanged(target);
            }
            return balance(targetType, target);
        }));
    }

    public Balance charge(Actor actor, String targetType, String target, BigDecimal amount, String comment) {
        return charge(actor, targetType, target, amount, comment, null);
    }

    /** A charge by hand (e.g. storage or a correction), recorded as kind MANUAL; idempotent like {@link #pay}. */
    public Balance charge(Actor actor, String targetType, String target, BigDecimal amount, String comment,
                          String idempotencyKey) {
        String key = IdempotencyKeys.check(idempotencyKey);
        String fp = IdempotencyKeys.fingerprint("CHARGE", targetType, target, amount, comment);
        return idempotent(actor, "CHARGE", targetType, target, key, fp, () -> audited(actor, "CHARGE", targetType,
                target, params("amount", amount, "comment", comment), () -> {
            BigDecimal m = Money.positive("amount", amount);
            checkText("comment", comment, 1000);
            String tenant = resolve(targetType, target);
            Moved moved = tx(em -> {
                ChargeRecordEntity c = new ChargeRecordEntity();
                c.targetType = targetType;
                c.target = target;
                c.account = ACCOUNT.equals(targetType) ? target : null;
                c.amount = m;
                c.kind = "MANUAL";
                c.comment = comment;
                c.chargedAt = now();
                em.persist(c);
                boolean flipped = ACCOUNT.equals(targetType) ? addToAccount(em, target, m.negate())
                        : addToTenant(em, tenant, m.negate());
                return remembered(em, actor, key, "CHARGE", fp, targetType, target, flipped);
            });
            if (moved.flipped()) {
                notifyChanged(target);
            }
            return balance(targetType, target);
        }));
    }

    /** What a money write did inside its transaction. */
    private record Moved(boolean flipped) {
    }

    private Moved remembered(EntityManager em, Actor actor, String key, String op, String fp, String targetType,
                             String target, boolean flipped) {
        if (key != null) {
            em.flush();
            IdempotencyKeys.remember(em, actor.userId(), key, op, fp, balanceIn(em, targetType, target), now());
        }
        return new Moved(flipped);
    }

    /**
     * Runs a money write once per key: a key seen before answers the remembered balance (audited as a replay); two
     * tries racing with one key both insert it, the database's primary key lets one commit, and the loser answers
     * the winner's result.
     */
    private Balance idempotent(Actor actor, String op, String targetType, String target, String key, String fp,
                               Supplier<Balance> write) {
        if (key == null) {
            return write.get();
        }
        Actor who = actor == null ? Actor.SYSTEM : actor;
        Optional<Balance> prior = read(em -> IdempotencyKeys.replay(em, who.userId(), key, fp));
        if (prior.isEmpty()) {
            try {
                return write.get();
            } catch (javax.persistence.PersistenceException e) {
                prior = read(em -> IdempotencyKeys.replay(em, who.userId(), key, fp));
                if (prior.isEmpty()) {
                    throw e;
                }
            }
        }
        audit.record(who, op + "_REPLAYED", targetType, target, Map.of(IdempotencyKeys.HEADER, key), true,
                "answered from the first request with this key; nothing moved");
        return prior.get();
    }

    public Balance balance(String targetType, String target) {
        resolve(targetType, target);
        return read(em -> balanceIn(em, targetType, target));
    }

    private Balance balanceIn(EntityManager em, String targetType, String target) {
        if (ACCOUNT.equals(targetType)) {
            AccountBalanceEntity b = em.find(AccountBalanceEntity.class, target);
            em.refresh(b);
            BigDecimal threshold = b.threshold != null ? b.threshold : tenantThreshold(em, b.tenant);
            return new Balance(ACCOUNT, target, b.balance, threshold, b.balance.compareTo(threshold) <= 0);
        }
        TenantBalanceEntity t = em.find(TenantBalanceEntity.class, target);
        em.refresh(t);
        return new Balance(TENANT, target, t.balance, t.accountThreshold, null);
    }

    /** Block threshold of one account; null falls back to its tenant's default. */
    public Balance setAccountThreshold(Actor actor, String account, BigDecimal threshold) {
        return audited(actor, "SET_ACCOUNT_THRESHOLD", ACCOUNT, account, params("threshold", threshold), () -> {
            BigDecimal t = threshold == null ? null : Money.amount("threshold", threshold);
            resolve(ACCOUNT, account);
            boolean flipped = tx(em -> {
                em.createQuery("UPDATE AccountBalanceEntity b SET b.threshold = :t WHERE b.account = :a")
                        .setParameter("t", t).setParameter("a", account).executeUpdate();
                return addToAccount(em, account, BigDecimal.ZERO);
            });
            if (flipped) {
                notifyChanged(account);
            }
            return balance(ACCOUNT, account);
        });
    }

    /** Default block threshold of a tenant's accounts. */
    public Balance setTenantAccountThreshold(Actor actor, String tenant, BigDecimal threshold) {
        return audited(actor, "SET_TENANT_ACCOUNT_THRESHOLD", TENANT, tenant, params("threshold", threshold), () -> {
            BigDecimal t = Money.amount("threshold", threshold);
            resolve(TENANT, tenant);
            List<String> flipped = tx(em -> {
                em.createQuery("UPDATE TenantBalanceEntity b SET b.accountThreshold = :t WHERE b.tenant = :n")
                        .setParameter("t", t).setParameter("n", tenant).executeUpdate();
                List<String> accounts = em.createQuery(
                        "SELECT b.account FROM AccountBalanceEntity b WHERE b.tenant = :n AND b.threshold IS NULL",
                        String.class).setParameter("n", tenant).getResultList();
                List<String> out = new ArrayList<>();
                for (String a : accounts) {
                    if (addToAccount(em, a, BigDecimal.ZERO)) {
                        out.add(a);
                    }
                }
                return out;
            });
            flipped.forEach(this::notifyChanged);
            return balance(TENANT, tenant);
        });
    }

    public List<Payment> payments(String targetType, String target, Instant from, Instant to, int limit) {
        return payments(Scope.ALL, targetType, target, from, to, 0, limit);
    }

    /** Payments in the caller's scope, newest first; {@code offset} pages through them. */
    public List<Payment> payments(Scope scope, String targetType, String target, Instant from, Instant to,
                                  int offset, int limit) {
        return read(em -> records(em, "PayRecordEntity", "paidAt", PayRecordEntity.class, scope, false, targetType,
                target, from, to, offset, limit).stream().map(p -> new Payment(p.id, p.targetType, p.target,
                p.amount, p.method, p.comment, p.actor, p.sourceIp, p.paidAt)).toList());
    }

    public List<Charge> charges(String targetType, String target, Instant from, Instant to, int limit) {
        return charges(Scope.ALL, targetType, target, from, to, 0, limit);
    }

    /** Charges (JOB, MANUAL and ADJUSTMENT records) in the caller's scope, newest first. */
    public List<Charge> charges(Scope scope, String targetType, String target, Instant from, Instant to, int offset,
                                int limit) {
        return read(em -> records(em, "ChargeRecordEntity", "chargedAt", ChargeRecordEntity.class, scope, true,
                targetType, target, from, to, offset, limit).stream().map(c -> new Charge(c.id, c.targetType,
                c.target, c.account, c.userId, c.amount, c.kind, c.cluster, c.jobId, c.comment, c.chargedAt)).toList());
    }

    private <T> List<T> records(EntityManager em, String entity, String timeField, Class<T> type, Scope scope,
                                boolean hasUser, String targetType, String target, Instant from, Instant to,
                                int offset, int limit) {
        checkRange(from, to);
        if (limit < 1 || limit > 10_000) {
            throw ManagementException.invalid("limit", "must be 1..10000");
        }
        if (offset < 0) {
            throw ManagementException.invalid("offset", "must not be negative");
        }
        StringBuilder q = new StringBuilder("SELECT r FROM " + entity + " r WHERE 1 = 1");
        Map<String, Object> p = new LinkedHashMap<>();
        if (targetType != null) {
            q.append(" AND r.targetType = :tt");
            p.put("tt", checkTargetType(targetType));
        }
        if (target != null) {
            q.append(" AND r.target = :t");
            p.put("t", target);
        }
        if (scope.accounts() != null || scope.tenants() != null) {
            List<String> allowed = new ArrayList<>();
            if (scope.accounts() == null) {
                allowed.add("r.targetType = '" + ACCOUNT + "'");
            } else if (!scope.accounts().isEmpty()) {
                allowed.add("(r.targetType = '" + ACCOUNT + "' AND r.target IN :scopeAccounts)");
                p.put("scopeAccounts", scope.accounts());
            }
            if (scope.tenants() == null) {
                allowed.add("r.targetType = '" + TENANT + "'");
            } else if (!scope.tenants().isEmpty()) {
                allowed.add("(r.targetType = '" + TENANT + "' AND r.target IN :scopeTenants)");
                p.put("scopeTenants", scope.tenants());
            }
            if (allowed.isEmpty()) {
                return List.of();
            }
            q.append(" AND (").append(String.join(" OR ", allowed)).append(")");
        }
        if (scope.user() != null) {
            if (!hasUser) {
                return List.of(); // payments belong to accounts and tenants, never to one user
            }
            q.append(" AND r.userId = :scopeUser");
            p.put("scopeUser", scope.user());
        }
        if (from != null) {
            q.append(" AND r.").append(timeField).append(" >= :from");
            p.put("from", from);
        }
        if (to != null) {
            q.append(" AND r.").append(timeField).append(" <= :to");
            p.put("to", to);
        }
        q.append(" ORDER BY r.").append(timeField).append(" DESC, r.id DESC");
        TypedQuery<T> query = em.createQuery(q.toString(), type);
        p.forEach(query::setParameter);
        return query.setFirstResult(offset).setMaxResults(limit).getResultList();
    }

    static void checkRange(Instant from, Instant to) {
        if (from != null && to != null && from.isAfter(to)) {
            throw ManagementException.invalid("from", "time range starts after it ends: " + from + " > " + to);
        }
    }

    // ---- per-user job-charge limits -----------------------------------------------------------------------------

    public UserLimit setUserLimit(Actor actor, String account, String user, BigDecimal limit) {
        return audited(actor, "SET_USER_CHARGE_LIMIT", ACCOUNT, account, params("user", user, "limit", limit), () -> {
            BigDecimal l = Money.nonNegative("limit", limit);
            requireMember(account, user);
            return changeLimit(account, user, e -> e.chargeLimit = l);
        });
    }

    /** Removes the limit (and so any block it caused). */
    public UserLimit cancelUserLimit(Actor actor, String account, String user) {
        return audited(actor, "CANCEL_USER_CHARGE_LIMIT", ACCOUNT, account, params("user", user), () -> {
            requireMember(account, user);
            return changeLimit(account, user, e -> e.chargeLimit = null);
        });
    }

    /** Starts counting the user's job charges from zero again. */
    public UserLimit resetUserUsage(Actor actor, String account, String user) {
        return audited(actor, "RESET_USER_CHARGE_USAGE", ACCOUNT, account, params("user", user), () -> {
            requireMember(account, user);
            return changeLimit(account, user, e -> e.used = Money.zero());
        });
    }

    public UserLimit userLimit(String account, String user) {
        requireMember(account, user);
        return read(em -> {
            UserLimitEntity e = findLimit(em, account, user);
            return e == null ? new UserLimit(account, user, null, Money.zero(), false) : toLimit(e);
        });
    }

    private UserLimit changeLimit(String account, String user, Consumer<UserLimitEntity> change) {
        ensureLimitRow(account, user);
        UserLimit l = tx(em -> {
            UserLimitEntity e = findLimit(em, account, user);
            em.lock(e, LockModeType.PESSIMISTIC_WRITE);
            em.refresh(e);
            change.accept(e);
            return toLimit(e);
        });
        notifyChanged(account);
        return l;
    }

    private static UserLimit toLimit(UserLimitEntity e) {
        return new UserLimit(e.account, e.userId, e.chargeLimit, e.used,
                e.chargeLimit != null && e.used.compareTo(e.chargeLimit) >= 0);
    }

    private void requireMember(String account, String user) {
        Model.Account a = management.account(account)
                .orElseThrow(() -> ManagementException.notFound("account", account));
        if (a.members().stream().noneMatch(m -> m.userId().equals(user))) {
            if (management.user(user).isEmpty()) {
                throw ManagementException.notFound("user", user);
            }
            throw new ManagementException(404, "USER_NOT_IN_ACCOUNT", "user '" + user + "' is not in account '"
                    + account + "'", Map.of("account", account, "user", user));
        }
    }

    private static UserLimitEntity findLimit(EntityManager em, String account, String user) {
        List<UserLimitEntity> l = em.createQuery(
                        "SELECT u FROM UserLimitEntity u WHERE u.account = :a AND u.userId = :u", UserLimitEntity.class)
                .setParameter("a", account).setParameter("u", user).getResultList();
        return l.isEmpty() ? null : l.get(0);
    }

    private void ensureLimitRow(String account, String user) {
        insertIfAbsent(em -> findLimit(em, account, user) != null, em -> {
            UserLimitEntity e = new UserLimitEntity();
            e.account = account;
            e.userId = user;
            e.used = Money.zero();
            em.persist(e);
        });
    }

    // ---- prices -------------------------------------------------------------------------------------------------

    /** Validates what a price item and a retroactive price change share; answers the price. */
    private BigDecimal checkPrice(String tenant, String cluster, String partition, String qos, BigDecimal price,
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
        if (tenant != null && management.tenant(tenant).isEmpty()) {
            throw ManagementException.notFound("tenant", tenant);
        }
        return p;
    }

    /**
     * Adds an immutable price item; it replaces the item of the same key from {@code validFrom} (default now) on.
     * Prices are not changed retroactively: {@code validFrom} may not lie in the past.
     */
    public Price addPrice(Actor actor, String tenant, String cluster, String partition, String qos, BigDecimal price,
                          AmountStrategy amount, Instant validFrom, String comment) {
        return audited(actor, "ADD_PRICE", tenant == null ? "PLATFORM" : TENANT, tenant == null ? "default" : tenant,
                params("cluster", cluster, "partition", partition, "qos", qos, "price", price, "amount", amount,
                        "validFrom", validFrom, "comment", comment), () -> {
            BigDecimal p = checkPrice(tenant, cluster, partition, qos, price, amount, comment);
            Instant now = now();
            Instant from = validFrom == null ? now : validFrom.truncatedTo(ChronoUnit.MICROS);
            if (from.isBefore(now.minus(Duration.ofMinutes(1)))) {
                throw ManagementException.invalid("validFrom", "must not lie in the past (prices are not changed "
                        + "retroactively), was " + validFrom);
            }
            return tx(em -> {
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
    public List<Price> prices(String tenant) {
        return read(em -> (tenant == null
                ? em.createQuery("SELECT i FROM PriceItemEntity i WHERE i.tenant IS NULL "
                + "ORDER BY i.cluster, i.partition, i.qos, i.validFrom, i.id", PriceItemEntity.class)
                : em.createQuery("SELECT i FROM PriceItemEntity i WHERE i.tenant = :t "
                + "ORDER BY i.cluster, i.partition, i.qos, i.validFrom, i.id", PriceItemEntity.class)
                .setParameter("t", tenant)).getResultList().stream().map(BillingStore::toPrice).toList());
    }

    private List<PriceItemEntity> allPriceItems(EntityManager em) {
        return em.createQuery("SELECT i FROM PriceItemEntity i", PriceItemEntity.class).getResultList();
    }

    /** "cluster/partition" keys, of the given partitions per cluster, that have no default price valid at {@code at}. */
    public List<String> missingDefaultPrices(Map<String, List<String>> partitions, Instant at) {
        return read(em -> {
            List<PriceItemEntity> items = allPriceItems(em);
            List<String> missing = new ArrayList<>();
            new TreeMap<>(partitions).forEach((cluster, parts) -> new TreeSet<>(parts).forEach(p -> {
                if (Pricing.find(items, null, cluster, p, null, at).filter(i -> i.qos == null).isEmpty()) {
                    missing.add(cluster + "/" + p);
                }
            }));
            return missing;
        });
    }

    private static Price toPrice(PriceItemEntity i) {
        return new Price(i.id, i.tenant, i.cluster, i.partition, i.qos, i.price, AmountStrategy.valueOf(i.amount),
                i.validFrom, i.createdAt, i.createdBy, i.comment);
    }

    // ---- retroactive price changes ------------------------------------------------------------------------------

    public record PriceChange(long id, String tenant, String cluster, String partition, String qos, BigDecimal price,
                              AmountStrategy amount, Instant from, Instant to, Instant createdAt, String createdBy,
                              String comment) {
    }

    /**
     * What applying a price change did: jobs looked at, adjustment records added, and the net amount they charged
     * (negative: refunded) to accounts and to tenants.
     */
    public record Adjustment(PriceChange change, int jobs, int records, BigDecimal accountDifference,
                             BigDecimal tenantDifference) {
    }

    /**
     * Records a retroactive price for the charged jobs of one key (cluster, partition, optional QoS; tenant null:
     * the default table) that ended in [from, to), and applies it ({@link #applyPriceChange}).
     */
    public Adjustment changePriceRetroactively(Actor actor, String tenant, String cluster, String partition,
                                               String qos, BigDecimal price, AmountStrategy amount, Instant from,
                                               Instant to, String comment) {
        Actor who = actor == null ? Actor.SYSTEM : actor;
        PriceChange change = audited(who, "CHANGE_PRICE_RETROACTIVELY", tenant == null ? "PLATFORM" : TENANT,
                tenant == null ? "default" : tenant, params("cluster", cluster, "partition", partition, "qos", qos,
                        "price", price, "amount", amount, "from", from, "to", to, "comment", comment), () -> {
            BigDecimal p = checkPrice(tenant, cluster, partition, qos, price, amount, comment);
            if (from == null || to == null) {
                throw ManagementException.invalid(from == null ? "from" : "to", "is required");
            }
            if (!from.isBefore(to)) {
                throw ManagementException.invalid("from", "must lie before to");
            }
            if (to.isAfter(now())) {
                throw ManagementException.invalid("to", "must not lie in the future: a retroactive price changes "
                        + "past charges only (add a price item for the future)");
            }
            return tx(em -> {
                PriceChangeEntity c = new PriceChangeEntity();
                c.tenant = tenant;
                c.cluster = cluster;
                c.partition = partition;
                c.qos = qos;
                c.price = p;
                c.amount = amount.name();
                c.validFrom = from.truncatedTo(ChronoUnit.MICROS);
                c.validTo = to.truncatedTo(ChronoUnit.MICROS);
                c.createdAt = now();
                c.createdBy = who.userId();
                c.comment = comment;
                em.persist(c);
                em.flush();
                return toChange(c);
            });
        });
        return applyPriceChange(who, change.id());
    }

    public List<PriceChange> priceChanges() {
        return read(em -> em.createQuery("SELECT c FROM PriceChangeEntity c ORDER BY c.id DESC",
                PriceChangeEntity.class).getResultList().stream().map(BillingStore::toChange).toList());
    }

    /**
     * Brings every matching charged job to the change's price with one ADJUSTMENT record per target whose charge
     * differs: the difference between the new charge and what the job was charged so far (its JOB record plus
     * earlier adjustments). A job gets at most one adjustment per (target, change), so applying again adds nothing
     * (except for jobs charged since). Each job is adjusted in its own transaction under its row lock.
     */
    public Adjustment applyPriceChange(Actor actor, long changeId) {
        return audited(actor, "APPLY_PRICE_CHANGE", "PRICE_CHANGE", String.valueOf(changeId), Map.of(), () -> {
            PriceChange c = read(em -> {
                PriceChangeEntity e = em.find(PriceChangeEntity.class, changeId);
                if (e == null) {
                    throw new ManagementException(404, "PRICE_CHANGE_NOT_FOUND", "no price change " + changeId,
                            Map.of("id", changeId));
                }
                return toChange(e);
            });
            List<Long> ids = read(em -> {
                StringBuilder q = new StringBuilder("SELECT j.id FROM JobEntity j WHERE j.chargeState = :charged "
                        + "AND j.cluster = :c AND j.partition = :p AND j.endTime >= :from AND j.endTime < :to");
                if (c.qos() != null) {
                    q.append(" AND j.qos = :q");
                }
                if (c.tenant() != null) {
                    q.append(" AND j.tenant = :t");
                }
                TypedQuery<Long> query = em.createQuery(q.append(" ORDER BY j.id").toString(), Long.class)
                        .setParameter("charged", CHARGED).setParameter("c", c.cluster())
                        .setParameter("p", c.partition()).setParameter("from", c.from()).setParameter("to", c.to());
                if (c.qos() != null) {
                    query.setParameter("q", c.qos());
                }
                if (c.tenant() != null) {
                    query.setParameter("t", c.tenant());
                }
                return query.getResultList();
            });
            BigDecimal[] diff = {Money.zero(), Money.zero()};
            int records = 0;
            Set<String> flipped = new TreeSet<>();
            for (long id : ids) {
                records += adjustJob(c, id, diff, flipped);
            }
            flipped.forEach(this::notifyChanged);
            return new Adjustment(c, ids.size(), records, diff[0], diff[1]);
        });
    }

    private int adjustJob(PriceChange c, long jobId, BigDecimal[] diff, Set<String> flipped) {
        try {
            return tx(em -> {
                JobEntity j = em.find(JobEntity.class, jobId, LockModeType.PESSIMISTIC_WRITE);
                BigDecimal charge = pricing.charge(c.price(), c.amount().amount(j.cpus, j.gpus, j.memMb, null),
                        j.elapsedSeconds);
                int added = 0;
                // the default table prices tenants, and accounts whose tenant had no own price for the job
                boolean account = c.tenant() != null || j.accountPriceId != null && isDefaultItem(em, j.accountPriceId);
                boolean tenant = c.tenant() == null;
                BigDecimal d = account ? adjust(em, c, j, ACCOUNT, j.account, charge) : null;
                if (d != null) {
                    added++;
                    diff[0] = diff[0].add(d);
                    if (addToAccount(em, j.account, d.negate()) | addUsage(em, j.account, j.userId, d)) {
                        flipped.add(j.account);
                    }
                }
                d = tenant ? adjust(em, c, j, TENANT, j.tenant, charge) : null;
                if (d != null) {
                    added++;
                    diff[1] = diff[1].add(d);
                    addToTenant(em, j.tenant, d.negate());
                }
                return added;
            });
        } catch (PersistenceException e) {
            if (isConstraintViolation(e)) {
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
        ChargeRecordEntity r = jobCharge(j, targetType, target, d);
        r.kind = "ADJUSTMENT";
        r.priceChangeId = c.id();
        r.comment = "price change " + c.id() + ": " + c.price().toPlainString() + " per " + c.amount() + "-hour";
        em.persist(r);
        em.flush();
        return d;
    }

    private static boolean isDefaultItem(EntityManager em, long priceItemId) {
        PriceItemEntity i = em.find(PriceItemEntity.class, priceItemId);
        return i != null && i.tenant == null;
    }

    static boolean isConstraintViolation(Throwable e) {
        return org.scow.persistence.Transactions.isConstraintViolation(e);
    }

    private static PriceChange toChange(PriceChangeEntity c) {
        return new PriceChange(c.id, c.tenant, c.cluster, c.partition, c.qos, c.price,
                AmountStrategy.valueOf(c.amount), c.validFrom, c.validTo, c.createdAt, c.createdBy, c.comment);
    }

    // ---- jobs ---------------------------------------------------------------------------------------------------

    /** The end time up to which jobs of a cluster have been stored, or null before the first fetch. */
    public Instant watermark(String cluster) {
        return read(em -> {
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
    public List<Long> storeJobs(String cluster, List<JobInfo> jobs, Map<String, Partition> partitions) {
        Map<String, String> tenants = new HashMap<>();
        for (JobInfo j : jobs) {
            if (j.account() != null && !tenants.containsKey(j.account())) {
                tenants.put(j.account(), management.account(j.account()).map(Model.Account::tenant).orElse(null));
            }
        }
        tenants.forEach((a, t) -> {
            if (t != null) {
                ensureAccount(a, t);
            }
        });
        insertIfAbsent(em -> em.find(FetchStateEntity.class, cluster) != null, em -> {
            FetchStateEntity f = new FetchStateEntity();
            f.cluster = cluster;
            em.persist(f);
        });
        List<JobEntity> pending = new ArrayList<>();
        tx(em -> {
            FetchStateEntity state = em.find(FetchStateEntity.class, cluster, LockModeType.PESSIMISTIC_WRITE);
            List<PriceItemEntity> items = allPriceItems(em);
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
            state.lastRunAt = now();
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
        e.cpus = AmountStrategy.cpus(j);
        e.gpus = AmountStrategy.gpus(j);
        e.memMb = AmountStrategy.mem(j);
        e.startTime = j.startTime() == null ? null : j.startTime().truncatedTo(ChronoUnit.MICROS);
        e.endTime = end;
        e.elapsedSeconds = j.elapsedSeconds() != null ? j.elapsedSeconds()
                : j.startTime() == null ? 0 : Math.max(0, Duration.between(j.startTime(), j.endTime()).getSeconds());
        e.accountCharge = Money.zero();
        e.tenantCharge = Money.zero();
        e.storedAt = now();
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

    /**
     * The default table's charge for a job on {@code cluster} (priced at its end, or now while it has none), with the
     * job's allocated or else requested resources; empty without a price for its partition. Federation settlement
     * charges peers' jobs with it.
     */
    public Optional<BigDecimal> defaultPrice(String cluster, org.scow.api.scheduler.JobInfo j) {
        Instant at = j.endTime() != null ? j.endTime() : clock.instant();
        List<PriceItemEntity> items = read(this::allPriceItems);
        return Pricing.find(items, null, cluster, j.partition(), j.qos(), at).map(item -> pricing.charge(item.price,
                AmountStrategy.valueOf(item.amount).amount(AmountStrategy.cpus(j), AmountStrategy.gpus(j),
                        AmountStrategy.mem(j), null), j.elapsedSeconds() == null ? 0 : j.elapsedSeconds()));
    }

    private BigDecimal chargeOf(PriceItemEntity item, JobEntity e, Partition p) {
        BigDecimal amount = AmountStrategy.valueOf(item.amount).amount(e.cpus, e.gpus, e.memMb, p);
        return pricing.charge(item.price, amount, e.elapsedSeconds);
    }

    /** Ids of a cluster's stored jobs that still await charging (e.g. after a crash). */
    public List<Long> pendingJobs(String cluster) {
        return read(em -> em.createQuery("SELECT j.id FROM JobEntity j WHERE j.cluster = :c AND j.chargeState = :s "
                + "ORDER BY j.id", Long.class).setParameter("c", cluster).setParameter("s", PENDING).getResultList());
    }

    /**
     * Charges one stored job to its account and tenant in one transaction, if nobody has yet.
     *
     * @return true if this call charged it
     */
    public boolean chargeJob(long id) {
        boolean[] changed = new boolean[1];
        String[] account = new String[1];
        boolean charged = tx(em -> {
            int won = em.createQuery("UPDATE JobEntity j SET j.chargeState = :charged, j.chargedAt = :now "
                            + "WHERE j.id = :id AND j.chargeState = :pending")
                    .setParameter("charged", CHARGED).setParameter("now", now()).setParameter("id", id)
                    .setParameter("pending", PENDING).executeUpdate();
            if (won == 0) {
                return false;
            }
            JobEntity j = em.find(JobEntity.class, id);
            account[0] = j.account;
            em.persist(jobCharge(j, ACCOUNT, j.account, j.accountCharge));
            em.persist(jobCharge(j, TENANT, j.tenant, j.tenantCharge));
            em.flush();
            changed[0] = addToAccount(em, j.account, j.accountCharge.negate());
            addToTenant(em, j.tenant, j.tenantCharge.negate());
            changed[0] |= addUsage(em, j.account, j.userId, j.accountCharge);
            return true;
        });
        if (changed[0]) {
            notifyChanged(account[0]);
        }
        return charged;
    }

    private ChargeRecordEntity jobCharge(JobEntity j, String targetType, String target, BigDecimal amount) {
        ChargeRecordEntity c = new ChargeRecordEntity();
        c.targetType = targetType;
        c.target = target;
        c.account = j.account;
        c.userId = j.userId;
        c.amount = amount;
        c.kind = "JOB";
        c.cluster = j.cluster;
        c.jobId = j.jobId;
        c.chargedAt = now();
        return c;
    }

    public List<StoredJob> jobs(String cluster, String account, Instant from, Instant to, int limit) {
        return jobs(Scope.ALL, cluster, account, from, to, 0, limit);
    }

    /** Stored jobs in the caller's scope, by end time, newest first. */
    public List<StoredJob> jobs(Scope scope, String cluster, String account, Instant from, Instant to, int offset,
                                int limit) {
        checkRange(from, to);
        if (limit < 1 || limit > 10_000) {
            throw ManagementException.invalid("limit", "must be 1..10000");
        }
        if (scope.accounts() != null && scope.accounts().isEmpty()) {
            return List.of();
        }
        return read(em -> {
            StringBuilder q = new StringBuilder("SELECT j FROM JobEntity j WHERE 1 = 1");
            Map<String, Object> p = new LinkedHashMap<>();
            if (cluster != null) {
                q.append(" AND j.cluster = :c");
                p.put("c", cluster);
            }
            if (account != null) {
                q.append(" AND j.account = :a");
                p.put("a", account);
            }
            if (scope.accounts() != null) {
                q.append(" AND j.account IN :scopeAccounts");
                p.put("scopeAccounts", scope.accounts());
            }
            if (scope.user() != null) {
                q.append(" AND j.userId = :scopeUser");
                p.put("scopeUser", scope.user());
            }
            if (from != null) {
                q.append(" AND j.endTime >= :from");
                p.put("from", from);
            }
            if (to != null) {
                q.append(" AND j.endTime <= :to");
                p.put("to", to);
            }
            q.append(" ORDER BY j.endTime DESC, j.id DESC");
            TypedQuery<JobEntity> query = em.createQuery(q.toString(), JobEntity.class);
            p.forEach(query::setParameter);
            return query.setFirstResult(offset).setMaxResults(limit).getResultList().stream().map(j -> new StoredJob(
                    j.cluster, j.jobId, j.account, j.tenant, j.userId, j.partition, j.qos, j.state, j.endTime,
                    j.elapsedSeconds, j.accountCharge, j.tenantCharge, j.chargeState)).toList();
        });
    }

    /** The persistence unit, for read-only reports in this package. */
    EntityManagerFactory emf() {
        return emf;
    }

    // ---- block facts --------------------------------------------------------------------------------------------

    @Override
    public Set<String> belowThreshold(Map<String, String> accounts) {
        return read(em -> {
            Map<String, AccountBalanceEntity> balances = new HashMap<>();
            em.createQuery("SELECT b FROM AccountBalanceEntity b", AccountBalanceEntity.class).getResultList()
                    .forEach(b -> balances.put(b.account, b));
            Map<String, BigDecimal> defaults = new HashMap<>();
            em.createQuery("SELECT t FROM TenantBalanceEntity t", TenantBalanceEntity.class).getResultList()
                    .forEach(t -> defaults.put(t.tenant, t.accountThreshold));
            Set<String> below = new HashSet<>();
            accounts.forEach((account, tenant) -> {
                AccountBalanceEntity b = balances.get(account);
                BigDecimal balance = b == null ? BigDecimal.ZERO : b.balance;
                BigDecimal threshold = b != null && b.threshold != null ? b.threshold
                        : defaults.getOrDefault(tenant, BigDecimal.ZERO);
                if (balance.compareTo(threshold) <= 0) {
                    below.add(account);
                }
            });
            return below;
        });
    }

    @Override
    public Map<String, Set<String>> usersOverLimit() {
        return read(em -> {
            Map<String, Set<String>> out = new HashMap<>();
            em.createQuery("SELECT u FROM UserLimitEntity u WHERE u.chargeLimit IS NOT NULL AND u.used >= u.chargeLimit",
                    UserLimitEntity.class).getResultList()
                    .forEach(u -> out.computeIfAbsent(u.account, k -> new HashSet<>()).add(u.userId));
            return out;
        });
    }

    // ---- balance arithmetic (inside a transaction) ----------------------------------------------------------------

    /** Adds delta atomically; answers whether the account's at-or-below-threshold state flipped. */
    private boolean addToAccount(EntityManager em, String account, BigDecimal delta) {
        Money.checkSum("amount", "account '" + account + "'", em.createQuery("SELECT b.balance FROM "
                + "AccountBalanceEntity b WHERE b.account = :a", BigDecimal.class).setParameter("a", account)
                .getResultList().stream().findFirst().orElse(BigDecimal.ZERO), delta);
        int n = em.createQuery("UPDATE AccountBalanceEntity b SET b.balance = b.balance + :d WHERE b.account = :a")
                .setParameter("d", delta).setParameter("a", account).executeUpdate();
        if (n != 1) {
            throw new IllegalStateException("no balance row for account '" + account + "'");
        }
        Object[] row = em.createQuery("SELECT b.balance, b.threshold, b.below, b.tenant FROM AccountBalanceEntity b "
                + "WHERE b.account = :a", Object[].class).setParameter("a", account).getSingleResult();
        BigDecimal balance = (BigDecimal) row[0];
        BigDecimal threshold = row[1] != null ? (BigDecimal) row[1] : tenantThreshold(em, (String) row[3]);
        boolean below = balance.compareTo(threshold) <= 0;
        if (below != (Boolean) row[2]) {
            em.createQuery("UPDATE AccountBalanceEntity b SET b.below = :b WHERE b.account = :a")
                    .setParameter("b", below).setParameter("a", account).executeUpdate();
            return true;
        }
        return false;
    }

    private boolean addToTenant(EntityManager em, String tenant, BigDecimal delta) {
        Money.checkSum("amount", "tenant '" + tenant + "'", em.createQuery("SELECT b.balance FROM "
                + "TenantBalanceEntity b WHERE b.tenant = :t", BigDecimal.class).setParameter("t", tenant)
                .getResultList().stream().findFirst().orElse(BigDecimal.ZERO), delta);
        int n = em.createQuery("UPDATE TenantBalanceEntity b SET b.balance = b.balance + :d WHERE b.tenant = :t")
                .setParameter("d", delta).setParameter("t", tenant).executeUpdate();
        if (n != 1) {
            throw new IllegalStateException("no balance row for tenant '" + tenant + "'");
        }
        return false;
    }

    /** Adds a job charge to the user's usage in the account, if a limit row exists; true if it crossed the limit. */
    private boolean addUsage(EntityManager em, String account, String user, BigDecimal charge) {
        int n = em.createQuery("UPDATE UserLimitEntity u SET u.used = u.used + :c WHERE u.account = :a "
                + "AND u.userId = :u").setParameter("c", charge).setParameter("a", account).setParameter("u", user)
                .executeUpdate();
        if (n == 0) {
            return false;
        }
        Object[] row = em.createQuery("SELECT u.used, u.chargeLimit FROM UserLimitEntity u WHERE u.account = :a "
                + "AND u.userId = :u", Object[].class).setParameter("a", account).setParameter("u", user)
                .getSingleResult();
        BigDecimal used = (BigDecimal) row[0];
        BigDecimal limit = (BigDecimal) row[1];
        return limit != null && used.compareTo(limit) >= 0 && used.subtract(charge).compareTo(limit) < 0;
    }

    private static BigDecimal tenantThreshold(EntityManager em, String tenant) {
        TenantBalanceEntity t = em.find(TenantBalanceEntity.class, tenant);
        return t == null ? BigDecimal.ZERO : t.accountThreshold;
    }

    /** Checks the target exists, makes sure it has balance rows, and answers its tenant. */
    private String resolve(String targetType, String target) {
        checkTargetType(targetType);
        if (ACCOUNT.equals(targetType)) {
            Model.Account a = management.account(target)
                    .orElseThrow(() -> ManagementException.notFound("account", String.valueOf(target)));
            ensureAccount(a.name(), a.tenant());
            return a.tenant();
        }
        management.tenant(target).orElseThrow(() -> ManagementException.notFound("tenant", String.valueOf(target)));
        ensureTenant(target);
        return target;
    }

    private static String checkTargetType(String targetType) {
        if (!ACCOUNT.equals(targetType) && !TENANT.equals(targetType)) {
            throw ManagementException.invalid("targetType", "must be ACCOUNT or TENANT, was " + targetType);
        }
        return targetType;
    }

    private void ensureTenant(String tenant) {
        insertIfAbsent(em -> em.find(TenantBalanceEntity.class, tenant) != null, em -> {
            TenantBalanceEntity t = new TenantBalanceEntity();
            t.tenant = tenant;
            t.balance = Money.zero();
            t.accountThreshold = Money.zero();
            em.persist(t);
        });
    }

    private void ensureAccount(String account, String tenant) {
        ensureTenant(tenant);
        insertIfAbsent(em -> em.find(AccountBalanceEntity.class, account) != null, em -> {
            AccountBalanceEntity b = new AccountBalanceEntity();
            b.account = account;
            b.tenant = tenant;
            b.balance = Money.zero();
            b.below = BigDecimal.ZERO.compareTo(tenantThreshold(em, tenant)) <= 0;
            em.persist(b);
        });
    }

    /** Inserts a row unless it exists; a concurrent insert of the same row is fine. */
    private void insertIfAbsent(Function<EntityManager, Boolean> exists, Consumer<EntityManager> insert) {
        if (read(exists)) {
            return;
        }
        try {
            tx(em -> {
                if (!exists.apply(em)) {
                    insert.accept(em);
                }
                return null;
            });
        } catch (PersistenceException e) {
            if (!read(exists)) {
                throw e;
            }
        }
    }

    // ---- plumbing -----------------------------------------------------------------------------------------------

    private void notifyChanged(String account) {
        try {
            accountStateChanged.accept(account);
        } catch (RuntimeException e) {
            LOG.warn("Could not apply the block state of '{}' now; reconciliation will", account, e);
        }
    }

    private <T> T audited(Actor actor, String op, String targetType, String target, Map<String, ?> params,
                          Supplier<T> work) {
        Actor who = actor == null ? Actor.SYSTEM : actor;
        try {
            T result = work.get();
            audit.record(who, op, String.valueOf(targetType), target, params, true, null);
            return result;
        } catch (RuntimeException e) {
            audit.record(who, op, String.valueOf(targetType), target, params, false, e.getMessage());
            throw e;
        }
    }

    <T> T tx(Function<EntityManager, T> work) {
        return org.scow.persistence.Transactions.tx(emf, work);
    }

    private <T> T read(Function<EntityManager, T> work) {
        return org.scow.persistence.Transactions.read(emf, work);
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    static void checkName(String field, String value) {
        if (value == null || value.isBlank()) {
            throw ManagementException.invalid(field, "is required");
        }
        if (!Names.isValid(value)) {
            throw ManagementException.invalid(field, "'" + value + "' " + Names.RULE);
        }
    }

    private static void checkText(String field, String value, int max) {
        if (value != null && value.length() > max) {
            throw ManagementException.invalid(field, "must be at most " + max + " characters");
        }
    }

    private static Map<String, Object> params(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            if (kv[i + 1] != null) {
                m.put((String) kv[i], kv[i + 1] instanceof BigDecimal b ? b.toPlainString() : kv[i + 1]);
            }
        }
        return m;
    }
}
