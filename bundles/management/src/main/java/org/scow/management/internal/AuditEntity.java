package org.scow.management.internal;

import java.time.Instant;
import javax.persistence.Column;
import javax.persistence.Convert;
import javax.persistence.Entity;
import javax.persistence.GeneratedValue;
import javax.persistence.GenerationType;
import javax.persistence.Id;
import javax.persistence.Table;
import javax.persistence.TableGenerator;
import org.scow.management.AuditLog;
import org.scow.persistence.InstantConverter;

@Entity
@Table(name = "mgmt_audit")
public class AuditEntity {
    @Id
    // Ids come from a table, not the column's identity: embedded H2 2.2 hands out duplicate identity values under
    // concurrent inserts (h2database#3950).
    @TableGenerator(name = "mgmt_audit", table = "mgmt_id_sequence", pkColumnName = "name", valueColumnName = "next_id",
            pkColumnValue = "mgmt_audit", allocationSize = 50)
    @GeneratedValue(strategy = GenerationType.TABLE, generator = "mgmt_audit")
    Long id;

    @Convert(converter = InstantConverter.class)
    @Column(name = "occurred_at", nullable = false)
    Instant occurredAt;

    @Column(name = "actor", nullable = false, length = 64)
    String actor;

    @Column(name = "source_ip", length = 64)
    String sourceIp;

    @Column(name = "operation", nullable = false, length = 64)
    String operation;

    @Column(name = "target_type", nullable = false, length = 32)
    String targetType;

    @Column(name = "target", length = 200)
    String target;

    @Column(name = "parameters", length = 2000)
    String parameters;

    @Column(name = "result", nullable = false, length = 16)
    String result;

    @Column(name = "message", length = 1000)
    String message;

    AuditLog.Entry toEntry() {
        return new AuditLog.Entry(id, occurredAt, actor, sourceIp, operation, targetType, target, parameters, result,
                message);
    }
}
