package org.scow.management.internal;

import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import javax.persistence.EntityManager;
import javax.persistence.EntityManagerFactory;
import org.scow.api.security.Role;
import org.scow.api.security.RoleDirectory;
import org.scow.api.security.UserRoles;
import org.scow.persistence.Transactions;

/** The roles of platform users, read from the management model for access decisions. */
public class JpaRoleDirectory implements RoleDirectory {
    private final EntityManagerFactory emf;

    public JpaRoleDirectory(EntityManagerFactory emf) {
        this.emf = emf;
    }

    @Override
    public Optional<UserRoles> rolesOf(String userId) {
        return read(em -> {
            UserEntity u = Rows.findUser(em, userId);
            if (u == null) {
                return Optional.empty();
            }
            Set<Role> platform = EnumSet.noneOf(Role.class);
            Set<Role> tenant = EnumSet.noneOf(Role.class);
            for (UserRoleEntity r : Rows.roles(em, u)) {
                (r.role.scope() == Role.Scope.PLATFORM ? platform : tenant).add(r.role);
            }
            Map<String, Role> accounts = new HashMap<>();
            for (MemberEntity m : Rows.memberships(em, u)) {
                accounts.put(m.account.name, m.role.role());
            }
            return Optional.of(new UserRoles(u.userId, u.tenant.name, platform, tenant, accounts));
        });
    }

    @Override
    public Optional<String> tenantOfAccount(String account) {
        return read(em -> Optional.ofNullable(Rows.findAccount(em, account)).map(a -> a.tenant.name));
    }

    @Override
    public Set<String> accountsOfTenant(String tenant) {
        return read(em -> Set.copyOf(em.createQuery(
                "SELECT a.name FROM AccountEntity a WHERE a.tenant.name = :t", String.class)
                .setParameter("t", tenant).getResultList()));
    }

    private <T> T read(Function<EntityManager, T> work) {
        return Transactions.read(emf, work);
    }
}
