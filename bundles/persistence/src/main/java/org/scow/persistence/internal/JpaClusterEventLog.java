package org.scow.persistence.internal;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import javax.persistence.EntityManager;
import javax.persistence.EntityManagerFactory;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.scow.persistence.ClusterEventLog;
import org.scow.persistence.DatabaseSchema;

@Component(service = ClusterEventLog.class)
public class JpaClusterEventLog implements ClusterEventLog {
    private static final int MAX_DETAIL = 1000;

    private final EntityManagerFactory emf;

    /** {@code schema} is not used: requiring it keeps this repository away from an unmigrated database. */
    @Activate
    public JpaClusterEventLog(@Reference(target = "(osgi.unit.name=scow)") EntityManagerFactory emf,
                              @Reference DatabaseSchema schema) {
        this.emf = emf;
    }

    @Override
    public Entry append(String clusterId, String topic, String detail, Instant at) {
        String d = detail != null && detail.length() > MAX_DETAIL ? detail.substring(0, MAX_DETAIL) : detail;
        // Microseconds are what every supported database keeps.
        ClusterEventEntity e = new ClusterEventEntity(clusterId, topic, d, at.truncatedTo(ChronoUnit.MICROS));
        EntityManager em = emf.createEntityManager();
        try {
            em.getTransaction().begin();
            em.persist(e);
            em.getTransaction().commit();
            return e.toEntry();
        } finally {
            if (em.getTransaction().isActive()) {
                em.getTransaction().rollback();
            }
            em.close();
        }
    }

    @Override
    public List<Entry> recent(String clusterId, int limit) {
        EntityManager em = emf.createEntityManager();
        try {
            return em.createNamedQuery("ClusterEvent.recent", ClusterEventEntity.class)
                    .setParameter("cluster", clusterId).setMaxResults(limit).getResultList()
                    .stream().map(ClusterEventEntity::toEntry).toList();
        } finally {
            em.close();
        }
    }
}
