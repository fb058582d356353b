package org.scow.api.security;

import org.osgi.annotation.versioning.ProviderType;
import java.util.Optional;
import java.util.Set;

/** Answers who a user is to the platform. Implemented by the management bundle; must answer from its database. */
@ProviderType
public interface RoleDirectory {
    /** The user's roles, or empty if the platform does not know the user. */
    Optional<UserRoles> rolesOf(String userId);

    /** The tenant an account belongs to, or empty for an unknown account. */
    Optional<String> tenantOfAccount(String account);

    /** The names of the tenant's accounts (empty for an unknown tenant), so tenant roles can see their jobs. */
    default Set<String> accountsOfTenant(String tenant) {
        return Set.of();
    }
}
