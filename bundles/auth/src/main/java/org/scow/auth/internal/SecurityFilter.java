package org.scow.auth.internal;

import java.lang.reflect.Method;
import java.security.Principal;
import java.util.Map;
import java.util.Set;
import javax.servlet.http.HttpServletRequest;
import javax.ws.rs.container.ContainerRequestContext;
import javax.ws.rs.container.ContainerRequestFilter;
import javax.ws.rs.container.ContainerResponseContext;
import javax.ws.rs.container.ContainerResponseFilter;
import javax.ws.rs.container.ResourceInfo;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.Cookie;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.MultivaluedMap;
import javax.ws.rs.core.SecurityContext;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JSONRequired;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsExtension;
import org.scow.api.security.Role;
import org.scow.api.security.UserRoles;
import org.scow.rest.support.Allow;
import org.scow.rest.support.ApiException;
import org.scow.rest.support.Authenticated;
import org.scow.rest.support.Caller;
import org.scow.rest.support.Public;
import org.scow.rest.support.ScowPrincipal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Authenticates every API request (session cookie or bearer token), sets the JAX-RS {@link SecurityContext}, checks
 * CSRF tokens of cookie-authenticated unsafe requests, enforces the resource method's {@link Public},
 * {@link Authenticated} or {@link Allow} rule (none of them: denied, fail closed) and adds security headers to every
 * response.
 */
@Component(service = {ContainerRequestFilter.class, ContainerResponseFilter.class})
@JaxrsExtension
@JSONRequired
public class SecurityFilter implements ContainerRequestFilter, ContainerResponseFilter {
    private static final Logger LOG = LoggerFactory.getLogger(SecurityFilter.class);
    public static final String COOKIE = "SCOW_SESSION";
    public static final String CSRF_HEADER = "X-CSRF-Token";
    /**
     * Scripts only from the platform's own files, never inline: an injected {@code <script>} or event handler does
     * not run. Inline styles stay allowed because the portal's component library writes its CSS at run time.
     */
    static final String CSP = "default-src 'self'; script-src 'self'; object-src 'none'; "
            + "style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";
    private static final Set<String> SAFE = Set.of("GET", "HEAD", "OPTIONS");

    @Reference
    private AuthService auth;

    @Context
    private ResourceInfo resourceInfo;

    @Context
    private HttpServletRequest servletRequest;

    @Override
    public void filter(ContainerRequestContext request) {
        request.setProperty(Caller.CHECKED_PROPERTY, Boolean.TRUE);
        boolean enforce = auth.config().enforce();
        Method method = resourceInfo == null ? null : resourceInfo.getResourceMethod();
        Class<?> type = resourceInfo == null ? null : resourceInfo.getResourceClass();
        Object rule = rule(method, type);
        String ip = ip();
        boolean secure = request.getSecurityContext() != null && request.getSecurityContext().isSecure();
        boolean unsafe = !SAFE.contains(request.getMethod());

        ScowPrincipal principal = null;
        String authorization = request.getHeaderString("Authorization");
        if (authorization != null) {
            if (!authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
                abort(request, 401, "UNAUTHENTICATED", "only bearer tokens are accepted in Authorization");
                return;
            }
            principal = auth.token(authorization.substring(7).trim(), ip).orElse(null);
            if (principal == null) {
                abort(request, 401, "UNAUTHENTICATED", "the token is malformed, unknown, expired or revoked");
                return;
            }
            if (principal.via().equals("token:read") && unsafe && !(rule instanceof Public)) {
                abort(request, 403, "FORBIDDEN", "this token may only read");
                return;
            }
        } else {
            Cookie cookie = request.getCookies().get(COOKIE);
            if (cookie != null) {
                var session = auth.sessionCaller(cookie.getValue());
                if (session.isPresent()) {
                    if (unsafe && !(rule instanceof Public)
                            && !Secrets.same(session.get().csrfToken(), request.getHeaderString(CSRF_HEADER))) {
                        abort(request, 403, "CSRF", "missing or wrong " + CSRF_HEADER + " header");
                        return;
                    }
                    principal = session.get().principal();
                } else if (enforce && !(rule instanceof Public)) {
                    abort(request, 401, "UNAUTHENTICATED", "the session has expired or is unknown; sign in again");
                    return;
                }
            }
        }
        request.setSecurityContext(context(principal, secure, enforce));
        if (!limitBody(request)) {
            return;
        }

        String where = request.getMethod() + " " + request.getUriInfo().getPath();
        if (rule instanceof Public) {
            return;
        }
        if (rule == null) {
            LOG.warn("No access rule on {} ({}): denied", where, method);
            if (enforce) {
                abort(request, 403, "FORBIDDEN", "this operation has no access rule");
            }
            return;
        }
        if (principal == null) {
            if (enforce) {
                abort(request, 401, "UNAUTHENTICATED",
                        "sign in first (POST /api/v1/auth/login) or send a bearer token");
            }
            return;
        }
        if (principal.roles() == null && !auth.rolesAvailable() && enforce) {
            // without the role directory every caller would look role-less: "starting", not "forbidden"
            request.abortWith(javax.ws.rs.core.Response.fromResponse(new ApiException(503, "STARTING",
                    "the platform is starting (user roles are not available yet); try again in a few seconds",
                    Map.of()).toResponse()).header("Retry-After", "5").build());
            return;
        }
        if (rule instanceof Allow allow
                && !allowed(allow, principal.roles(), request.getUriInfo().getPathParameters())) {
            if (enforce) {
                abort(request, 403, "FORBIDDEN", "your roles do not allow this");
            } else {
                LOG.info("Would deny {} to {} (enforcement is off)", where, principal.userId());
            }
        }
    }

