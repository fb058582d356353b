package org.scow.auth.rest;

import org.scow.auth.internal.AuthService;
import org.scow.auth.internal.AuthStore;
import org.scow.auth.internal.SecurityFilter;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import javax.servlet.http.HttpServletRequest;
import javax.ws.rs.Consumes;
import javax.ws.rs.CookieParam;
import javax.ws.rs.DELETE;
import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.PUT;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.SecurityContext;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JSONRequired;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;
import org.scow.api.auth.AuthBackend;
import org.scow.api.auth.AuthException;
import org.scow.api.scheduler.util.Names;
import org.scow.api.security.Role;
import org.scow.api.security.UserRoles;
import org.scow.rest.support.Allow;
import org.scow.rest.support.ApiException;
import org.scow.rest.support.Authenticated;
import org.scow.rest.support.Caller;
import org.scow.rest.support.Params;
import org.scow.rest.support.Public;
import org.scow.rest.support.ScowPrincipal;

@Component(service = AuthResource.class)
@JaxrsResource
@JSONRequired
@Path("/api/v1/auth")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "auth", description = "Sign in and out, the caller, passwords, API tokens. Cookie sessions send the "
        + "X-CSRF-Token header (from login or /me) with every POST/PUT/DELETE; API clients send "
        + "Authorization: Bearer <token>.")
public class AuthResource {
    @Reference
    private AuthService auth;

    @Context
    private HttpServletRequest request;

    @Context
    private SecurityContext security;

    public record Login(String user, String password) {
    }

    public record Me(String user, UserRoles roles, String via, String csrfToken) {
    }

    public record PasswordChange(String oldPassword, String newPassword) {
    }

    public record PasswordReset(String password) {
    }

    /**
     * A user's password in a backend: {@code builtin} (the default) or a directory that creates users (e.g.
     * {@code ldap}: the user is created there, with name and email).
     */
    public record NewCredential(String user, String password, String backend, String name, String email) {
    }

    public record NewToken(String name, String user, String scope, Integer days) {
    }

    public record CreatedToken(AuthStore.Token token, String secret) {
    }

    @POST
    @Path("login")
    @Public
    @Operation(summary = "Sign in: sets the HttpOnly session cookie and answers the CSRF token; 429 after too many "
            + "failures")
    public Response login(Login body) {
        Params.body(body);
        String ip = ip();
        String user = body.user();
        if (user == null || !Names.isValid(user) || body.password() == null || body.password().isEmpty()
                || body.password().length() > 1024) {
            auth.store().audit("LOGIN_FAILURE", user == null || !Names.isValid(user) ? null : user, ip, "malformed");
            throw new ApiException(401, "BAD_CREDENTIALS", "wrong user or password", Map.of());
        }
        AuthService.LoginResult r = auth.login(user, body.password().toCharArray(), ip);
        switch (r.outcome()) {
            case RATE_LIMITED -> {
                return Response.status(429).header("Retry-After", r.retryAfterSeconds())
                        .type(MediaType.APPLICATION_JSON_TYPE).entity(new ApiException(429, "RATE_LIMITED",
                                "too many failed logins: try again later", Map.of("retryAfterSeconds",
                                        r.retryAfterSeconds())).body()).build();
            }
            case UNAVAILABLE -> throw new ApiException(503, "UNAVAILABLE",
                    "the user directory cannot be reached; try again later", Map.of());
            case BAD_CREDENTIALS -> throw new ApiException(401, "BAD_CREDENTIALS", "wrong user or password", Map.of());
            default -> {
            }
        }
        boolean secure = request != null && request.isSecure();
        String cookie = SecurityFilter.COOKIE + "=" + r.sessionId() + "; Path=/; HttpOnly; SameSite=Strict"
                + (secure ? "; Secure" : "");
        return Response.ok(new Me(user, r.principal().roles(), "session", r.csrfToken()))
                .header("Set-Cookie", cookie).build();
    }

