package org.scow.billing.internal;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import javax.persistence.EntityManager;
import javax.persistence.EntityManagerFactory;
import javax.persistence.PersistenceException;
import org.scow.api.scheduler.util.Names;
import org.scow.management.Actor;
import org.scow.management.AuditLog;
import org.scow.management.ManagementException;
import org.scow.management.ManagementService;
import org.scow.persistence.Transactions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the parts of billing share: the persistence unit and its transactions, the clock, the audit log, the
 * management service (accounts, tenants, members), the listener told when an account's block state changed, and
 * the input checks.
 */
final class BillingContext {
    private static final Logger LOG = LoggerFactory.getLogger(BillingContext.class);

    final EntityManagerFactory emf;
    final ManagementService management;
    private final AuditLog audit;
    private final Clock clock;
    private volatile Consumer<String> accountStateChanged = a -> { };

    BillingContext(EntityManagerFactory emf, ManagementService management, AuditLog audit, Clock clock) {
        this.emf = emf;
        this.management = management;
        this.audit = audit;
        this.clock = clock;
    }

    void onAccountStateChanged(Consumer<String> listener) {
        this.accountStateChanged = listener == null ? a -> { } : listener;
    }

    /** Tells the listener that an account's balance-or-limit block state changed (after the commit). */
    void notifyChanged(String account) {
        try {
            accountStateChanged.accept(account);
        } catch (RuntimeException e) {
            LOG.warn("Could not apply the block state of '{}' now; reconciliation will", account, e);
        }
    }

    /** Runs {@code work}, then audits it as done or, with the error's message, as refused. */
    <T> T audited(Actor actor, String op, String targetType, String target, Map<String, ?> params, Supplier<T> work) {
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

    void audit(Actor who, String op, String targetType, String target, Map<String, ?> params, String message) {
        audit.record(who, op, targetType, target, params, true, message);
    }

    <T> T tx(Function<EntityManager, T> work) {
        return Transactions.tx(emf, work);
    }

    <T> T read(Function<EntityManager, T> work) {
        return Transactions.read(emf, work);
    }

    Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    /** Inserts a row unless it exists; a concurrent insert of the same row is fine. */
    void insertIfAbsent(Function<EntityManager, Boolean> exists, Consumer<EntityManager> insert) {
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

    static boolean isConstraintViolation(Throwable e) {
        return Transactions.isConstraintViolation(e);
    }

    static void checkRange(Instant from, Instant to) {
        if (from != null && to != null && from.isAfter(to)) {
            throw ManagementException.invalid("from", "time range starts after it ends: " + from + " > " + to);
        }
    }

    static void checkLimit(int limit) {
        if (limit < 1 || limit > 10_000) {
            throw ManagementException.invalid("limit", "must be 1..10000");
        }
    }

    static void checkName(String field, String value) {
        if (value == null || value.isBlank()) {
            throw ManagementException.invalid(field, "is required");
        }
        if (!Names.isValid(value)) {
            throw ManagementException.invalid(field, "'" + value + "' " + Names.RULE);
        }
    }

    static void checkText(String field, String value, int max) {
        if (value != null && value.length() > max) {
            throw ManagementException.invalid(field, "must be at most " + max + " characters");
        }
    }

    /** Audit parameters from name-value pairs; null values are left out, amounts written as plain strings. */
    static Map<String, Object> params(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            if (kv[i + 1] != null) {
                m.put((String) kv[i], kv[i + 1] instanceof BigDecimal b ? b.toPlainString() : kv[i + 1]);
            }
        }
        return m;
    }
}
