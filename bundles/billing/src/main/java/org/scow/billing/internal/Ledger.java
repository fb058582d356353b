package org.scow.billing.internal;

import static org.scow.billing.BillingService.ACCOUNT;
import static org.scow.billing.BillingService.TENANT;
import static org.scow.billing.internal.BillingContext.checkText;
import static org.scow.billing.internal.BillingContext.params;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import javax.persistence.EntityManager;
import javax.persistence.PersistenceException;
import org.scow.billing.Balance;
import org.scow.management.Actor;

/**
 * The money writes by hand: payments, manual charges and block thresholds. Each writes its record and moves the
 * balance in one transaction ({@link Balances}); payments and charges may carry an idempotency key.
 */
final class Ledger {
    private final BillingContext ctx;
    private final Balances balances;

    Ledger(BillingContext ctx, Balances balances) {
        this.ctx = ctx;
        this.balances = balances;
    }

    /**
     * Tops up an account or tenant. With an idempotency key, a repeated call with the same key answers the first
     * call's balance and moves nothing (see {@link IdempotencyKeys}).
     */
    Balance pay(Actor actor, String targetType, String target, BigDecimal amount, String method, String comment,
                String idempotencyKey) {
        String key = IdempotencyKeys.check(idempotencyKey);
        String fp = IdempotencyKeys.fingerprint("PAY", targetType, target, amount, method, comment);
        return idempotent(actor, "PAY", targetType, target, key, fp, () -> ctx.audited(actor, "PAY", targetType,
                target, params("amount", amount, "method", method, "comment", comment), () -> {
            BigDecimal m = Money.positive("amount", amount);
            checkText("method", method, 64);
            checkText("comment", comment, 1000);
            String tenant = balances.resolve(targetType, target);
            Moved moved = ctx.tx(em -> {
                PayRecordEntity p = new PayRecordEntity();
                p.targetType = targetType;
                p.target = target;
                p.amount = m;
                p.method = method;
                p.comment = comment;
                p.actor = actor.userId();
                p.sourceIp = actor.sourceIp();
                p.paidAt = ctx.now();
                em.persist(p);
                boolean flipped = ACCOUNT.equals(targetType) ? balances.addToAccount(em, target, m)
                        : balances.addToTenant(em, tenant, m);
                return remembered(em, actor, key, "PAY", fp, targetType, target, flipped);
            });
            if (moved.flipped()) {
                ctx.notifyChanged(target);
            }
            return balance(targetType, target);
        }));
    }

    /** A charge by hand (e.g. storage or a correction), recorded as kind MANUAL; idempotent like {@link #pay}. */
    Balance charge(Actor actor, String targetType, String target, BigDecimal amount, String comment,
                   String idempotencyKey) {
        String key = IdempotencyKeys.check(idempotencyKey);
        String fp = IdempotencyKeys.fingerprint("CHARGE", targetType, target, amount, comment);
        return idempotent(actor, "CHARGE", targetType, target, key, fp, () -> ctx.audited(actor, "CHARGE",
                targetType, target, params("amount", amount, "comment", comment), () -> {
            BigDecimal m = Money.positive("amount", amount);
            checkText("comment", comment, 1000);
            String tenant = balances.resolve(targetType, target);
            Moved moved = ctx.tx(em -> {
                ChargeRecordEntity c = new ChargeRecordEntity();
                c.targetType = targetType;
                c.target = target;
                c.account = ACCOUNT.equals(targetType) ? target : null;
                c.amount = m;
                c.kind = "MANUAL";
                c.comment = comment;
                c.chargedAt = ctx.now();
                em.persist(c);
                boolean flipped = ACCOUNT.equals(targetType) ? balances.addToAccount(em, target, m.negate())
                        : balances.addToTenant(em, tenant, m.negate());
                return remembered(em, actor, key, "CHARGE", fp, targetType, target, flipped);
            });
            if (moved.flipped()) {
                ctx.notifyChanged(target);
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
            IdempotencyKeys.remember(em, actor.userId(), key, op, fp, balances.balanceIn(em, targetType, target),
                    ctx.now());
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
        Optional<Balance> prior = ctx.read(em -> IdempotencyKeys.replay(em, who.userId(), key, fp));
        if (prior.isEmpty()) {
            try {
                return write.get();
            } catch (PersistenceException e) {
                prior = ctx.read(em -> IdempotencyKeys.replay(em, who.userId(), key, fp));
                if (prior.isEmpty()) {
                    throw e;
                }
            }
        }
        ctx.audit(who, op + "_REPLAYED", targetType, target, Map.of(IdempotencyKeys.HEADER, key),
                "answered from the first request with this key; nothing moved");
        return prior.get();
    }

    Balance balance(String targetType, String target) {
        balances.resolve(targetType, target);
        return ctx.read(em -> balances.balanceIn(em, targetType, target));
    }

    /** Block threshold of one account; null falls back to its tenant's default. */
    Balance setAccountThreshold(Actor actor, String account, BigDecimal threshold) {
        return ctx.audited(actor, "SET_ACCOUNT_THRESHOLD", ACCOUNT, account, params("threshold", threshold), () -> {
            BigDecimal t = threshold == null ? null : Money.amount("threshold", threshold);
            balances.resolve(ACCOUNT, account);
            boolean flipped = ctx.tx(em -> {
                em.createQuery("UPDATE AccountBalanceEntity b SET b.threshold = :t WHERE b.account = :a")
                        .setParameter("t", t).setParameter("a", account).executeUpdate();
                return balances.addToAccount(em, account, BigDecimal.ZERO);
            });
            if (flipped) {
                ctx.notifyChanged(account);
            }
            return balance(ACCOUNT, account);
        });
    }

    /** Default block threshold of a tenant's accounts. */
    Balance setTenantAccountThreshold(Actor actor, String tenant, BigDecimal threshold) {
        return ctx.audited(actor, "SET_TENANT_ACCOUNT_THRESHOLD", TENANT, tenant, params("threshold", threshold),
                () -> {
            BigDecimal t = Money.amount("threshold", threshold);
            balances.resolve(TENANT, tenant);
            List<String> flipped = ctx.tx(em -> {
                em.createQuery("UPDATE TenantBalanceEntity b SET b.accountThreshold = :t WHERE b.tenant = :n")
                        .setParameter("t", t).setParameter("n", tenant).executeUpdate();
                List<String> accounts = em.createQuery(
                        "SELECT b.account FROM AccountBalanceEntity b WHERE b.tenant = :n AND b.threshold IS NULL",
                        String.class).setParameter("n", tenant).getResultList();
                List<String> out = new ArrayList<>();
                for (String a : accounts) {
                    if (balances.addToAccount(em, a, BigDecimal.ZERO)) {
                        out.add(a);
                    }
                }
                return out;
            });
            flipped.forEach(ctx::notifyChanged);
            return balance(TENANT, tenant);
        });
    }
}
