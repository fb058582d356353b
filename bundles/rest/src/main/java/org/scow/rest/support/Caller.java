package org.scow.rest.support;

import java.security.Principal;
import java.util.Map;
import javax.ws.rs.core.SecurityContext;
import org.scow.api.security.Role;
import org.scow.api.security.UserRoles;

/**
 * The caller of a resource method, for ownership rules ("own jobs", "own account"). With enforcement switched off
 * (configuration {@code org.scow.auth: enforce=false}) anonymous requests carry the authentication scheme
 * {@link #UNENFORCED} and every check here passes; without any security context at all the checks fail closed.
 */
public final class Caller {
    /** Authentication scheme of anonymous requests while enforcement is off. */
    public static final String UNENFORCED = "UNENFORCED";

    /**
     * Request property the security filter sets on every request it checked; the platform refuses requests without
     * it, so a resource is never served with no security filter in front of it.
     */
    public static final String CHECKED_PROPERTY = "org.scow.rest.security.checked";

    private Caller() {
    }

    /** The signed-in caller, or null. */
    public static ScowPrincipal principal(SecurityContext sc) {
        Principal p = sc == null ? null : sc.getUserPrincipal();
        return p instanceof ScowPrincipal s ? s : null;
    }

    /** True when nobody is signed in and enforcement is off. */
    public static boolean unenforced(SecurityContext sc) {
        return principal(sc) == null && sc != null && UNENFORCED.equals(sc.getAuthenticationScheme());
    }

    /** The signed-in user's id, or {@code fallback} while enforcement is off; 401 otherwise. */
    public static String userId(SecurityContext sc, String fallback) {
        ScowPrincipal p = principal(sc);
        if (p != null) {
            return p.userId();
        }
        if (unenforced(sc)) {
            return fallback;
        }
        throw unauthenticated();
    }

    public static boolean isPlatformAdmin(SecurityContext sc) {
        ScowPrincipal p = principal(sc);
        return unenforced(sc) || p != null && p.roles() != null && p.roles().isPlatformAdmin();
    }

    /** True when the caller is {@code user}, or may manage {@code account} (account owner/admin, its tenant admin). */
    public static boolean mayActFor(SecurityContext sc, String user, String account, String accountTenant) {
        if (isPlatformAdmin(sc)) {
            return true;
        }
        ScowPrincipal p = principal(sc);
        if (p == null) {
            return false;
        }
        if (user != null && user.equals(p.userId())) {
            return true;
        }
        UserRoles r = p.roles();
        if (r == null || account == null) {
            return false;
        }
        if (r.inAccount(account, Role.ACCOUNT_OWNER, Role.ACCOUNT_ADMIN)) {
            return true;
        }
        return accountTenant != null && accountTenant.equals(r.tenant()) && r.tenantRoles().contains(Role.TENANT_ADMIN);
    }

    /** 403 unless {@link #mayActFor}. */
    public static void requireActFor(SecurityContext sc, String user, String account, String accountTenant) {
        if (!mayActFor(sc, user, account, accountTenant)) {
            throw forbidden();
        }
    }

    /**
     * Inside an account the roles rank OWNER over ADMIN over USER: 403 when the caller's only standing in
     * {@code account} is ACCOUNT_ADMIN and the member acted on ({@code targetRole}, null for none) is the owner or
     * another admin. Platform admins, the account's tenant admins and its owner outrank everyone in it.
     */
    public static void requireOutranks(SecurityContext sc, String account, String accountTenant, Role targetRole) {
        if (isPlatformAdmin(sc)) {
            return;
        }
        ScowPrincipal p = principal(sc);
        UserRoles r = p == null ? null : p.roles();
        if (r == null) {
            throw forbidden();
        }
        if (accountTenant != null && accountTenant.equals(r.tenant()) && r.tenantRoles().contains(Role.TENANT_ADMIN)
                || r.accounts().get(account) == Role.ACCOUNT_OWNER) {
            return;
        }
        if (r.accounts().get(account) == Role.ACCOUNT_ADMIN
                && (targetRole == null || targetRole == Role.ACCOUNT_USER)) {
            return;
        }
        throw new ApiException(403, "FORBIDDEN", "an account admin may not act on the account's owner or other "
                + "admins", Map.of());
    }

    public static ApiException unauthenticated() {
        return new ApiException(401, "UNAUTHENTICATED", "sign in first (POST /api/v1/auth/login) or send a bearer token",
                Map.of());
    }

    public static ApiException forbidden() {
        return new ApiException(403, "FORBIDDEN", "your roles do not allow this", Map.of());
    }
}
