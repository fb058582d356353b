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
@Table(name = "mgmt_account")
public class AccountEntity {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    Long id;

    @Column(name = "name", nullable = false, length = 64)
    String name;

    @ManyToOne(optional = false)
    @JoinColumn(name = "tenant_id")
    TenantEntity tenant;

    @Column(name = "comment", length = 1000)
    String comment;

    @Column(name = "blocked_by_admin", nullable = false)
    boolean blockedByAdmin;

    @Column(name = "whitelisted", nullable = false)
    boolean whitelisted;

    @Convert(converter = InstantConverter.class)
    @Column(name = "whitelist_expires_at")
    Instant whitelistExpiresAt;

    @Column(name = "whitelist_comment", length = 1000)
    String whitelistComment;

    @Convert(converter = InstantConverter.class)
    @Column(name = "created_at", nullable = false)
    Instant createdAt;

    boolean whitelistedAt(Instant now) {
        return whitelisted && (whitelistExpiresAt == null || now.isBefore(whitelistExpiresAt));
    }
}
