package org.scow.management.internal;

import static org.scow.management.internal.Rows.checkName;
import static org.scow.management.internal.Rows.checkText;
import static org.scow.management.internal.Rows.findAccount;
import static org.scow.management.internal.Rows.findMember;
import static org.scow.management.internal.Rows.findTenant;
import static org.scow.management.internal.Rows.findUser;
import static org.scow.management.internal.Rows.memberships;
import static org.scow.management.internal.Rows.params;
import static org.scow.management.internal.Rows.requireAccount;
import static org.scow.management.internal.Rows.requireMember;
import static org.scow.management.internal.Rows.requireTenant;
import static org.scow.management.internal.Rows.requireUser;
import static org.scow.management.internal.Rows.roles;
import static org.scow.management.internal.Rows.toAccount;
import static org.scow.management.internal.Rows.toMember;
import static org.scow.management.internal.Rows.toTenant;
import static org.scow.management.internal.Rows.toUser;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;
import javax.persistence.EntityManager;
import javax.persistence.EntityManagerFactory;
import javax.persistence.PersistenceException;
import javax.persistence.TypedQuery;
import org.scow.api.security.Role;
import org.scow.api.security.SystemAccountPolicy;
import org.scow.management.AccountRole;
import org.scow.management.Actor;
import org.scow.management.ManagementException;
import org.scow.management.ManagementService;
import org.scow.management.Model.Account;
import org.scow.management.Model.Member;
import org.scow.management.Model.Tenant;
import org.scow.management.Model.User;
import org.scow.persistence.Transactions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The management service on JPA: tenants, users, accounts, members, roles, whitelist and admin blocks. Each operation runs in one transaction together with its audit entry; a refused or
 * failed operation rolls back and is audited as FAILURE in a transaction of its own.
 */
public class ManagementStore implements ManagementService {
    private static final Logger LOG = LoggerFactory.getLogger(ManagementStore.class);

    private final EntityManagerFactory emf;
    private final Clock clock;
    private final JpaAuditLog audit;
    private volatile Consumer<String> accountChanged = a -> { };
    private volatile java.util.function.BiConsumer<String, String> memberRemoved = (a, u) -> { };
    private volatile SystemAccountPolicy systemAccounts;

    public ManagementStore(EntityManagerFactory emf, Clock clock) {
        this.emf = emf;
        this.clock = clock;
        this.audit = new JpaAuditLog(emf, clock);
    }

    /** The audit log this store writes its entries to. */
    public JpaAuditLog audit() {
        return audit;
    }

    /** The rule that keeps system accounts (root, uids below the minimum) from becoming platform users. */
    public void systemAccounts(SystemAccountPolicy policy) {
        this.systemAccounts = policy;
    }

    /** Called with an account's name after a committed change that may alter what clusters must allow. */
    public void onAccountChanged(Consumer<String> listener) {
        this.accountChanged = listener == null ? a -> { } : listener;
    }

    /** Called with (account, user) after a user was removed from an account. */
    public void onMemberRemoved(java.util.function.BiConsumer<String, String> listener) {
        this.memberRemoved = listener == null ? (a, u) -> { } : listener;
    }

    /**
     * First start: creates the default tenant and the initial platform admin if the platform has no tenant or no
     * platform admin yet. Safe to run on every start and on several nodes at once.
     */
    public void bootstrap(String defaultTenant, String initialAdmin) {
        try {
            if (tenants().isEmpty()) {
                createTenant(Actor.SYSTEM, defaultTenant, null);
            }
            if (initialAdmin != null && !initialAdmin.isBlank() && !hasPlatformAdmin()) {
                if (user(initialAdmin).isEmpty()) {
                    createUser(Actor.SYSTEM, initialAdmin, "Platform administrator", null,
                            tenants().get(0).name());
                }
                setRole(Actor.SYSTEM, initialAdmin, Role.PLATFORM_ADMIN);
            }
        } catch (ManagementException e) {
            LOG.info("Bootstrap raced with another node: {}", e.getMessage());
        }
    }

    private boolean hasPlatformAdmin() {
        return read(em -> !em.createQuery("SELECT r FROM UserRoleEntity r WHERE r.role = :r", UserRoleEntity.class)
                .setParameter("r", Role.PLATFORM_ADMIN).setMaxResults(1).getResultList().isEmpty());
    }

    // ---- tenants ------------------------------------------------------------------------------------------------

    @Override
    public Tenant createTenant(Actor actor, String name, String adminUserId) {
        Map<String, Object> params = params("name", name, "admin", adminUserId);
        return audited(actor, "CREATE_TENANT", "TENANT", name, params, em -> {
            checkName("name", name);
            if (findTenant(em, name) != null) {
                throw ManagementException.exists("tenant", name);
            }
            TenantEntity t = new TenantEntity();
            t.name = name;
            t.createdAt = now();
            em.persist(t);
            if (adminUserId != null && !adminUserId.isBlank()) {
                UserEntity u = requireUser(em, adminUserId);
                moveUser(em, u, t);
                grant(em, u, Role.TENANT_ADMIN);
            }
            return toTenant(t);
        });
    }

