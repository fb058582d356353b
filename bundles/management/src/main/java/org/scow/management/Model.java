package org.scow.management;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.scow.api.security.Role;

/** The values the management service answers with. */
public final class Model {
    private Model() {
    }

    public record Tenant(String name, Instant createdAt) {
    }

    public record User(String userId, String name, String email, String tenant, Set<Role> roles, Instant createdAt) {
        public User {
            roles = Set.copyOf(roles);
        }
    }

    /** A user in an account; {@code blockedByAdmin} is the manual block of the user in this account. */
    public record Member(String userId, AccountRole role, boolean blockedByAdmin) {
    }

    /**
     * An account. {@code whitelisted} is true only while the whitelist has not expired.
     */
    public record Account(String name, String tenant, String owner, String comment, boolean blockedByAdmin,
                          boolean whitelisted, Instant whitelistExpiresAt, List<Member> members, Instant createdAt) {
        public Account {
            members = List.copyOf(members);
        }
    }
}
