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

/** A user's saved job form. Every spec field is optional: a template may be a partial draft. */
@Entity
@Table(name = "mgmt_job_template")
public class JobTemplateEntity {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    Long id;

    @Column(name = "owner", nullable = false, length = 64)
    String owner;

    @Column(name = "name", nullable = false, length = 100)
    String name;

    @Column(name = "cluster", nullable = false, length = 64)
    String cluster;

    @Column(name = "job_name", length = 200)
    String jobName;

    @Column(name = "account", length = 64)
    String account;

    @Column(name = "partition_name", length = 64)
    String partition;

    @Column(name = "qos", length = 64)
    String qos;

    @Column(name = "nodes")
    Integer nodes;

    @Column(name = "cores_per_node")
    Integer coresPerNode;

    @Column(name = "gpus_per_node")
    Integer gpusPerNode;

    @Column(name = "memory_mb_per_node")
    Long memoryMbPerNode;

    @Column(name = "time_limit_minutes")
    Long timeLimitMinutes;

    @Column(name = "script", length = 1_048_576)
    String script;

    @Column(name = "working_directory", length = 4096)
    String workingDirectory;

    @Column(name = "stdout_path", length = 4096)
    String stdout;

    @Column(name = "stderr_path", length = 4096)
    String stderr;

    @Convert(converter = InstantConverter.class)
    @Column(name = "created_at", nullable = false)
    Instant createdAt;

    @Convert(converter = InstantConverter.class)
    @Column(name = "updated_at", nullable = false)
    Instant updatedAt;
}
