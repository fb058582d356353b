package org.scow.billing;

import java.util.Set;

/**
 * Which billing records a caller may read. Null sets do not restrict; an empty set allows nothing of that kind.
 *
 * @param accounts records of these accounts (ACCOUNT targets, jobs)
 * @param tenants  TENANT-target records of these tenants
 * @param user     only this user's charges and jobs, or null
 */
public record Scope(Set<String> accounts, Set<String> tenants, String user) {
    /** No restriction: every record. */
    public static final Scope ALL = new Scope(null, null, null);

    public Scope {
        accounts = accounts == null ? null : Set.copyOf(accounts);
        tenants = tenants == null ? null : Set.copyOf(tenants);
    }

    /** Whether records of {@code account} are in scope. */
    public boolean includes(String account) {
        return accounts == null || accounts.contains(account);
    }
}
