package org.scow.federation.internal;

import java.time.Instant;
import javax.persistence.Column;
import javax.persistence.Convert;
import javax.persistence.Entity;
import javax.persistence.GeneratedValue;
import javax.persistence.GenerationType;
import javax.persistence.Id;
import javax.persistence.Table;
import javax.persistence.TableGenerator;
import org.scow.federation.FederationAudit;

@Entity
@Table(name = "fed_audit")
public class FedAuditEntity {
    @Id
    @TableGenerator(name = "fed_audit", table = "fed_id_sequence", pkColumnName = "name", valueColumnName = "next_id",
            pkColumnValue = "fed_audit", allocationSize = 50)
    @GeneratedValue(strategy = GenerationType.TABLE, generator = "fed_audit")
    Long id;

    @Convert(converter = InstantConverter.class)
    @Column(name = "occurred_at", nullable = false)
    Instant occurredAt;

    @Column(name = "direction", nullable = false, length = 8)
    String direction;

    @Column(name = "peer", nullable = false, length = 64)
    String peer;

    @Column(name = "actor", nullable = false, length = 64)
    String actor;

    @Column(name = "method", nullable = false, length = 8)
    String method;

    @Column(name = "path", nullable = false, length = 1000)
    String path;

    @Column(name = "status", nullable = false)
    int status;

    @Column(name = "duration_ms", nullable = false)
    long durationMs;

    @Column(name = "message", length = 1000)
    String message;

    FederationAudit.Entry toEntry() {
        return new FederationAudit.Entry(id, occurredAt, FederationAudit.Direction.valueOf(direction), peer, actor,
                method, path, status, durationMs, message);
    }
}
