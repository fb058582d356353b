package org.scow.auth.internal;

import java.time.Instant;
import javax.persistence.Column;
import javax.persistence.Entity;
import javax.persistence.GeneratedValue;
import javax.persistence.GenerationType;
import javax.persistence.Id;
import javax.persistence.Table;

@Entity
@Table(name = "auth_credential")
public class CredentialEntity {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    Long id;
    @Column(name = "user_id")
    String userId;
    @Column(name = "password_hash")
    String passwordHash;
    @Column(name = "created_at")
    Instant createdAt;
    @Column(name = "changed_at")
    Instant changedAt;
}