    @Override
    public List<Tenant> tenants() {
        return read(em -> em.createQuery("SELECT t FROM TenantEntity t ORDER BY t.name", TenantEntity.class)
                .getResultList().stream().map(Rows::toTenant).toList());
    }

    @Override
    public Optional<Tenant> tenant(String name) {
        return read(em -> Optional.ofNullable(findTenant(em, name)).map(Rows::toTenant));
    }

    // ---- users --------------------------------------------------------------------------------------------------

    @Override
    public User createUser(Actor actor, String userId, String name, String email, String tenant) {
        return audited(actor, "CREATE_USER", "USER", userId, params("userId", userId, "name", name, "email", email,
                "tenant", tenant), em -> {
            checkName("userId", userId);
            (systemAccounts == null ? Optional.<String>empty() : systemAccounts.refusal(userId)).ifPresent(why -> {
                throw new ManagementException(422, "SYSTEM_ACCOUNT", "userId: " + why, Map.of("field", "userId"));
            });
            checkText("name", name);
            checkText("email", email);
            if (email != null && !email.isBlank() && !email.matches("[^@\\s]+@[^@\\s]+")) {
                throw ManagementException.invalid("email", "'" + email + "' is not an e-mail address");
            }
            TenantEntity t = requireTenant(em, tenant);
            if (findUser(em, userId) != null) {
                throw ManagementException.exists("user", userId);
            }
            UserEntity u = new UserEntity();
            u.userId = userId;
            u.name = name;
            u.email = email;
            u.tenant = t;
            u.createdAt = now();
            em.persist(u);
            return toUser(em, u);
        });
    }

    @Override
    public Optional<User> user(String userId) {
        return read(em -> Optional.ofNullable(findUser(em, userId)).map(u -> toUser(em, u)));
    }

    @Override
    public List<User> users(String tenant) {
        return read(em -> {
            TypedQuery<UserEntity> q;
            if (tenant == null) {
                q = em.createQuery("SELECT u FROM UserEntity u ORDER BY u.userId", UserEntity.class);
            } else {
                requireTenant(em, tenant);
                q = em.createQuery("SELECT u FROM UserEntity u WHERE u.tenant.name = :t ORDER BY u.userId",
                        UserEntity.class).setParameter("t", tenant);
            }
            return q.getResultList().stream().map(u -> toUser(em, u)).toList();
        });
    }

    @Override
    public User changeTenant(Actor actor, String userId, String tenant) {
        return audited(actor, "CHANGE_USER_TENANT", "USER", userId, params("tenant", tenant), em -> {
            UserEntity u = requireUser(em, userId);
            TenantEntity t = requireTenant(em, tenant);
            moveUser(em, u, t);
            return toUser(em, u);
        });
    }

    /** Moves a user to another tenant: only while they belong to no account; tenant roles do not travel. */
    private void moveUser(EntityManager em, UserEntity u, TenantEntity t) {
        if (u.tenant.id.equals(t.id)) {
            return;
        }
        List<MemberEntity> memberships = memberships(em, u);
        if (!memberships.isEmpty()) {
            throw ManagementException.conflict("user '" + u.userId + "' still belongs to account(s) "
                    + memberships.stream().map(m -> m.account.name).toList()
                    + "; remove them from those accounts before changing their tenant");
        }
        for (UserRoleEntity r : roles(em, u)) {
            if (r.role.scope() == Role.Scope.TENANT) {
                em.remove(r);
            }
        }
        u.tenant = t;
    }

    @Override
    public User setRole(Actor actor, String userId, Role role) {
        return audited(actor, "SET_ROLE", "USER", userId, params("role", role), em -> {
            checkUserRole(role);
            UserEntity u = requireUser(em, userId);
            grant(em, u, role);
            return toUser(em, u);
        });
    }

    @Override
    public User unsetRole(Actor actor, String userId, Role role) {
        return audited(actor, "UNSET_ROLE", "USER", userId, params("role", role), em -> {
            checkUserRole(role);
            UserEntity u = requireUser(em, userId);
            for (UserRoleEntity r : roles(em, u)) {
                if (r.role == role) {
                    em.remove(r);
                }
            }
            em.flush();
            return toUser(em, u);
        });
    }

    private static void checkUserRole(Role role) {
        if (role == null) {
            throw ManagementException.invalid("role", "is required");
        }
        if (role.scope() == Role.Scope.ACCOUNT) {
            throw ManagementException.invalid("role", role + " is an account role: set it on the account member");
        }
    }

