package org.scow.auth.internal;

import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.Date;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.apache.shiro.session.Session;
import org.apache.shiro.session.UnknownSessionException;
import org.apache.shiro.session.mgt.SimpleSession;
import org.apache.shiro.session.mgt.eis.AbstractSessionDAO;
import org.apache.shiro.subject.PrincipalCollection;
import org.apache.shiro.subject.SimplePrincipalCollection;
import org.apache.shiro.subject.support.DefaultSubjectContext;

/**
 * Keeps Shiro's sessions in the platform database, so every platform node behind a load balancer knows every
 * session and a restart signs nobody out. Only what a session means to the platform is stored (user, groups, CSRF
 * token, times), not serialized Java objects. Each request extends its session; to spare the database those
 * touches are written at most once per {@link #TOUCH_WRITE_INTERVAL}.
 */
final class DatabaseSessionDAO extends AbstractSessionDAO {
    static final Duration TOUCH_WRITE_INTERVAL = Duration.ofSeconds(60);
    private static final String REALM = "scow";

    private final AuthStore store;
    private final String csrfAttribute;
    /** What this node last wrote per session, to skip writes that would change only the access time a little. */
    private final Map<String, AuthStore.StoredSession> written = new ConcurrentHashMap<>();

    DatabaseSessionDAO(AuthStore store, String csrfAttribute) {
        this.store = store;
        this.csrfAttribute = csrfAttribute;
    }

    @Override
    protected Serializable doCreate(Session session) {
        Serializable id = generateSessionId(session);
        assignSessionId(session, id);
        save(session, true);
        return id;
    }

    @Override
    protected Session doReadSession(Serializable id) {
        return store.session(id.toString()).map(this::toShiro).orElse(null);
    }

    /** The stored session, or null (Shiro's {@code readSession} throws for unknown ids). */
    Session readSessionOrNull(Serializable id) {
        return doReadSession(id);
    }

    @Override
    public void update(Session session) throws UnknownSessionException {
        if (session instanceof SimpleSession s && (s.getStopTimestamp() != null || s.isExpired())) {
            delete(session);
            return;
        }
        save(session, false);
    }

    @Override
    public void delete(Session session) {
        String id = session.getId().toString();
        written.remove(id);
        store.deleteSession(id);
    }

    @Override
    public Collection<Session> getActiveSessions() {
        return store.sessionsActiveSince(Instant.EPOCH).stream().map(this::toShiro).collect(Collectors.toList());
    }

    private void save(Session session, boolean always) {
        AuthStore.StoredSession next = toStored(session);
        AuthStore.StoredSession last = written.get(next.id());
        if (!always && last != null && sameExceptAccess(last, next)
                && Duration.between(last.lastAccessAt(), next.lastAccessAt()).compareTo(TOUCH_WRITE_INTERVAL) < 0) {
            return;
        }
        store.saveSession(next);
        written.put(next.id(), next);
    }

    private static boolean sameExceptAccess(AuthStore.StoredSession a, AuthStore.StoredSession b) {
        return Objects.equals(a.userId(), b.userId()) && Objects.equals(a.groups(), b.groups())
                && Objects.equals(a.csrfToken(), b.csrfToken()) && a.timeoutMs() == b.timeoutMs();
    }

    private AuthStore.StoredSession toStored(Session s) {
        String user = null;
        String groups = null;
        Object pc = s.getAttribute(DefaultSubjectContext.PRINCIPALS_SESSION_KEY);
        if (pc instanceof PrincipalCollection principals && !principals.isEmpty()) {
            user = String.valueOf(principals.getPrimaryPrincipal());
            Set<?> g = principals.oneByType(AuthService.GroupSet.class);
            groups = g == null ? null : g.stream().map(String::valueOf).sorted().collect(Collectors.joining("\n"));
        }
        Object csrf = s.getAttribute(csrfAttribute);
        return new AuthStore.StoredSession(s.getId().toString(), user, groups, csrf == null ? null : csrf.toString(),
                s.getHost(), s.getStartTimestamp().toInstant(), s.getLastAccessTime().toInstant(), s.getTimeout());
    }

    private Session toShiro(AuthStore.StoredSession stored) {
        SimpleSession s = new SimpleSession(stored.host());
        s.setId(stored.id());
        s.setStartTimestamp(Date.from(stored.startedAt()));
        s.setLastAccessTime(Date.from(stored.lastAccessAt()));
        s.setTimeout(stored.timeoutMs());
        if (stored.userId() != null) {
            SimplePrincipalCollection pc = new SimplePrincipalCollection(stored.userId(), REALM);
            Set<String> groups = stored.groups() == null || stored.groups().isEmpty() ? Set.of()
                    : Set.copyOf(Arrays.asList(stored.groups().split("\n")));
            pc.add(new AuthService.GroupSet(groups), REALM);
            s.setAttribute(DefaultSubjectContext.PRINCIPALS_SESSION_KEY, pc);
            s.setAttribute(DefaultSubjectContext.AUTHENTICATED_SESSION_KEY, Boolean.TRUE);
        }
        if (stored.csrfToken() != null) {
            s.setAttribute(csrfAttribute, stored.csrfToken());
        }
        written.putIfAbsent(stored.id(), stored);
        return s;
    }
}
