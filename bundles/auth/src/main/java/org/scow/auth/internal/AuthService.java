package org.scow.auth.internal;

import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.shiro.authc.AuthenticationException;
import org.apache.shiro.authc.AuthenticationInfo;
import org.apache.shiro.authc.AuthenticationToken;
import org.apache.shiro.authc.SimpleAuthenticationInfo;
import org.apache.shiro.authc.UsernamePasswordToken;
import org.apache.shiro.mgt.DefaultSecurityManager;
import org.apache.shiro.realm.AuthenticatingRealm;
import org.apache.shiro.session.Session;
import org.apache.shiro.session.SessionException;
import org.apache.shiro.session.mgt.DefaultSessionManager;
import org.apache.shiro.subject.Subject;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.scow.api.auth.AuthBackend;
import org.scow.api.auth.AuthException;
import org.scow.api.auth.UserIdentity;
import org.scow.api.scheduler.util.Names;
import org.scow.api.security.Role;
import org.scow.api.security.RoleDirectory;
import org.scow.api.security.SystemAccountPolicy;
import org.scow.api.security.UserRoles;
import org.scow.rest.support.RequestAuthenticator;
import org.scow.rest.support.ScowPrincipal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shiro security manager over the registered {@link AuthBackend}s (tried in the configured order), in-memory sessions
 * with sliding expiry, login rate limiting, API tokens and the login audit.
 */
@Designate(ocd = AuthConfig.class)
@Component(service = {AuthService.class, RequestAuthenticator.class}, immediate = true,
        configurationPid = "org.scow.auth")
public class AuthService implements RequestAuthenticator {
    private static final Logger LOG = LoggerFactory.getLogger(AuthService.class);
    static final String CSRF = "scow.csrf";
    static final String GROUPS = "scow.groups";
    /** Group an auth backend maps platform administrators to. */
    static final String PLATFORM_ADMIN_GROUP = "platform-admin";

    /** Outcome of a login attempt. */
    public enum Outcome { OK, BAD_CREDENTIALS, RATE_LIMITED, UNAVAILABLE }

    public record LoginResult(Outcome outcome, String sessionId, String csrfToken, ScowPrincipal principal,
                              long retryAfterSeconds) {
    }

    /** A resolved session: the caller and the session's CSRF token. */
    public record SessionCaller(ScowPrincipal principal, String csrfToken) {
    }

    private record Backend(String type, AuthBackend backend) {
    }

    private final List<Backend> backends = new CopyOnWriteArrayList<>();
    private volatile RoleDirectory roles;
    @Reference
    private SystemAccountPolicy systemAccounts;
    private final BuiltinAuthBackend builtin;
    private final AuthStore store;
    private final AuthConfig config;
    private final List<String> order;
    private final LoginRateLimiter perUser;
    private final LoginRateLimiter perIp;
    private final DefaultSecurityManager security;

