package org.scow.auth.internal;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import javax.persistence.EntityManager;
import javax.persistence.EntityManagerFactory;

/** Built-in credentials, API tokens and the login audit, in the auth schema (db/auth). */
public class AuthStore {
    public static final String CHANGELOG = "db/auth/changelog.xml";

    /** An API token as listed (never with its secret). */
    public record Token(long id, String name, String userId, String scope, String createdBy, Instant createdAt,
                        Instant expiresAt, Instant revokedAt, Instant lastUsedAt) {
        public boolean activeAt(Instant now) {
            return revokedAt == null && expiresAt.isAfter(now);
        }
    }

    /** A login audit entry. */
    public record AuditEntry(Instant at, String event, String userId, String sourceIp, String detail) {
    }

    private final EntityManagerFactory emf;
    private final Clock clock;

    public AuthStore(EntityManagerFactory emf, Clock clock) {
        this.emf = emf;
        this.clock = clock;
    }

    public Clock clock() {
        return clock;
    }

    public Optional<String> passwordHash(String userId) {
        return read(em -> credential(em, userId).map(c -> c.passwordHash));
    }

    /** Creates or replaces the user's password hash; returns true when it was created. */
    public boolean setPasswordHash(String userId, String hash) {
        return write(em -> {
            Instant now = clock.instant();
            Optional<CredentialEntity> c = credential(em, userId);
            if (c.isPresent()) {
                // bulk updates: entity field writes from outside the (woven) entity class are not tracked
                em.createQuery("update CredentialEntity c set c.passwordHash = :h, c.changedAt = :t where c.id = :id")
                        .setParameter("h", hash).setParameter("t", now).setParameter("id", c.get().id).executeUpdate();
                return false;
            }
            CredentialEntity e = new CredentialEntity();
            e.userId = userId;
            e.passwordHash = hash;
            e.createdAt = now;
            e.changedAt = now;
            em.persist(e);
            return true;
        });
    }

    public boolean hasCredential(String userId) {
        return passwordHash(userId).isPresent();
    }

    public Token createToken(String hash, String name, String userId, String scope, String createdBy,
                             Instant expiresAt) {
        return write(em -> {
            TokenEntity t = new TokenEntity();
            t.tokenHash = hash;
            t.name = name;
            t.userId = userId;
            t.scope = scope;
            t.createdBy = createdBy;
            t.createdAt = clock.instant();
            t.expiresAt = expiresAt;
            em.persist(t);
            em.flush();
            return view(t);
        });
    }

    /** The active token with this hash, marking it used. */
    public Optional<Token> useToken(String hash) {
        return write(em -> {
            List<TokenEntity> l = em.createQuery("select t from TokenEntity t where t.tokenHash = :h", TokenEntity.class)
                    .setParameter("h", hash).getResultList();
            Instant now = clock.instant();
            if (l.isEmpty() || !view(l.get(0)).activeAt(now)) {
                return Optional.empty();
            }
            em.createQuery("update TokenEntity t set t.lastUsedAt = :t where t.id = :id").setParameter("t", now)
                    .setParameter("id", l.get(0).id).executeUpdate();
            return Optional.of(view(l.get(0)));
        });
    }

    public List<Token> tokens(String userId) {
        return read(em -> (userId == null
                ? em.createQuery("select t from TokenEntity t order by t.id", TokenEntity.class)
                : em.createQuery("select t from TokenEntity t where t.userId = :u order by t.id", TokenEntity.class)
                        .setParameter("u", userId)).getResultList().stream().map(AuthStore::view).toList());
    }

    public Optional<Token> token(long id) {
        return read(em -> Optional.ofNullable(em.find(TokenEntity.class, id)).map(AuthStore::view));
    }

    public Optional<Token> revoke(long id) {
        return write(em -> {
            em.createQuery("update TokenEntity t set t.revokedAt = :t where t.id = :id and t.revokedAt is null")
                    .setParameter("t", clock.instant()).setParameter("id", id).executeUpdate();
            em.clear();
            return Optional.ofNullable(em.find(TokenEntity.class, id)).map(AuthStore::view);
        });
    }

    public void audit(String event, String userId, String sourceIp, String detail) {
        write(em -> {
            LoginAuditEntity a = new LoginAuditEntity();
            a.at = clock.instant();
            a.event = event;
            a.userId = cut(userId, 64);
            a.sourceIp = cut(sourceIp, 64);
            a.detail = cut(detail, 200);
            em.persist(a);
            return null;
        });
    }

