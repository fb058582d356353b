package org.scow.management.internal;

import java.time.Instant;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.persistence.EntityManager;
import javax.persistence.TypedQuery;
import org.scow.api.scheduler.util.Names;
import org.scow.api.security.Role;
import org.scow.management.AccountRole;
import org.scow.management.ManagementException;
import org.scow.management.Model.Account;
import org.scow.management.Model.Member;
import org.scow.management.Model.Tenant;
import org.scow.management.Model.User;

/**
 * The rows of the management model: finding them ({@code find*}: null when absent; {@code require*}: 404 when
 * absent), mapping them to the {@link org.scow.management.Model} values, and the input checks the writers share.
 */
final class Rows {
    private Rows() {
    }

    static TenantEntity findTenant(EntityManager em, String name) {
        return first(em.createQuery("SELECT t FROM TenantEntity t WHERE t.name = :n", TenantEntity.class)
                .setParameter("n", name));
    }

    static UserEntity findUser(EntityManager em, String userId) {
        return first(em.createQuery("SELECT u FROM UserEntity u WHERE u.userId = :n", UserEntity.class)
                .setParameter("n", userId));
    }

    static AccountEntity findAccount(EntityManager em, String name) {
        return first(em.createQuery("SELECT a FROM AccountEntity a WHERE a.name = :n", AccountEntity.class)
                .setParameter("n", name));
    }

    static MemberEntity findMember(EntityManager em, AccountEntity a, UserEntity u) {
        return first(em.createQuery("SELECT m FROM MemberEntity m WHERE m.account = :a AND m.user = :u",
                MemberEntity.class).setParameter("a", a).setParameter("u", u));
    }

    static TenantEntity requireTenant(EntityManager em, String name) {
        if (name == null || name.isBlank()) {
            throw ManagementException.invalid("tenant", "is required");
        }
        TenantEntity t = findTenant(em, name);
        if (t == null) {
            throw ManagementException.notFound("tenant", name);
        }
        return t;
    }

    static UserEntity requireUser(EntityManager em, String userId) {
        if (userId == null || userId.isBlank()) {
            throw ManagementException.invalid("user", "is required");
        }
        UserEntity u = findUser(em, userId);
        if (u == null) {
            throw ManagementException.notFound("user", userId);
        }
        return u;
    }

    static AccountEntity requireAccount(EntityManager em, String name) {
        if (name == null || name.isBlank()) {
            throw ManagementException.invalid("account", "is required");
        }
        AccountEntity a = findAccount(em, name);
        if (a == null) {
            throw ManagementException.notFound("account", name);
        }
        return a;
    }

    static MemberEntity requireMember(EntityManager em, String account, String userId) {
        AccountEntity a = requireAccount(em, account);
        UserEntity u = requireUser(em, userId);
        MemberEntity m = findMember(em, a, u);
        if (m == null) {
            throw new ManagementException(404, "USER_NOT_IN_ACCOUNT", "user '" + userId + "' is not in account '"
                    + account + "'", Map.of("account", account, "user", userId));
        }
        return m;
    }

    static List<MemberEntity> memberships(EntityManager em, UserEntity u) {
        return em.createQuery("SELECT m FROM MemberEntity m WHERE m.user = :u ORDER BY m.account.name",
                MemberEntity.class).setParameter("u", u).getResultList();
    }

    static List<UserRoleEntity> roles(EntityManager em, UserEntity u) {
        return em.createQuery("SELECT r FROM UserRoleEntity r WHERE r.user = :u", UserRoleEntity.class)
                .setParameter("u", u).getResultList();
    }

    private static <T> T first(TypedQuery<T> q) {
        List<T> list = q.setMaxResults(1).getResultList();
        return list.isEmpty() ? null : list.get(0);
    }

    // ---- mapping ----

    static Tenant toTenant(TenantEntity t) {
        return new Tenant(t.name, t.createdAt);
    }

    static User toUser(EntityManager em, UserEntity u) {
        Set<Role> roles = EnumSet.noneOf(Role.class);
        roles(em, u).forEach(r -> roles.add(r.role));
        return new User(u.userId, u.name, u.email, u.tenant.name, roles, u.createdAt);
    }

    static Member toMember(MemberEntity m) {
        return new Member(m.user.userId, m.role, m.blockedByAdmin);
    }

    static Account toAccount(EntityManager em, AccountEntity a, Instant now) {
        return toAccount(a, em.createQuery("SELECT m FROM MemberEntity m WHERE m.account = :a ORDER BY m.user.userId",
                MemberEntity.class).setParameter("a", a).getResultList(), now);
    }

    /** An account as the model shows it; whether it is whitelisted is judged at {@code now}. */
    static Account toAccount(AccountEntity a, List<MemberEntity> members, Instant now) {
        String owner = members.stream().filter(m -> m.role == AccountRole.OWNER).map(m -> m.user.userId).findFirst()
                .orElse(null);
        return new Account(a.name, a.tenant.name, owner, a.comment, a.blockedByAdmin, a.whitelistedAt(now),
                a.whitelisted ? a.whitelistExpiresAt : null, members.stream().map(Rows::toMember).toList(),
                a.createdAt);
    }

    // ---- validation ----

    static void checkName(String field, String value) {
        if (value == null || value.isBlank()) {
            throw ManagementException.invalid(field, "is required");
        }
        if (!Names.isValid(value)) {
            throw ManagementException.invalid(field, "'" + value + "' " + Names.RULE);
        }
    }

    static void checkText(String field, String value) {
        if (value != null && (value.length() > 200 && !field.equals("comment") || value.length()
                > JpaAuditLog.MAX_TEXT)) {
            throw ManagementException.invalid(field, "is too long");
        }
    }

    static Map<String, Object> params(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            if (kv[i + 1] != null) {
                m.put((String) kv[i], kv[i + 1]);
            }
        }
        return m;
    }
}
