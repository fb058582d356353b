package org.scow.auth.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.util.Map;
import java.util.Set;
import javax.ws.rs.core.MultivaluedHashMap;
import org.junit.Test;
import org.scow.api.security.Role;
import org.scow.api.security.UserRoles;
import org.scow.rest.support.Allow;
import org.scow.rest.support.Authenticated;
import org.scow.rest.support.Caller;
import org.scow.rest.support.Public;
import org.scow.rest.support.ScowPrincipal;

public class SecurityFilterTest {
    static class Resource {
        @Public
        public void health() {
        }

        @Authenticated
        public void mine() {
        }

        @Allow({Role.ACCOUNT_OWNER, Role.TENANT_ADMIN})
        public void account() {
        }

        @Allow({Role.PLATFORM_FINANCE})
        public void money() {
        }

        public void forgotten() {
        }
    }

    private final SecurityFilter filter = new SecurityFilter();

    private static Allow allow(String method) throws Exception {
        return Resource.class.getMethod(method).getAnnotation(Allow.class);
    }

    private static MultivaluedHashMap<String, String> path(String... kv) {
        MultivaluedHashMap<String, String> m = new MultivaluedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.putSingle(kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    public void methodsWithoutARuleHaveNone() throws Exception {
        assertNull("fail closed: the filter denies a method without a rule",
                SecurityFilter.rule(Resource.class.getMethod("forgotten"), Resource.class));
        assertTrue(SecurityFilter.rule(Resource.class.getMethod("health"), Resource.class) instanceof Public);
        assertTrue(SecurityFilter.rule(Resource.class.getMethod("mine"), Resource.class) instanceof Authenticated);
    }

    @Test
    public void accountRolesCountOnlyInTheirAccount() throws Exception {
        UserRoles owner = new UserRoles("o", "t1", Set.of(), Set.of(), Map.of("a1", Role.ACCOUNT_OWNER));
        UserRoles user = new UserRoles("u", "t1", Set.of(), Set.of(), Map.of("a1", Role.ACCOUNT_USER));
        assertTrue(filter.allowed(allow("account"), owner, path("account", "a1")));
        assertFalse(filter.allowed(allow("account"), owner, path("account", "a2")));
        assertFalse(filter.allowed(allow("account"), user, path("account", "a1")));
        assertTrue("no account in the path: any account", filter.allowed(allow("account"), owner, path()));
        assertFalse(filter.allowed(allow("account"), null, path("account", "a1")));
    }

    @Test
    public void tenantRolesCountOnlyInTheirTenantAndPlatformAdminsEverywhere() throws Exception {
        UserRoles tenantAdmin = new UserRoles("t", "t1", Set.of(), Set.of(Role.TENANT_ADMIN), Map.of());
        assertTrue(filter.allowed(allow("account"), tenantAdmin, path("tenant", "t1")));
        assertFalse(filter.allowed(allow("account"), tenantAdmin, path("tenant", "t2")));
        UserRoles admin = new UserRoles("admin", "t1", Set.of(Role.PLATFORM_ADMIN), Set.of(), Map.of());
        assertTrue(filter.allowed(allow("money"), admin, path()));
        UserRoles finance = new UserRoles("f", "t1", Set.of(Role.PLATFORM_FINANCE), Set.of(), Map.of());
        assertTrue(filter.allowed(allow("money"), finance, path()));
        assertFalse(filter.allowed(allow("money"), tenantAdmin, path()));
    }

    @Test
    public void securityContextCarriesTheCallerAndTheEnforcementMode() {
        ScowPrincipal p = new ScowPrincipal("u", new UserRoles("u", "t1", Set.of(), Set.of(),
                Map.of("a1", Role.ACCOUNT_OWNER)), "session");
        var sc = SecurityFilter.context(p, false, true);
        assertEquals("u", Caller.userId(sc, null));
        assertTrue(sc.isUserInRole("ACCOUNT_OWNER"));
        assertFalse(sc.isUserInRole("PLATFORM_ADMIN"));
        assertTrue(Caller.mayActFor(sc, null, "a1", null));
        assertFalse(Caller.mayActFor(sc, "v", "a2", null));
        assertTrue(Caller.unenforced(SecurityFilter.context(null, false, false)));
        assertFalse(Caller.unenforced(SecurityFilter.context(null, false, true)));
        assertEquals("legacy", Caller.userId(SecurityFilter.context(null, false, false), "legacy"));
    }
}
