package org.scow.api.security;

import java.util.Map;
import java.util.Set;

/**
 * A user's roles at one moment.
 *
 * @param userId     the user
 * @param tenant     the user's tenant
 * @param platform   platform-scope roles
 * @param tenantRoles tenant-scope roles, in {@code tenant}
 * @param accounts   account name to the user's role in it (one per account)
 */
public record UserRoles(String userId, String tenant, Set<Role> platform, Set<Role> tenantRoles,
                        Map<String, Role> accounts) {
    public UserRoles {
        platform = Set.copyOf(platform);
        tenantRoles = Set.copyOf(tenantRoles);
        accounts = Map.copyOf(accounts);
    }

    public boolean isPlatformAdmin() {
        return platform.contains(Role.PLATFORM_ADMIN);
    }

    /** True when the user holds any of {@code roles} in {@code account}. */
    public boolean inAccount(String account, Role... roles) {
        Role r = accounts.get(account);
        return r != null && Set.of(roles).contains(r);
    }
}
