package org.scow.management;

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
public interface ManagementService {
    Tenant createTenant(Actor actor, String name, String adminUserId);

    List<Tenant> tenants();

    Optional<Tenant> tenant(String name);

    User createUser(Actor actor, String userId, String name, String email, String tenant);

    Optional<User> user(String userId);

    /** Users of a tenant, or of every tenant when {@code tenant} is null. */
    List<User> users(String tenant);

    /** Moves a user that belongs to no account to another tenant; the user's tenant roles are dropped. */
    User changeTenant(Actor actor, String userId, String tenant);

    User setRole(Actor actor, String userId, Role role);

    User unsetRole(Actor actor, String userId, Role role);

    Account createAccount(Actor actor, String name, String tenant, String ownerUserId, String comment);

    Optional<Account> account(String name);

    /** Accounts of a tenant, or of every tenant when {@code tenant} is null. */
    List<Account> accounts(String tenant);

    Member addUserToAccount(Actor actor, String account, String userId, AccountRole role);

    void removeUserFromAccount(Actor actor, String account, String userId);

    Member setAccountRole(Actor actor, String account, String userId, AccountRole role);

    /** Whitelists an account (never blocked for its balance) until {@code expiresAt}, or for good when null. */
    Account whitelist(Actor actor, String account, Instant expiresAt, String comment);

    Account dewhitelist(Actor actor, String account);

    Account blockAccount(Actor actor, String account);

    Account unblockAccount(Actor actor, String account);

    Member blockUser(Actor actor, String account, String userId);

    Member unblockUser(Actor actor, String account, String userId);
}
