package org.scow.apps.internal;

import java.time.Instant;
import javax.persistence.Column;
import javax.persistence.Convert;
import javax.persistence.Entity;
import javax.persistence.Id;
import javax.persistence.Table;
import org.scow.persistence.InstantConverter;

/** One app session: the job it is, and its final status once it ended. */
@Entity
@Table(name = "app_session")
public class AppSessionEntity {
    @Id
    @Column(name = "id")
    String id;

    @Column(name = "owner", nullable = false)
    String owner;

    @Column(name = "cluster", nullable = false)
    String cluster;

    @Column(name = "app_id", nullable = false)
    String appId;

    @Column(name = "app_name", nullable = false)
    String appName;

    @Column(name = "job_id", nullable = false)
    String jobId;

    @Column(name = "session_dir", nullable = false)
    String sessionDir;

    @Column(name = "form_values", nullable = false)
    String formValues;

    @Convert(converter = InstantConverter.class)
    @Column(name = "created_at", nullable = false)
    Instant createdAt;

    @Column(name = "cancelled_by")
    String cancelledBy;

    @Column(name = "ended", nullable = false)
    boolean ended;

    @Column(name = "end_reason")
    String endReason;

    @Column(name = "end_message")
    String endMessage;

    @Column(name = "end_failed")
    Boolean endFailed;

    @Column(name = "log_tail")
    String logTail;

    @Convert(converter = InstantConverter.class)
    @Column(name = "started_at")
    Instant startedAt;

    @Convert(converter = InstantConverter.class)
    @Column(name = "ended_at")
    Instant endedAt;
}
