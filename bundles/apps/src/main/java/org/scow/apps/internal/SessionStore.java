package org.scow.apps.internal;

import static org.scow.persistence.Transactions.read;
import static org.scow.persistence.Transactions.tx;

import java.time.Instant;
import java.util.List;
import javax.persistence.EntityManagerFactory;

/** App sessions in the platform database (table {@code app_session}). */
final class SessionStore {
    private final EntityManagerFactory emf;

    SessionStore(EntityManagerFactory emf) {
        this.emf = emf;
    }

    void insert(AppSessionEntity e) {
        tx(emf, em -> {
            em.persist(e);
            return null;
        });
    }

    AppSessionEntity find(String id) {
        return read(emf, em -> em.find(AppSessionEntity.class, id));
    }

    /** Newest first; {@code owner} or {@code cluster} null: any. */
    List<AppSessionEntity> list(String owner, String cluster, int limit) {
        // no "(:p IS NULL OR ...)": PostgreSQL cannot type a null parameter
        String where = owner == null && cluster == null ? "" : " WHERE " + (owner == null ? "" : "s.owner = :owner")
                + (owner != null && cluster != null ? " AND " : "") + (cluster == null ? "" : "s.cluster = :cluster");
        return read(emf, em -> {
            var q = em.createQuery("SELECT s FROM AppSessionEntity s" + where + " ORDER BY s.createdAt DESC",
                    AppSessionEntity.class);
            if (owner != null) {
                q.setParameter("owner", owner);
            }
            if (cluster != null) {
                q.setParameter("cluster", cluster);
            }
            return q.setMaxResults(limit).getResultList();
        });
    }

    void cancelled(String id, SessionStatus.CancelledBy by) {
        tx(emf, em -> {
            AppSessionEntity e = em.find(AppSessionEntity.class, id);
            if (e != null && e.cancelledBy == null) {
                e.cancelledBy = by.name();
            }
            return null;
        });
    }

    /** Keeps the final status; later reads need neither the scheduler nor the user's files. */
    void ended(String id, SessionStatus s, String logTail) {
        tx(emf, em -> {
            AppSessionEntity e = em.find(AppSessionEntity.class, id);
            if (e != null && !e.ended) {
                e.ended = true;
                e.endReason = cut(s.reason(), 32);
                e.endMessage = cut(s.message(), 1000);
                e.endFailed = s.failed();
                e.logTail = cut(logTail, 3000);
                e.startedAt = s.startTime();
                e.endedAt = s.endTime() == null ? Instant.now() : s.endTime();
            }
            return null;
        });
    }

    /** Keeps the end of a text: the last lines of a log matter most. */
    static String cut(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(s.length() - max);
    }
}
