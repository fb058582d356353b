package org.scow.management.internal;

import java.time.Instant;
import javax.persistence.Column;
import javax.persistence.Convert;
import javax.persistence.Entity;
import javax.persistence.EnumType;
import javax.persistence.Enumerated;
import javax.persistence.GeneratedValue;
import javax.persistence.GenerationType;
import javax.persistence.Id;
import javax.persistence.JoinColumn;
import javax.persistence.ManyToOne;
import javax.persistence.Table;
import org.scow.management.AccountRole;
import org.scow.persistence.InstantConverter;

@Entity
@Table(name = "mgmt_account_member")
public class MemberEntity {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    Long id;

    @ManyToOne(optional = false)
    @JoinColumn(name = "account_id")
    AccountEntity account;

    @ManyToOne(optional = false)
    @JoinColumn(name = "user_ref")
    UserEntity user;

    @Enumerated(EnumType.STRING)
    @Column(name = "role", nullable = false, length = 16)
    AccountRole role;

    @Column(name = "blocked_by_admin", nullable = false)
    boolean blockedByAdmin;

    @Convert(converter = InstantConverter.class)
    @Column(name = "created_at", nullable = false)
    Instant createdAt;
}
