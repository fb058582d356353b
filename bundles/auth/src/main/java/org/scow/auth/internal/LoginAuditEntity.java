package org.scow.auth.internal;

import java.time.Instant;
import javax.persistence.Column;
import javax.persistence.Entity;
import javax.persistence.GeneratedValue;
import javax.persistence.GenerationType;
import javax.persistence.Id;
import javax.persistence.Table;

@Entity
@Table(name = "auth_login_audit")
public class LoginAuditEntity {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    Long id;
    Instant at;
    String event;
    @Column(name = "user_id")
    String userId;
    @Column(name = "source_ip")
    String sourceIp;
    String detail;
}
