package org.scow.auth.internal;

import java.time.Instant;
import javax.persistence.Column;
import javax.persistence.Entity;
import javax.persistence.Id;
import javax.persistence.Table;

/** A signed-in browser session, shared by every platform node and kept across restarts. */
@Entity
@Table(name = "auth_session")
public class SessionEntity {
    @Id
    String id;
    @Column(name = "user_id")
    String userId;
    /** The groups the auth backend reported, comma-separated. */
    @Column(name = "user_groups")
    String groups;
    @Column(name = "csrf_token")
    String csrfToken;
    @Column(name = "host")
    String host;
    @Column(name = "started_at")
    Instant startedAt;
    @Column(name = "last_access_at")
    Instant lastAccessAt;
    @Column(name = "timeout_ms")
    long timeoutMs;
}
