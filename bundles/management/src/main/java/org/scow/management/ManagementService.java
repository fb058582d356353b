package org.scow.management;

import org.osgi.annotation.versioning.ProviderType;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.scow.api.security.Role;
import org.scow.management.Model.Account;
import org.scow.management.Model.Member;
import org.scow.management.Model.Tenant;
import org.scow.management.Model.User;

/**
 * Tenants, accounts, users and roles. Every changing operation is audited (success and refusal) and either happens
 * completely or not at all; refusals are {@link ManagementException}s. Changes that affect what a cluster must allow
 * (membership, blocks, whitelist) are pushed to every online cluster after they commit, and reach offline clusters
 * through reconciliation when they come back.
 */
@ProviderType
public interface ManagementService {
    /**
     * Creates a tenant; with {@code adminUserId}, moves that user (who must belong to no account) into it as its
     * TENANT_ADMIN.
     *
     * @throws ManagementException 409 if the name is taken, 400 if it breaks the name rule
     */
    Tenant createTenant(Actor actor, String name, String adminUserId);

    /** Every tenant, by name. */
    List<Tenant> tenants();

    /** The tenant of that name, if any. */
    Optional<Tenant> tenant(String name);

    /**
     * Creates a platform user in a tenant. System accounts (root, low uids, see
     * {@link org.scow.api.security.SystemAccountPolicy}) are refused with 422 {@code SYSTEM_ACCOUNT}.
     *
     * @throws ManagementException 409 if the user exists, 404 if the tenant does not
     */
    User createUser(Actor actor, String userId, String name, String email, String tenant);

    /** The user with that id, with their platform and tenant roles, if any. */
    Optional<User> user(String userId);

    /** Users of a tenant, or of every tenant when {@code tenant} is null. */
    List<User> users(String tenant);

    /** Moves a user that belongs to no account to another tenant; the user's tenant roles are dropped. */
    User changeTenant(Actor actor, String userId, String tenant);

    /** Grants a platform or tenant role (account roles are set on the member); idempotent. */
    User setRole(Actor actor, String userId, Role role);

    /** Takes a platform or tenant role away; idempotent. */
    User unsetRole(Actor actor, String userId, Role role);

    /**
     * Creates an account in a tenant with its owner (a user of that tenant) as first member, and then on every
     * online cluster.
     */
    Account createAccount(Actor actor, String name, String tenant, String ownerUserId, String comment);

    /** The account with its members, if any. */
    Optional<Account> account(String name);

    /** Accounts of a tenant, or of every tenant when {@code tenant} is null. */
    List<Account> accounts(String tenant);

    /** Adds a user of the account's tenant as ADMIN or USER (null: USER); the owner is set at creation. */
    Member addUserToAccount(Actor actor, String account, String userId, AccountRole role);

    /** Removes a member (never the owner), here and on every online cluster. */
    void removeUserFromAccount(Actor actor, String account, String userId);

    /** Changes a member's role between ADMIN and USER. */
    Member setAccountRole(Actor actor, String account, String userId, AccountRole role);

    /** Whitelists an account (never blocked for its balance) until {@code expiresAt}, or for good when null. */
    Account whitelist(Actor actor, String account, Instant expiresAt, String comment);

    /** Ends the whitelisting: the account is blocked again while its balance is at or below its threshold. */
    Account dewhitelist(Actor actor, String account);

    /** Blocks the account on every cluster, whatever its balance (an admin block). */
    Account blockAccount(Actor actor, String account);

    /** Lifts the admin block; the account stays blocked while billing says it is below its threshold. */
    Account unblockAccount(Actor actor, String account);

    /** Blocks a member in one account on every cluster (an admin block). */
    Member blockUser(Actor actor, String account, String userId);

    /** Lifts a member's admin block; a reached charge limit still blocks them. */
    Member unblockUser(Actor actor, String account, String userId);
}