    @POST
    @Path("logout")
    @Authenticated
    @Operation(summary = "Sign out: ends the session and clears the cookie")
    public Response logout(@CookieParam(SecurityFilter.COOKIE) String session) {
        if (session != null) {
            auth.logout(session);
        }
        return Response.noContent().header("Set-Cookie", SecurityFilter.COOKIE
                + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict").build();
    }

    @GET
    @Path("me")
    @Authenticated
    @Operation(summary = "The caller: user id, roles, how they signed in, and the session's CSRF token")
    public Me me(@CookieParam(SecurityFilter.COOKIE) String session) {
        ScowPrincipal p = caller();
        String csrf = p.via().equals("session") && session != null
                ? auth.sessionCaller(session).map(AuthService.SessionCaller::csrfToken).orElse(null) : null;
        return new Me(p.userId(), p.roles(), p.via(), csrf);
    }

    @POST
    @Path("password")
    @Authenticated
    @Operation(summary = "Change the caller's own built-in password (oldPassword, newPassword). Every other session "
            + "of the caller ends and all their API tokens are revoked; the answer says how many")
    public AuthService.Ended changePassword(@CookieParam(SecurityFilter.COOKIE) String session,
                                            PasswordChange body) {
        Params.body(body);
        if (body.oldPassword() == null) {
            throw ApiException.badField("oldPassword", "is required");
        }
        if (body.newPassword() == null) {
            throw ApiException.badField("newPassword", "is required");
        }
        ScowPrincipal p = caller();
        try {
            auth.builtin().changePassword(p.userId(), body.oldPassword().toCharArray(),
                    body.newPassword().toCharArray());
        } catch (AuthException e) {
            throw mapped(e);
        }
        auth.store().audit("PASSWORD_CHANGE", p.userId(), ip(), null);
        // the session that changed the password stays; a token-authenticated change keeps no session at all
        return auth.endCredentials(p.userId(), p.via().equals("session") ? session : null, ip(), "password change");
    }

    @POST
    @Path("users")
    @Allow({Role.TENANT_ADMIN})
    @Operation(summary = "Give a user a password: built-in (default) or by creating the user in a directory "
            + "backend such as ldap (administrators); 201")
    public Response createCredential(NewCredential body) {
        Params.body(body);
        Params.name("user", body.user());
        refuseSystemAccount(body.user());
        requireInScope(body.user());
        String type = body.backend() == null || body.backend().isBlank() ? "builtin" : body.backend().trim();
        AuthBackend backend = auth.backend(type).orElseThrow(() -> ApiException.badField("backend",
                "no installed auth backend '" + type + "'; installed: " + auth.backendTypes()));
        if (!backend.capabilities().contains(AuthBackend.Capability.CREATE_USER)) {
            throw ApiException.badField("backend", "the " + type + " backend cannot create users");
        }
        if (body.name() != null && body.name().length() > 200) {
            throw ApiException.badField("name", "at most 200 characters");
        }
        if (body.email() != null && !body.email().matches("[^@\\s]{1,64}@[^@\\s]{1,190}")) {
            throw ApiException.badField("email", "is not a mail address");
        }
        try {
            backend.createUser(new org.scow.api.auth.NewUser(body.user(), body.name(), body.email(),
                    body.password() == null ? null : body.password().toCharArray()));
        } catch (AuthException e) {
            throw mapped(e);
        }
        auth.store().audit("CREDENTIAL_CREATE", body.user(), ip(), "in " + type + " by " + caller().userId());
        return Response.status(201).entity(Map.of("user", body.user(), "backend", type)).build();
    }

    @PUT
    @Path("users/{user}/password")
    @Allow({Role.PLATFORM_ADMIN})
    @Operation(summary = "Reset a user's built-in password (platform admin); 404 when the user has none (create "
            + "it with POST /api/v1/auth/users). Every session of the user ends and all their API tokens are revoked")
    public AuthService.Ended resetPassword(@PathParam("user") String user, PasswordReset body) {
        Params.body(body);
        Params.name("user", user);
        refuseSystemAccount(user);
        if (body.password() == null) {
            throw ApiException.badField("password", "is required");
        }
        if (!auth.store().hasCredential(user)) {
            throw ApiException.notFound("USER_NOT_FOUND", "user '" + user + "' has no built-in password to reset; "
                    + "give them one with POST /api/v1/auth/users", Map.of("user", user));
        }
        try {
            auth.builtin().resetPassword(user, body.password().toCharArray());
        } catch (AuthException e) {
            throw mapped(e);
        }
        auth.store().audit("PASSWORD_RESET", user, ip(), "by " + caller().userId());
        return auth.endCredentials(user, null, ip(), "password reset by " + caller().userId());
    }

    @POST
    @Path("tokens")
    @Authenticated
    @Operation(summary = "Create an API token (name, scope read|write, days; user= for admins); the secret is in "
            + "this answer only")
    public Response createToken(NewToken body) {
        Params.body(body);
        ScowPrincipal p = caller();
        String user = body.user() == null || body.user().isBlank() ? p.userId() : Params.name("user", body.user());
        if (!user.equals(p.userId()) && !isAdmin(p)) {
            throw Caller.forbidden();
        }
        if (body.name() == null || body.name().isBlank() || body.name().length() > 100) {
            throw ApiException.badField("name", "is required, at most 100 characters");
        }
        String scope = body.scope() == null ? "write" : body.scope();
        if (!scope.equals("read") && !scope.equals("write")) {
            throw ApiException.badField("scope", "must be read or write");
        }
        int days = body.days() == null ? 90 : body.days();
        if (days < 1 || days > auth.config().maxTokenDays()) {
            throw ApiException.badField("days", "must be between 1 and " + auth.config().maxTokenDays());
        }
        var created = auth.createToken(user, body.name(), scope, Instant.now().plus(Duration.ofDays(days)),
                p.userId());
        auth.store().audit("TOKEN_CREATE", user, ip(), "token " + created.getKey().id() + " by " + p.userId());
        return Response.status(201).entity(new CreatedToken(created.getKey(), created.getValue())).build();
    }

    @GET
    @Path("tokens")
    @Authenticated
    @Operation(summary = "The caller's API tokens (all=true: every user's, for platform admins), without secrets")
    public List<AuthStore.Token> tokens(@QueryParam("all") String all) {
        ScowPrincipal p = caller();
        if ("true".equals(all)) {
            if (!isAdmin(p)) {
                throw Caller.forbidden();
            }
            return auth.store().tokens(null);
        }
        return auth.store().tokens(p.userId());
    }

    @DELETE
    @Path("tokens/{id}")
    @Authenticated
    @Operation(summary = "Revoke an API token (own, or any for platform admins)")
    public AuthStore.Token revoke(@PathParam("id") String id) {
        ScowPrincipal p = caller();
        long tokenId = Params.integer("id", id, 1, Integer.MAX_VALUE, 0);
        if (tokenId == 0) {
            throw ApiException.badField("id", "is required");
        }
        AuthStore.Token t = auth.store().token(tokenId)
                .filter(x -> x.userId().equals(p.userId()) || isAdmin(p))
                .orElseThrow(() -> ApiException.notFound("TOKEN_NOT_FOUND", "no token " + id, Map.of("id", id)));
        auth.store().audit("TOKEN_REVOKE", t.userId(), ip(), "token " + t.id() + " by " + p.userId());
        return auth.store().revoke(t.id()).orElseThrow();
    }

    @GET
    @Path("audit")
    @Allow({Role.PLATFORM_ADMIN})
    @Operation(summary = "Login audit: successes, failures, rate limiting and token use, newest first")
    public List<AuthStore.AuditEntry> audit(@QueryParam("user") String user, @QueryParam("limit") String limit) {
        Integer n = Params.integer("limit", limit, 1, 1000);
        return auth.store().audit(user == null || user.isBlank() ? null : Params.name("user", user),
                n == null ? 100 : n);
    }

    /** 422 for root and other system accounts: they never get a password, whoever asks. */
    private void refuseSystemAccount(String user) {
        auth.systemAccount(user).ifPresent(why -> {
            throw new ApiException(422, "SYSTEM_ACCOUNT", "user: " + why, Map.of("field", "user"));
        });
    }

    /**
     * A platform admin may give anyone a password. A tenant admin only a user of their own tenant that the platform
     * already knows (created in management first) and who holds no platform role and is no other tenant's or
     * their own tenant's administrator: giving such a user a password the caller knows would be a takeover. Users
     * outside the scope are reported as not found, so a tenant admin cannot probe other tenants.
     */
    private void requireInScope(String user) {
        ScowPrincipal p = caller();
        if (isAdmin(p)) {
            return;
        }
        UserRoles mine = p.roles();
        UserRoles target = auth.rolesOf(user).orElse(null);
        boolean inTenant = mine != null && mine.tenant() != null && mine.tenantRoles().contains(Role.TENANT_ADMIN)
                && target != null && mine.tenant().equals(target.tenant());
        if (!inTenant) {
            throw ApiException.notFound("USER_NOT_FOUND", "no user '" + user + "' in your tenant; create the user "
                    + "there first (POST /api/v1/management/users)", Map.of("user", user));
        }
        if (!target.platform().isEmpty() || !user.equals(p.userId()) && (target.tenantRoles().contains(
                Role.TENANT_ADMIN) || target.tenantRoles().contains(Role.TENANT_FINANCE))) {
            throw new ApiException(403, "FORBIDDEN", "user '" + user + "' holds an administrative role: only a "
                    + "platform admin may give them a password", Map.of("user", user));
        }
    }

    private ScowPrincipal caller() {
        ScowPrincipal p = Caller.principal(security);
        if (p == null) {
            throw Caller.unauthenticated();
        }
        return p;
    }

    private static boolean isAdmin(ScowPrincipal p) {
        return p.roles() != null && p.roles().isPlatformAdmin();
    }

    private String ip() {
        try {
            return request == null ? null : request.getRemoteAddr();
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static ApiException mapped(AuthException e) {
        return switch (e.reason()) {
            case USER_NOT_FOUND -> ApiException.notFound("USER_NOT_FOUND", e.getMessage(), Map.of());
            case ALREADY_EXISTS -> new ApiException(409, "ALREADY_EXISTS", e.getMessage(), Map.of());
            case BAD_PASSWORD, INVALID_ARGUMENT -> new ApiException(400, "INVALID_ARGUMENT", e.getMessage(), Map.of());
            case NOT_SUPPORTED -> new ApiException(501, "NOT_SUPPORTED", e.getMessage(), Map.of());
            case UNAVAILABLE -> new ApiException(503, "UNAVAILABLE", e.getMessage(), Map.of());
        };
    }
}