    @Activate
    public AuthService(@Reference BuiltinAuthBackend builtin, AuthConfig config) {
        this.builtin = builtin;
        this.store = builtin.store();
        this.config = config;
        this.order = Arrays.stream(config.backendOrder().split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .toList();
        long window = Duration.ofSeconds(config.loginWindowSeconds()).toMillis();
        this.perUser = new LoginRateLimiter(config.maxFailuresPerUser(), window, store.clock());
        this.perIp = new LoginRateLimiter(config.maxFailuresPerIp(), window, store.clock());
        BackendRealm realm = new BackendRealm();
        this.security = new DefaultSecurityManager(realm);
        DefaultSessionManager sessions = new DefaultSessionManager();
        sessions.setGlobalSessionTimeout(Duration.ofMinutes(config.sessionTimeoutMinutes()).toMillis());
        sessions.setSessionValidationInterval(Duration.ofMinutes(1).toMillis());
        sessions.setDeleteInvalidSessions(true);
        sessions.setSessionDAO(new DatabaseSessionDAO(store, CSRF));
        security.setSessionManager(sessions);
    }

    @Deactivate
    void deactivate() {
        security.destroy();
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindBackend(AuthBackend backend, Map<String, Object> props) {
        backends.add(new Backend(String.valueOf(props.get(AuthBackend.BACKEND_TYPE)), backend));
    }

    void unbindBackend(AuthBackend backend) {
        backends.removeIf(b -> b.backend() == backend);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindRoles(RoleDirectory directory) {
        this.roles = directory;
    }

    void unbindRoles(RoleDirectory directory) {
        if (this.roles == directory) {
            this.roles = null;
        }
    }

    /** The installed backend of a type ({@code builtin} is always there). */
    public Optional<AuthBackend> backend(String type) {
        if ("builtin".equals(type)) {
            return Optional.of(builtin);
        }
        return backends.stream().filter(b -> b.type().equals(type)).map(Backend::backend).findFirst();
    }

    /** Types of the installed backends. */
    public List<String> backendTypes() {
        java.util.TreeSet<String> types = new java.util.TreeSet<>(List.of("builtin"));
        backends.forEach(b -> types.add(b.type()));
        return List.copyOf(types);
    }

    public AuthConfig config() {
        return config;
    }

    public BuiltinAuthBackend builtin() {
        return builtin;
    }

    public AuthStore store() {
        return store;
    }

    /** Backends in login order: configured types first, in order; other types are not used. */
    List<AuthBackend> ordered() {
        List<AuthBackend> out = new ArrayList<>();
        for (String type : order) {
            backends.stream().filter(b -> b.type().equals(type)).forEach(b -> out.add(b.backend()));
        }
        return out;
    }

    /**
     * Logs in, refusing without checking the password once the user or the address has too many recent failures.
     */
    public LoginResult login(String userId, char[] password, String ip) {
        String userKey = "u:" + userId;
        String ipKey = "ip:" + ip;
        if (!perUser.allowed(userKey) || !perIp.allowed(ipKey)) {
            long retry = Math.max(perUser.retryAfterSeconds(userKey), perIp.retryAfterSeconds(ipKey));
            store.audit("LOGIN_RATE_LIMITED", userId, ip, null);
            return new LoginResult(Outcome.RATE_LIMITED, null, null, null, retry);
        }
        if (systemAccount(userId).isPresent()) {
            // never a session for root or a service account, whatever a backend would say about the password
            perUser.failed(userKey);
            perIp.failed(ipKey);
            store.audit("LOGIN_FAILURE", userId, ip, "system account");
            return new LoginResult(Outcome.BAD_CREDENTIALS, null, null, null, 0);
        }
        Subject subject = new Subject.Builder(security).host(ip).buildSubject();
        try {
            subject.login(new UsernamePasswordToken(userId, password));
        } catch (AuthenticationException e) {
            if (e.getCause() instanceof AuthException ae && ae.reason() == AuthException.Reason.UNAVAILABLE) {
                store.audit("LOGIN_UNAVAILABLE", userId, ip, ae.getMessage());
                return new LoginResult(Outcome.UNAVAILABLE, null, null, null, 0);
            }
            perUser.failed(userKey);
            perIp.failed(ipKey);
            store.audit("LOGIN_FAILURE", userId, ip, null);
            return new LoginResult(Outcome.BAD_CREDENTIALS, null, null, null, 0);
        }
        perUser.succeeded(userKey);
        Session session = subject.getSession(true);
        String csrf = Secrets.random();
        session.setAttribute(CSRF, csrf);
        @SuppressWarnings("unchecked")
        Set<String> groups = (Set<String>) subject.getPrincipals().oneByType(GroupSet.class);
        store.audit("LOGIN_SUCCESS", userId, ip, null);
        return new LoginResult(Outcome.OK, session.getId().toString(), csrf,
                principal(userId, groups, "session"), 0);
    }

    @Override
    public Optional<ScowPrincipal> session(String sessionId) {
        return sessionCaller(sessionId).map(SessionCaller::principal);
    }

    /** The session's caller and CSRF token, extending the session; empty for unknown, expired or malformed ids. */
    public Optional<SessionCaller> sessionCaller(String sessionId) {
        if (sessionId == null || !sessionId.matches("[0-9a-fA-F-]{36}")) {
            return Optional.empty();
        }
        try {
            Subject subject = new Subject.Builder(security).sessionId(sessionId).buildSubject();
            Object user = subject.getPrincipal();
            Session session = subject.getSession(false);
            if (user == null || session == null) {
                return Optional.empty();
            }
            session.touch();
            @SuppressWarnings("unchecked")
            Set<String> groups = (Set<String>) subject.getPrincipals().oneByType(GroupSet.class);
            return Optional.of(new SessionCaller(principal(user.toString(), groups, "session"),
                    (String) session.getAttribute(CSRF)));
        } catch (SessionException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    public void logout(String sessionId) {
        try {
            new Subject.Builder(security).sessionId(sessionId).buildSubject().logout();
        } catch (SessionException e) {
            // already gone
        }
    }

    /** The token's caller, recorded in the audit log; empty for malformed, unknown, expired or revoked tokens. */
    @Override
    public Optional<ScowPrincipal> token(String raw, String ip) {
        if (!Secrets.wellFormedToken(raw)) {
            return Optional.empty();
        }
        Optional<AuthStore.Token> t = store.useToken(Secrets.sha256(raw));
        if (t.isEmpty()) {
            store.audit("TOKEN_REJECTED", null, ip, null);
            return Optional.empty();
        }
        store.audit("TOKEN_USE", t.get().userId(), ip, "token " + t.get().id() + " " + t.get().name());
        return Optional.of(principal(t.get().userId(), Set.of(), "token:" + t.get().scope()));
    }

    /** Creates a token; answers the listing view and the secret, which is shown only this once. */
    public Map.Entry<AuthStore.Token, String> createToken(String userId, String name, String scope, Instant expires,
                                                          String createdBy) {
        String raw = Secrets.newToken();
        AuthStore.Token t = store.createToken(Secrets.sha256(raw), name, userId, scope, createdBy, expires);
        return Map.entry(t, raw);
    }

    ScowPrincipal principal(String userId, Set<String> groups, String via) {
        RoleDirectory dir = roles;
        UserRoles r = dir == null ? null : dir.rolesOf(userId).orElse(null);
        if (groups != null && groups.contains(PLATFORM_ADMIN_GROUP)) {
            Set<Role> platform = new HashSet<>(r == null ? Set.of() : r.platform());
            platform.add(Role.PLATFORM_ADMIN);
            r = r == null ? new UserRoles(userId, null, platform, Set.of(), Map.of())
                    : new UserRoles(userId, r.tenant(), platform, r.tenantRoles(), r.accounts());
        }
        return new ScowPrincipal(userId, r, via);
    }

    /** Why {@code userId} is a system account that may never sign in, hold a password or run jobs; empty if not. */
    public Optional<String> systemAccount(String userId) {
        SystemAccountPolicy p = systemAccounts;
        return p == null ? Optional.of("the system account rule is not available yet") : p.refusal(userId);
    }

    /** What ending a user's other credentials did. */
    public record Ended(int sessionsEnded, int tokensRevoked) {
    }

    /**
     * After a password change or reset: ends every session of the user but {@code keepSessionId} and revokes all
     * their API tokens, so whoever knew the old password (or took a token with it) is locked out at once.
     */
    public Ended endCredentials(String userId, String keepSessionId, String ip, String why) {
        int sessions = store.deleteSessionsOf(userId, keepSessionId);
        int tokens = store.revokeTokensOf(userId);
        store.audit("CREDENTIALS_ENDED", userId, ip, why + ": " + sessions + " session(s) ended, " + tokens
                + " token(s) revoked");
        return new Ended(sessions, tokens);
    }

    /** The roles the directory gives a user, if it knows them. */
    public Optional<UserRoles> rolesOf(String userId) {
        RoleDirectory dir = roles;
        return dir == null ? Optional.empty() : dir.rolesOf(userId);
    }

    /** Whether the role directory (management) is there to give callers their roles. */
    public boolean rolesAvailable() {
        return roles != null;
    }

    public Optional<String> tenantOfAccount(String account) {
        RoleDirectory dir = roles;
        return dir == null ? Optional.empty() : dir.tenantOfAccount(account);
    }

    /** Marker type for the groups a backend reported, kept among the Shiro principals. */
    static final class GroupSet extends HashSet<String> implements Serializable {
        private static final long serialVersionUID = 1L;

        GroupSet(Set<String> groups) {
            super(groups);
        }
    }

    /** Authenticates against the backends in order; the first that knows the user and password wins. */
    private final class BackendRealm extends AuthenticatingRealm {
        BackendRealm() {
            setCredentialsMatcher((token, info) -> true); // the backend has checked the password
            setAuthenticationCachingEnabled(false);
        }

        @Override
        public boolean supports(AuthenticationToken token) {
            return token instanceof UsernamePasswordToken;
        }

        @Override
        protected AuthenticationInfo doGetAuthenticationInfo(AuthenticationToken token) {
            UsernamePasswordToken t = (UsernamePasswordToken) token;
            String user = t.getUsername();
            if (user == null || !Names.isValid(user)) {
                throw new AuthenticationException("malformed user id");
            }
            AuthException unavailable = null;
            for (AuthBackend b : ordered()) {
                try {
                    Optional<UserIdentity> id = b.authenticate(user, t.getPassword());
                    if (id.isPresent()) {
                        org.apache.shiro.subject.SimplePrincipalCollection pc =
                                new org.apache.shiro.subject.SimplePrincipalCollection(user, getName());
                        pc.add(new GroupSet(id.get().groups()), getName());
                        return new SimpleAuthenticationInfo(pc, t.getPassword());
                    }
                } catch (AuthException e) {
                    LOG.warn("Auth backend {} failed for {}: {}", b.getClass().getSimpleName(), user, e.getMessage());
                    unavailable = e;
                } catch (RuntimeException e) {
                    LOG.warn("Auth backend {} failed for {}", b.getClass().getSimpleName(), user, e);
                }
            }
            if (unavailable != null && unavailable.reason() == AuthException.Reason.UNAVAILABLE) {
                throw new AuthenticationException("directory unavailable", unavailable);
            }
            throw new AuthenticationException("wrong user or password");
        }
    }
}