    public List<AuditEntry> audit(String userId, int limit) {
        return read(em -> (userId == null
                ? em.createQuery("select a from LoginAuditEntity a order by a.id desc", LoginAuditEntity.class)
                : em.createQuery("select a from LoginAuditEntity a where a.userId = :u order by a.id desc",
                        LoginAuditEntity.class).setParameter("u", userId))
                .setMaxResults(limit).getResultList().stream()
                .map(a -> new AuditEntry(a.at, a.event, a.userId, a.sourceIp, a.detail)).toList());
    }

    private static String cut(String s, int n) {
        return s == null || s.length() <= n ? s : s.substring(0, n);
    }

    private static Token view(TokenEntity t) {
        return new Token(t.id, t.name, t.userId, t.scope, t.createdBy, t.createdAt, t.expiresAt, t.revokedAt,
                t.lastUsedAt);
    }

    private static Optional<CredentialEntity> credential(EntityManager em, String userId) {
        return em.createQuery("select c from CredentialEntity c where c.userId = :u", CredentialEntity.class)
                .setParameter("u", userId).getResultList().stream().findFirst();
    }

    // ---- sessions ---------------------------------------------------------------------------------------------

    /** A stored session as the session store needs it. */
    public record StoredSession(String id, String userId, String groups, String csrfToken, String host,
                                Instant startedAt, Instant lastAccessAt, long timeoutMs) {
    }

    /** Inserts or replaces the session's row. */
    public void saveSession(StoredSession s) {
        write(em -> {
            SessionEntity e = em.find(SessionEntity.class, s.id());
            boolean fresh = e == null;
            if (fresh) {
                e = new SessionEntity();
                e.id = s.id();
            }
            e.userId = s.userId();
            e.groups = s.groups();
            e.csrfToken = s.csrfToken();
            e.host = s.host();
            e.startedAt = s.startedAt();
            e.lastAccessAt = s.lastAccessAt();
            e.timeoutMs = s.timeoutMs();
            if (fresh) {
                em.persist(e);
            } else {
                em.merge(e);
            }
            return null;
        });
    }

    public Optional<StoredSession> session(String id) {
        return read(em -> Optional.ofNullable(em.find(SessionEntity.class, id)).map(AuthStore::stored));
    }

    public void deleteSession(String id) {
        write(em -> em.createQuery("delete from SessionEntity s where s.id = :id").setParameter("id", id)
                .executeUpdate());
    }

    /** Ends every session of {@code userId} except {@code keepId} (may be null); answers how many ended. */
    public int deleteSessionsOf(String userId, String keepId) {
        return write(em -> em.createQuery("delete from SessionEntity s where s.userId = :u and s.id <> :keep")
                .setParameter("u", userId).setParameter("keep", keepId == null ? "" : keepId).executeUpdate());
    }

    /** Revokes every API token of {@code userId} that is not revoked yet; answers how many. */
    public int revokeTokensOf(String userId) {
        return write(em -> em.createQuery("update TokenEntity t set t.revokedAt = :t where t.userId = :u "
                + "and t.revokedAt is null").setParameter("t", clock.instant()).setParameter("u", userId)
                .executeUpdate());
    }

    /** Sessions whose last access is after {@code since} (older ones have expired everywhere). */
    public List<StoredSession> sessionsActiveSince(Instant since) {
        return read(em -> em.createQuery("select s from SessionEntity s where s.lastAccessAt > :t", SessionEntity.class)
                .setParameter("t", since).getResultList().stream().map(AuthStore::stored).toList());
    }

    /** Deletes sessions idle since before {@code before}; answers how many. */
    public int deleteSessionsIdleSince(Instant before) {
        return write(em -> em.createQuery("delete from SessionEntity s where s.lastAccessAt < :t")
                .setParameter("t", before).executeUpdate());
    }

    private static StoredSession stored(SessionEntity e) {
        return new StoredSession(e.id, e.userId, e.groups, e.csrfToken, e.host, e.startedAt, e.lastAccessAt,
                e.timeoutMs);
    }

    private <T> T read(Function<EntityManager, T> f) {
        EntityManager em = emf.createEntityManager();
        try {
            return f.apply(em);
        } finally {
            em.close();
        }
    }

    private <T> T write(Function<EntityManager, T> f) {
        EntityManager em = emf.createEntityManager();
        try {
            em.getTransaction().begin();
            T t = f.apply(em);
            em.getTransaction().commit();
            return t;
        } finally {
            if (em.getTransaction().isActive()) {
                em.getTransaction().rollback();
            }
            em.close();
        }
    }
}
