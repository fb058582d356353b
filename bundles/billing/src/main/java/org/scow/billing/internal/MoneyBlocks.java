package org.scow.billing.internal;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.scow.management.BlockFacts;

/**
 * The money facts block reconciliation reads: accounts at or below their threshold, and users over their charge
 * limit. Billing stores these facts; management's cluster sync is the one writer of blocks on the clusters.
 */
final class MoneyBlocks implements BlockFacts {
    private final BillingContext ctx;

    MoneyBlocks(BillingContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Set<String> belowThreshold(Map<String, String> accounts) {
        return ctx.read(em -> {
            Map<String, AccountBalanceEntity> balances = new HashMap<>();
            em.createQuery("SELECT b FROM AccountBalanceEntity b", AccountBalanceEntity.class).getResultList()
                    .forEach(b -> balances.put(b.account, b));
            Map<String, BigDecimal> defaults = new HashMap<>();
            em.createQuery("SELECT t FROM TenantBalanceEntity t", TenantBalanceEntity.class).getResultList()
                    .forEach(t -> defaults.put(t.tenant, t.accountThreshold));
            Set<String> below = new HashSet<>();
            accounts.forEach((account, tenant) -> {
                AccountBalanceEntity b = balances.get(account);
                if (b != null) {
                    if (b.below) { // the stored fact, kept by every balance and threshold change
                        below.add(account);
                    }
                } else if (BigDecimal.ZERO.compareTo(defaults.getOrDefault(tenant, BigDecimal.ZERO)) <= 0) {
                    below.add(account); // no balance row yet: a balance of zero against the tenant's default
                }
            });
            return below;
        });
    }

    @Override
    public Map<String, Set<String>> usersOverLimit() {
        return ctx.read(em -> {
            Map<String, Set<String>> out = new HashMap<>();
            em.createQuery("SELECT u FROM UserLimitEntity u WHERE u.chargeLimit IS NOT NULL AND u.used >= u.chargeLimit",
                    UserLimitEntity.class).getResultList()
                    .forEach(u -> out.computeIfAbsent(u.account, k -> new HashSet<>()).add(u.userId));
            return out;
        });
    }
}