    private void grant(EntityManager em, UserEntity u, Role role) {
        if (roles(em, u).stream().noneMatch(r -> r.role == role)) {
            UserRoleEntity r = new UserRoleEntity();
            r.user = u;
            r.role = role;
            em.persist(r);
            em.flush();
        }
    }

    // ---- accounts -----------------------------------------------------------------------------------------------

    @Override
    public Account createAccount(Actor actor, String name, String tenant, String ownerUserId, String comment) {
        Account created = audited(actor, "CREATE_ACCOUNT", "ACCOUNT", name, params("tenant", tenant, "owner",
                ownerUserId, "comment", comment), em -> {
            checkName("name", name);
            checkName("owner", ownerUserId);
            checkText("comment", comment);
            TenantEntity t = requireTenant(em, tenant);
            UserEntity owner = requireUser(em, ownerUserId);
            if (!owner.tenant.id.equals(t.id)) {
                throw ManagementException.invalid("owner", "user '" + ownerUserId + "' belongs to tenant '"
                        + owner.tenant.name + "', not '" + tenant + "'");
            }
            if (findAccount(em, name) != null) {
                throw ManagementException.exists("account", name);
            }
            AccountEntity a = new AccountEntity();
            a.name = name;
            a.tenant = t;
            a.comment = comment;
            a.createdAt = now();
            em.persist(a);
            MemberEntity m = new MemberEntity();
            m.account = a;
            m.user = owner;
            m.role = AccountRole.OWNER;
            m.createdAt = now();
            em.persist(m);
            em.flush();
            return toAccount(em, a, now());
        });
        changed(name);
        return created;
    }

    @Override
    public Optional<Account> account(String name) {
        return read(em -> Optional.ofNullable(findAccount(em, name)).map(a -> toAccount(em, a, now())));
    }

    @Override
    public List<Account> accounts(String tenant) {
        return read(em -> {
            TypedQuery<AccountEntity> q;
            if (tenant == null) {
                q = em.createQuery("SELECT a FROM AccountEntity a ORDER BY a.name", AccountEntity.class);
            } else {
                requireTenant(em, tenant);
                q = em.createQuery("SELECT a FROM AccountEntity a WHERE a.tenant.name = :t ORDER BY a.name",
                        AccountEntity.class).setParameter("t", tenant);
            }
            List<AccountEntity> accounts = q.getResultList();
            Map<Long, List<MemberEntity>> members = em.createQuery(
                            "SELECT m FROM MemberEntity m ORDER BY m.user.userId", MemberEntity.class).getResultList()
                    .stream().collect(Collectors.groupingBy(m -> m.account.id));
            return accounts.stream().map(a -> toAccount(a, members.getOrDefault(a.id, List.of()), now())).toList();
        });
    }

    @Override
    public Member addUserToAccount(Actor actor, String account, String userId, AccountRole role) {
        AccountRole r = role == null ? AccountRole.USER : role;
        Member added = audited(actor, "ADD_USER_TO_ACCOUNT", "ACCOUNT", account, params("user", userId, "role", r),
                em -> {
            if (r == AccountRole.OWNER) {
                throw ManagementException.invalid("role", "an account has exactly one owner, set when it is created");
            }
            AccountEntity a = requireAccount(em, account);
            UserEntity u = requireUser(em, userId);
            if (!u.tenant.id.equals(a.tenant.id)) {
                throw ManagementException.invalid("user", "user '" + userId + "' belongs to tenant '"
                        + u.tenant.name + "', account '" + account + "' to '" + a.tenant.name + "'");
            }
            if (findMember(em, a, u) != null) {
                throw ManagementException.exists("member", userId + "@" + account);
            }
            MemberEntity m = new MemberEntity();
            m.account = a;
            m.user = u;
            m.role = r;
            m.createdAt = now();
            em.persist(m);
            return toMember(m);
        });
        changed(account);
        return added;
    }

    @Override
    public void removeUserFromAccount(Actor actor, String account, String userId) {
        audited(actor, "REMOVE_USER_FROM_ACCOUNT", "ACCOUNT", account, params("user", userId), em -> {
            MemberEntity m = requireMember(em, account, userId);
            if (m.role == AccountRole.OWNER) {
                throw ManagementException.conflict("user '" + userId + "' owns account '" + account
                        + "' and cannot be removed from it");
            }
            em.remove(m);
            return null;
        });
        try {
            memberRemoved.accept(account, userId);
        } catch (RuntimeException e) {
            LOG.warn("Removing '{}' from '{}' on the clusters failed", userId, account, e);
        }
        changed(account);
    }

