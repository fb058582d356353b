package org.scow.management.internal;

import java.time.Instant;
import javax.persistence.Column;
import javax.persistence.Convert;
import javax.persistence.Entity;
import javax.persistence.GeneratedValue;
import javax.persistence.GenerationType;
import javax.persistence.Id;
import javax.persistence.Table;
import org.scow.persistence.InstantConverter;

@Entity
@Table(name = "mgmt_tenant")
public class TenantEntity {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    Long id;

    @Column(name = "name", nullable = false, length = 64)
    String name;

    @Convert(converter = InstantConverter.class)
    @Column(name = "created_at", nullable = false)
    Instant createdAt;
}
