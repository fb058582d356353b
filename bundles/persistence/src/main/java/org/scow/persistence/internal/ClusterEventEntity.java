package org.scow.persistence.internal;

import java.time.Instant;
import javax.persistence.Column;
import javax.persistence.Entity;
import javax.persistence.GeneratedValue;
import javax.persistence.GenerationType;
import javax.persistence.Id;
import javax.persistence.NamedQuery;
import javax.persistence.Table;
import org.scow.persistence.ClusterEventLog;

@Entity
@Table(name = "cluster_event")
@NamedQuery(name = "ClusterEvent.recent",
        query = "SELECT e FROM ClusterEventEntity e WHERE e.clusterId = :cluster ORDER BY e.occurredAt DESC, e.id DESC")
public class ClusterEventEntity {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "cluster_id", nullable = false, length = 64)
    private String clusterId;

    @Column(name = "topic", nullable = false, length = 100)
    private String topic;

    @Column(name = "detail", length = 1000)
    private String detail;

    @Column(name = "occurred_at", nullable = false)
    private Instant occurredAt;

    protected ClusterEventEntity() {
    }

    ClusterEventEntity(String clusterId, String topic, String detail, Instant occurredAt) {
        this.clusterId = clusterId;
        this.topic = topic;
        this.detail = detail;
        this.occurredAt = occurredAt;
    }

    ClusterEventLog.Entry toEntry() {
        return new ClusterEventLog.Entry(id, clusterId, topic, detail, occurredAt);
    }
}