    static Object rule(Method method, Class<?> type) {
        for (java.lang.reflect.AnnotatedElement e : new java.lang.reflect.AnnotatedElement[] {method, type}) {
            if (e == null) {
                continue;
            }
            if (e.isAnnotationPresent(Public.class)) {
                return e.getAnnotation(Public.class);
            }
            if (e.isAnnotationPresent(Authenticated.class)) {
                return e.getAnnotation(Authenticated.class);
            }
            if (e.isAnnotationPresent(Allow.class)) {
                return e.getAnnotation(Allow.class);
            }
        }
        return null;
    }

    /** The {@link Allow} rule against the caller's roles, scoped by the request's path parameters. */
    boolean allowed(Allow allow, UserRoles r, MultivaluedMap<String, String> path) {
        if (r == null) {
            return false;
        }
        if (r.isPlatformAdmin()) {
            return true;
        }
        String account = path.getFirst(allow.account());
        String tenant = path.getFirst(allow.tenant());
        for (Role role : allow.value()) {
            switch (role.scope()) {
                case PLATFORM -> {
                    if (r.platform().contains(role)) {
                        return true;
                    }
                }
                case TENANT -> {
                    if (r.tenantRoles().contains(role) && r.tenant() != null) {
                        if (tenant != null) {
                            if (tenant.equals(r.tenant())) {
                                return true;
                            }
                        } else if (account != null) {
                            if (auth.tenantOfAccount(account).map(r.tenant()::equals).orElse(false)) {
                                return true;
                            }
                        } else {
                            return true;
                        }
                    }
                }
                case ACCOUNT -> {
                    if (account != null ? r.accounts().get(account) == role : r.accounts().containsValue(role)) {
                        return true;
                    }
                }
                default -> {
                }
            }
        }
        return false;
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        MultivaluedMap<String, Object> h = response.getHeaders();
        h.putSingle("X-Content-Type-Options", "nosniff");
        h.putSingle("X-Frame-Options", "DENY");
        h.putSingle("Referrer-Policy", "no-referrer");
        h.putSingle("Content-Security-Policy", CSP);
        if (!h.containsKey("Cache-Control")) { // static portal files set their own
            h.putSingle("Cache-Control", "no-store");
        }
        if (request.getSecurityContext() != null && request.getSecurityContext().isSecure()) {
            h.putSingle("Strict-Transport-Security", "max-age=31536000");
        }
    }

    /**
     * Refuses bodies over the configured size with 413 before a resource reads them: by Content-Length when given,
     * else while streaming. Raw uploads ({@code application/octet-stream}) have their own, larger limit.
     */
    private boolean limitBody(ContainerRequestContext request) {
        boolean raw = request.getMediaType() != null
                && request.getMediaType().isCompatible(MediaType.APPLICATION_OCTET_STREAM_TYPE);
        long limit = raw ? auth.config().maxUploadBodyBytes() : auth.config().maxBodyBytes();
        if (declaredLength(request) > limit) {
            abort(request, 413, "PAYLOAD_TOO_LARGE", "the request body is larger than " + limit + " bytes");
            return false;
        }
        if (request.hasEntity()) {
            request.setEntityStream(new BoundedInputStream(request.getEntityStream(), limit));
        }
        return true;
    }

    private static long declaredLength(ContainerRequestContext request) {
        String header = request.getHeaderString("Content-Length");
        try {
            return header == null ? request.getLength() : Long.parseLong(header.trim());
        } catch (NumberFormatException e) {
            return request.getLength();
        }
    }

    private String ip() {
        try {
            return servletRequest == null ? null : servletRequest.getRemoteAddr();
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static void abort(ContainerRequestContext request, int status, String code, String message) {
        request.abortWith(new ApiException(status, code, message, Map.of()).toResponse());
    }

    static SecurityContext context(ScowPrincipal principal, boolean secure, boolean enforce) {
        return new SecurityContext() {
            @Override
            public Principal getUserPrincipal() {
                return principal;
            }

            @Override
            public boolean isUserInRole(String role) {
                if (principal == null || principal.roles() == null) {
                    return false;
                }
                UserRoles r = principal.roles();
                return r.platform().stream().anyMatch(x -> x.name().equals(role))
                        || r.tenantRoles().stream().anyMatch(x -> x.name().equals(role))
                        || r.accounts().values().stream().anyMatch(x -> x.name().equals(role));
            }

            @Override
            public boolean isSecure() {
                return secure;
            }

            @Override
            public String getAuthenticationScheme() {
                if (principal == null) {
                    return enforce ? null : Caller.UNENFORCED;
                }
                return principal.via().startsWith("token") ? "Bearer" : "Session";
            }
        };
    }
}
