package org.scow.billing.internal;

import static org.scow.billing.BillingService.ACCOUNT;
import static org.scow.billing.BillingService.TENANT;
import static org.scow.billing.internal.BillingContext.checkLimit;
import static org.scow.billing.internal.BillingContext.checkRange;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.persistence.EntityManager;
import javax.persistence.TypedQuery;
import org.scow.billing.Charge;
import org.scow.billing.Payment;
import org.scow.billing.Scope;
import org.scow.billing.StoredJob;
import org.scow.management.ManagementException;

/** The read side of the records: payments, charges and stored jobs in a caller's {@link Scope}, newest first. */
final class ScopedRecords {
    private final BillingContext ctx;

    ScopedRecords(BillingContext ctx) {
        this.ctx = ctx;
    }

    /** Payments in the caller's scope, newest first; {@code offset} pages through them. */
    List<Payment> payments(Scope scope, String targetType, String target, Instant from, Instant to, int offset,
                           int limit) {
        return ctx.read(em -> records(em, "PayRecordEntity", "paidAt", PayRecordEntity.class, scope, false,
                targetType, target, from, to, offset, limit).stream().map(p -> new Payment(p.id, p.targetType,
                p.target, p.amount, p.method, p.comment, p.actor, p.sourceIp, p.paidAt)).toList());
    }

    /** Charges (JOB, MANUAL and ADJUSTMENT records) in the caller's scope, newest first. */
    List<Charge> charges(Scope scope, String targetType, String target, Instant from, Instant to, int offset,
                         int limit) {
        return ctx.read(em -> records(em, "ChargeRecordEntity", "chargedAt", ChargeRecordEntity.class, scope, true,
                targetType, target, from, to, offset, limit).stream().map(c -> new Charge(c.id, c.targetType,
                c.target, c.account, c.userId, c.amount, c.kind, c.cluster, c.jobId, c.comment, c.chargedAt)).toList());
    }

    private <T> List<T> records(EntityManager em, String entity, String timeField, Class<T> type, Scope scope,
                                boolean hasUser, String targetType, String target, Instant from, Instant to,
                                int offset, int limit) {
        checkRange(from, to);
        checkLimit(limit);
        if (offset < 0) {
            throw ManagementException.invalid("offset", "must not be negative");
        }
        StringBuilder q = new StringBuilder("SELECT r FROM " + entity + " r WHERE 1 = 1");
        Map<String, Object> p = new LinkedHashMap<>();
        if (targetType != null) {
            q.append(" AND r.targetType = :tt");
            p.put("tt", Balances.checkTargetType(targetType));
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

    /** Stored jobs in the caller's scope, by end time, newest first. */
    List<StoredJob> jobs(Scope scope, String cluster, String account, Instant from, Instant to, int offset,
                         int limit) {
        checkRange(from, to);
        checkLimit(limit);
        if (scope.accounts() != null && scope.accounts().isEmpty()) {
            return List.of();
        }
        return ctx.read(em -> {
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
}
