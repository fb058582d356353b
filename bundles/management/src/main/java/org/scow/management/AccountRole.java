package org.scow.management;

import org.scow.api.security.Role;

/** A user's role in one account. */
public enum AccountRole {
    OWNER(Role.ACCOUNT_OWNER), ADMIN(Role.ACCOUNT_ADMIN), USER(Role.ACCOUNT_USER);

    private final Role role;

    AccountRole(Role role) {
        this.role = role;
    }

    public Role role() {
        return role;
    }
}
