package org.scow.billing.internal;

import static org.scow.billing.BillingService.ACCOUNT;
import static org.scow.billing.internal.BillingContext.params;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import javax.persistence.EntityManager;
import javax.persistence.LockModeType;
import org.scow.billing.UserLimit;
import org.scow.management.Actor;
import org.scow.management.ManagementException;
import org.scow.management.Model;

/**
 * Per-user limits of job charges within an account. Job charging adds to a user's usage ({@link #addUsage}); a
 * user whose usage reached the limit is blocked in the account.
 */
final class UserLimits {
    private final BillingContext ctx;

    UserLimits(BillingContext ctx) {
        this.ctx = ctx;
    }

    UserLimit setUserLimit(Actor actor, String account, String user, BigDecimal limit) {
        return ctx.audited(actor, "SET_USER_CHARGE_LIMIT", ACCOUNT, account, params("user", user, "limit", limit),
                () -> {
            BigDecimal l = Money.nonNegative("limit", limit);
            requireMember(account, user);
            return changeLimit(account, user, e -> e.chargeLimit = l);
        });
    }

    /** Removes the limit (and so any block it caused). */
    UserLimit cancelUserLimit(Actor actor, String account, String user) {
        return ctx.audited(actor, "CANCEL_USER_CHARGE_LIMIT", ACCOUNT, account, params("user", user), () -> {
            requireMember(account, user);
            return changeLimit(account, user, e -> e.chargeLimit = null);
        });
    }

    /** Starts counting the user's job charges from zero again. */
    UserLimit resetUserUsage(Actor actor, String account, String user) {
        return ctx.audited(actor, "RESET_USER_CHARGE_USAGE", ACCOUNT, account, params("user", user), () -> {
            requireMember(account, user);
            return changeLimit(account, user, e -> e.used = Money.zero());
        });
    }

    UserLimit userLimit(String account, String user) {
        requireMember(account, user);
        return ctx.read(em -> {
            UserLimitEntity e = findLimit(em, account, user);
            return e == null ? new UserLimit(account, user, null, Money.zero(), false) : toLimit(e);
        });
    }

    /** Adds a job charge to the user's usage in the account, if a limit row exists; true if it crossed the limit. */
    static boolean addUsage(EntityManager em, String account, String user, BigDecimal charge) {
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

    private UserLimit changeLimit(String account, String user, Consumer<UserLimitEntity> change) {
        ensureLimitRow(account, user);
        UserLimit l = ctx.tx(em -> {
            UserLimitEntity e = findLimit(em, account, user);
            em.lock(e, LockModeType.PESSIMISTIC_WRITE);
            em.refresh(e);
            change.accept(e);
            return toLimit(e);
        });
        ctx.notifyChanged(account);
        return l;
    }

    private static UserLimit toLimit(UserLimitEntity e) {
        return new UserLimit(e.account, e.userId, e.chargeLimit, e.used,
                e.chargeLimit != null && e.used.compareTo(e.chargeLimit) >= 0);
    }

    private void requireMember(String account, String user) {
        Model.Account a = ctx.management.account(account)
                .orElseThrow(() -> ManagementException.notFound("account", account));
        if (a.members().stream().noneMatch(m -> m.userId().equals(user))) {
            if (ctx.management.user(user).isEmpty()) {
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
        ctx.insertIfAbsent(em -> findLimit(em, account, user) != null, em -> {
            UserLimitEntity e = new UserLimitEntity();
            e.account = account;
            e.userId = user;
            e.used = Money.zero();
            em.persist(e);
        });
    }
}
