package org.scow.api.security;

/** Every role of the platform, by the scope it applies to. */
public enum Role {
    /** Everything on the platform. */
    PLATFORM_ADMIN(Scope.PLATFORM),
    /** Money of the whole platform: tenant balances, platform price table, statistics. */
    PLATFORM_FINANCE(Scope.PLATFORM),
    /** Users, accounts and settings of one tenant. */
    TENANT_ADMIN(Scope.TENANT),
    /** Money of one tenant: account balances, the tenant's price table. */
    TENANT_FINANCE(Scope.TENANT),
    /** Owns an account: manages its members and sees all its jobs and charges. */
    ACCOUNT_OWNER(Scope.ACCOUNT),
    /** Manages an account's members and sees its jobs. */
    ACCOUNT_ADMIN(Scope.ACCOUNT),
    /** Submits jobs under an account and sees their own. */
    ACCOUNT_USER(Scope.ACCOUNT);

    private final Scope scope;

    Role(Scope scope) {
        this.scope = scope;
    }

    public Scope scope() {
        return scope;
    }

    /** What a role applies to. */
    public enum Scope { PLATFORM, TENANT, ACCOUNT }
}
