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

@Entity
@Table(name = "bill_charge_record")
@SuppressWarnings("unused")
public class ChargeRecordEntity {
    @Id
    // Ids come from a table, not the column's identity: embedded H2 2.2 hands out duplicate identity values under
    // concurrent inserts (h2database#3950).
    @TableGenerator(name = "bill_charge_record", table = "bill_id_sequence", pkColumnName = "name", valueColumnName = "next_id",
            pkColumnValue = "bill_charge_record", allocationSize = 50)
    @GeneratedValue(strategy = GenerationType.TABLE, generator = "bill_charge_record")
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

    /** The retroactive price change an ADJUSTMENT applies, else 0. */
    @Column(name = "price_change_id", nullable = false)
    long priceChangeId;
}
