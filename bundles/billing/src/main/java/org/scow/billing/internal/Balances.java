package org.scow.billing.internal;

import static org.scow.billing.BillingService.ACCOUNT;
import static org.scow.billing.BillingService.TENANT;

import java.math.BigDecimal;
import javax.persistence.EntityManager;
import org.scow.billing.Balance;
import org.scow.management.ManagementException;
import org.scow.management.Model;

/**
 * The balance rows of accounts and tenants and their arithmetic. Balances change only by atomic
 * {@code UPDATE ... SET balance = balance + ?} inside the caller's transaction (the one that writes the matching
 * pay or charge record), so concurrent payments and charges never lose an update. An account's {@code below} flag
 * is the stored fact "blocked for money" that block reconciliation reads.
 */
final class Balances {
    private final BillingContext ctx;

    Balances(BillingContext ctx) {
        this.ctx = ctx;
    }

    /** Checks the target exists, makes sure it has balance rows, and answers its tenant. */
    String resolve(String targetType, String target) {
        checkTargetType(targetType);
        if (ACCOUNT.equals(targetType)) {
            Model.Account a = ctx.management.account(target)
                    .orElseThrow(() -> ManagementException.notFound("account", String.valueOf(target)));
            ensureAccount(a.name(), a.tenant());
            return a.tenant();
        }
        ctx.management.tenant(target)
                .orElseThrow(() -> ManagementException.notFound("tenant", String.valueOf(target)));
        ensureTenant(target);
        return target;
    }

    static String checkTargetType(String targetType) {
        if (!ACCOUNT.equals(targetType) && !TENANT.equals(targetType)) {
            throw ManagementException.invalid("targetType", "must be ACCOUNT or TENANT, was " + targetType);
        }
        return targetType;
    }

    void ensureTenant(String tenant) {
        ctx.insertIfAbsent(em -> em.find(TenantBalanceEntity.class, tenant) != null, em -> {
            TenantBalanceEntity t = new TenantBalanceEntity();
            t.tenant = tenant;
            t.balance = Money.zero();
            t.accountThreshold = Money.zero();
            em.persist(t);
        });
    }

    void ensureAccount(String account, String tenant) {
        ensureTenant(tenant);
        ctx.insertIfAbsent(em -> em.find(AccountBalanceEntity.class, account) != null, em -> {
            AccountBalanceEntity b = new AccountBalanceEntity();
            b.account = account;
            b.tenant = tenant;
            b.balance = Money.zero();
            b.below = BigDecimal.ZERO.compareTo(tenantThreshold(em, tenant)) <= 0;
            em.persist(b);
        });
    }

    /** The balance of an existing target, read in {@code em}. */
    Balance balanceIn(EntityManager em, String targetType, String target) {
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

    /** Adds delta atomically; answers whether the account's at-or-below-threshold state flipped. */
    boolean addToAccount(EntityManager em, String account, BigDecimal delta) {
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

    /** Adds delta atomically to a tenant's balance; a tenant has no block state, so nothing flips. */
    boolean addToTenant(EntityManager em, String tenant, BigDecimal delta) {
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

    static BigDecimal tenantThreshold(EntityManager em, String tenant) {
        TenantBalanceEntity t = em.find(TenantBalanceEntity.class, tenant);
        return t == null ? BigDecimal.ZERO : t.accountThreshold;
    }
}
