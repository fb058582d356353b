package org.scow.management.internal;

import java.time.Instant;
import javax.persistence.Column;
import javax.persistence.Convert;
import javax.persistence.Entity;
import javax.persistence.GeneratedValue;
import javax.persistence.GenerationType;
import javax.persistence.Id;
import javax.persistence.JoinColumn;
import javax.persistence.ManyToOne;
import javax.persistence.Table;
import org.scow.persistence.InstantConverter;

@Entity
@Table(name = "mgmt_user")
public class UserEntity {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    Long id;

    @Column(name = "user_id", nullable = false, length = 64)
    String userId;

    @Column(name = "name", length = 200)
    String name;

    @Column(name = "email", length = 200)
    String email;

    @ManyToOne(optional = false)
    @JoinColumn(name = "tenant_id")
    TenantEntity tenant;

    @Convert(converter = InstantConverter.class)
    @Column(name = "created_at", nullable = false)
    Instant createdAt;
}