    @Override
    public Member setAccountRole(Actor actor, String account, String userId, AccountRole role) {
        return audited(actor, "SET_ACCOUNT_ROLE", "ACCOUNT", account, params("user", userId, "role", role), em -> {
            if (role == null || role == AccountRole.OWNER) {
                throw ManagementException.invalid("role", "must be ADMIN or USER");
            }
            MemberEntity m = requireMember(em, account, userId);
            if (m.role == AccountRole.OWNER) {
                throw ManagementException.conflict("user '" + userId + "' owns account '" + account + "'");
            }
            m.role = role;
            return toMember(m);
        });
    }

    @Override
    public Account whitelist(Actor actor, String account, Instant expiresAt, String comment) {
        return accountChange(actor, "WHITELIST_ACCOUNT", account, params("expiresAt", expiresAt, "comment", comment),
                a -> {
                    checkText("comment", comment);
                    if (expiresAt != null && !expiresAt.isAfter(now())) {
                        throw ManagementException.invalid("expiresAt", "must lie in the future, was " + expiresAt);
                    }
                    a.whitelisted = true;
                    a.whitelistExpiresAt = expiresAt == null ? null : expiresAt.truncatedTo(ChronoUnit.MICROS);
                    a.whitelistComment = comment;
                });
    }

    @Override
    public Account dewhitelist(Actor actor, String account) {
        return accountChange(actor, "DEWHITELIST_ACCOUNT", account, Map.of(), a -> {
            a.whitelisted = false;
            a.whitelistExpiresAt = null;
            a.whitelistComment = null;
        });
    }

    @Override
    public Account blockAccount(Actor actor, String account) {
        return accountChange(actor, "BLOCK_ACCOUNT", account, Map.of(), a -> a.blockedByAdmin = true);
    }

    @Override
    public Account unblockAccount(Actor actor, String account) {
        return accountChange(actor, "UNBLOCK_ACCOUNT", account, Map.of(), a -> a.blockedByAdmin = false);
    }

    private Account accountChange(Actor actor, String op, String account, Map<String, Object> params,
                                  Consumer<AccountEntity> change) {
        Account result = audited(actor, op, "ACCOUNT", account, params, em -> {
            AccountEntity a = requireAccount(em, account);
            change.accept(a);
            em.flush();
            return toAccount(em, a, now());
        });
        changed(account);
        return result;
    }

    @Override
    public Member blockUser(Actor actor, String account, String userId) {
        return memberBlock(actor, "BLOCK_USER_IN_ACCOUNT", account, userId, true);
    }

    @Override
    public Member unblockUser(Actor actor, String account, String userId) {
        return memberBlock(actor, "UNBLOCK_USER_IN_ACCOUNT", account, userId, false);
    }

    private Member memberBlock(Actor actor, String op, String account, String userId, boolean blocked) {
        Member m = audited(actor, op, "ACCOUNT", account, params("user", userId), em -> {
            MemberEntity e = requireMember(em, account, userId);
            e.blockedByAdmin = blocked;
            return toMember(e);
        });
        changed(account);
        return m;
    }

    // ---- transactions -------------------------------------------------------------------------------------------

    private <T> T audited(Actor actor, String op, String targetType, String target, Map<String, ?> params,
                          Function<EntityManager, T> work) {
        Actor who = actor == null ? Actor.SYSTEM : actor;
        EntityManager em = emf.createEntityManager();
        try {
            em.getTransaction().begin();
            T result = work.apply(em);
            em.flush();
            em.persist(audit.entry(who, op, targetType, target, params, true, null));
            em.getTransaction().commit();
            return result;
        } catch (RuntimeException e) {
            rollback(em);
            RuntimeException reported = e instanceof ManagementException ? e
                    : isConstraintViolation(e) ? ManagementException.conflict(op.toLowerCase().replace('_', ' ')
                    + " conflicts with a concurrent change of '" + target + "'; try again") : e;
            audit.record(who, op, targetType, target, params, false, reported.getMessage());
            throw reported;
        } finally {
            close(em);
        }
    }

    private <T> T read(Function<EntityManager, T> work) {
        return Transactions.read(emf, work);
    }

    private static boolean isConstraintViolation(Throwable e) {
        return Transactions.isConstraintViolation(e)
                || e instanceof PersistenceException && String.valueOf(e.getMessage()).toLowerCase().contains("unique");
    }

    private static void rollback(EntityManager em) {
        try {
            if (em.getTransaction().isActive()) {
                em.getTransaction().rollback();
            }
        } catch (RuntimeException e) {
            LOG.warn("Rollback failed", e);
        }
    }

    private static void close(EntityManager em) {
        rollback(em);
        em.close();
    }

    private void changed(String account) {
        try {
            accountChanged.accept(account);
        } catch (RuntimeException e) {
            LOG.warn("Applying account '{}' on the clusters failed; reconciliation will retry", account, e);
        }
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

}
