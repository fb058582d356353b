package org.scow.management.internal;

import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.persistence.EntityManager;
import javax.persistence.EntityManagerFactory;
import javax.persistence.TypedQuery;
import org.scow.management.Actor;
import org.scow.management.AuditLog;
import org.scow.persistence.Transactions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit log on JPA. {@link #record} writes in a transaction of its own and never throws; the management store
 * adds its success entries to the operation's own transaction ({@link #entry}).
 */
public class JpaAuditLog implements AuditLog {
    private static final Logger LOG = LoggerFactory.getLogger(JpaAuditLog.class);
    static final int MAX_TEXT = 1000;

    private final EntityManagerFactory emf;
    private final Clock clock;

    public JpaAuditLog(EntityManagerFactory emf, Clock clock) {
        this.emf = emf;
        this.clock = clock;
    }

    @Override
    public void record(Actor actor, String operation, String targetType, String target, Map<String, ?> parameters,
                       boolean success, String message) {
        EntityManager em = emf.createEntityManager();
        try {
            em.getTransaction().begin();
            em.persist(entry(actor, operation, targetType, target, parameters, success, message));
            em.getTransaction().commit();
        } catch (RuntimeException e) {
            LOG.error("Could not record audit entry {} {} {}", operation, target, e);
        } finally {
            if (em.getTransaction().isActive()) {
                em.getTransaction().rollback();
            }
            em.close();
        }
    }

    @Override
    public List<Entry> query(Query q) {
        StringBuilder jpql = new StringBuilder("SELECT a FROM AuditEntity a WHERE 1 = 1");
        Map<String, Object> p = new LinkedHashMap<>();
        filter(jpql, p, "actor", q.actor());
        filter(jpql, p, "operation", q.operation());
        filter(jpql, p, "targetType", q.targetType());
        filter(jpql, p, "target", q.target());
        filter(jpql, p, "result", q.result());
        if (q.from() != null) {
            jpql.append(" AND a.occurredAt >= :from");
            p.put("from", q.from());
        }
        if (q.to() != null) {
            jpql.append(" AND a.occurredAt <= :to");
            p.put("to", q.to());
        }
        jpql.append(" ORDER BY a.occurredAt DESC, a.id DESC");
        return Transactions.read(emf, em -> {
            TypedQuery<AuditEntity> query = em.createQuery(jpql.toString(), AuditEntity.class);
            p.forEach(query::setParameter);
            return query.setFirstResult(q.offset()).setMaxResults(q.limit()).getResultList().stream()
                    .map(AuditEntity::toEntry).toList();
        });
    }

    private static void filter(StringBuilder jpql, Map<String, Object> p, String field, String value) {
        if (value != null && !value.isBlank()) {
            jpql.append(" AND a.").append(field).append(" = :").append(field);
            p.put(field, value);
        }
    }

    /** A new audit entry (not yet persisted), its texts cut to their column sizes. */
    AuditEntity entry(Actor actor, String operation, String targetType, String target, Map<String, ?> params,
                      boolean success, String message) {
        AuditEntity a = new AuditEntity();
        a.occurredAt = clock.instant().truncatedTo(ChronoUnit.MICROS);
        a.actor = cut(actor.userId(), 64);
        a.sourceIp = cut(actor.sourceIp(), 64);
        a.operation = operation;
        a.targetType = targetType;
        a.target = cut(target, 200);
        a.parameters = cut(params == null ? null : params.toString(), 2000);
        a.result = success ? "SUCCESS" : "FAILURE";
        a.message = cut(message, MAX_TEXT);
        return a;
    }

    private static String cut(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }
}
