package org.scow.billing.internal;

import java.math.BigDecimal;
import java.time.Instant;
import javax.persistence.Column;
import javax.persistence.Convert;
import javax.persistence.Entity;
import javax.persistence.GeneratedValue;
import javax.persistence.GenerationType;
import javax.persistence.Id;
import javax.persistence.Table;
import javax.persistence.TableGenerator;
import org.scow.persistence.InstantConverter;

/** A finished job as fetched from its cluster, with its computed charges. Unique per (cluster, job id). */
@Entity
@Table(name = "bill_job")
@SuppressWarnings("unused")
public class JobEntity {
    @Id
    // Ids come from a table, not the column's identity: embedded H2 2.2 hands out duplicate identity values under
    // concurrent inserts (h2database#3950).
    @TableGenerator(name = "bill_job", table = "bill_id_sequence", pkColumnName = "name", valueColumnName = "next_id",
            pkColumnValue = "bill_job", allocationSize = 50)
    @GeneratedValue(strategy = GenerationType.TABLE, generator = "bill_job")
    @Column(name = "id")
    Long id;

    @Column(name = "cluster", nullable = false)
    String cluster;

    @Column(name = "job_id", nullable = false)
    String jobId;

    @Column(name = "account")
    String account;

    @Column(name = "tenant")
    String tenant;

    @Column(name = "user_id")
    String userId;

    @Column(name = "partition_name")
    String partition;

    @Column(name = "qos")
    String qos;

    @Column(name = "state", nullable = false)
    String state;

    @Column(name = "cpus")
    Integer cpus;

    @Column(name = "gpus")
    Integer gpus;

    @Column(name = "mem_mb")
    Long memMb;

    @Convert(converter = InstantConverter.class)
    @Column(name = "start_time")
    Instant startTime;

    @Convert(converter = InstantConverter.class)
    @Column(name = "end_time", nullable = false)
    Instant endTime;

    @Column(name = "elapsed_seconds", nullable = false)
    long elapsedSeconds;

    @Column(name = "account_price_id")
    Long accountPriceId;

    @Column(name = "tenant_price_id")
    Long tenantPriceId;

    @Column(name = "account_charge", nullable = false, precision = 19, scale = 4)
    BigDecimal accountCharge;

    @Column(name = "tenant_charge", nullable = false, precision = 19, scale = 4)
    BigDecimal tenantCharge;

    @Column(name = "charge_state", nullable = false)
    String chargeState;

    @Convert(converter = InstantConverter.class)
    @Column(name = "stored_at", nullable = false)
    Instant storedAt;

    @Convert(converter = InstantConverter.class)
    @Column(name = "charged_at")
    Instant chargedAt;
}
