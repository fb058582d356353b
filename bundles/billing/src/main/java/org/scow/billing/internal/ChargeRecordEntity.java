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

@Entity
@Table(name = "bill_charge_record")
@SuppressWarnings("unused")
public class ChargeRecordEntity {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    @Column(name = "id")
    Long id;

    @Column(name = "target_type", nullable = false)
    String targetType;

    @Column(name = "target", nullable = false)
    String target;

    @Column(name = "account")
    String account;

    @Column(name = "user_id")
    String userId;

    @Column(name = "amount", nullable = false, precision = 19, scale = 4)
    BigDecimal amount;

    @Column(name = "kind", nullable = false)
    String kind;

    @Column(name = "cluster")
    String cluster;

    @Column(name = "job_id")
    String jobId;

    @Column(name = "comment")
    String comment;

    @Convert(converter = InstantConverter.class)
    @Column(name = "charged_at", nullable = false)
    Instant chargedAt;
}
