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

/** A retroactive price for the jobs of one price key that ended in [validFrom, validTo). Tenant null: default table. */
@Entity
@Table(name = "bill_price_change")
@SuppressWarnings("unused")
public class PriceChangeEntity {
    @Id
    @TableGenerator(name = "bill_price_change", table = "bill_id_sequence", pkColumnName = "name",
            valueColumnName = "next_id", pkColumnValue = "bill_price_change", allocationSize = 1)
    @GeneratedValue(strategy = GenerationType.TABLE, generator = "bill_price_change")
    @Column(name = "id")
    Long id;

    @Column(name = "tenant")
    String tenant;

    @Column(name = "cluster", nullable = false)
    String cluster;

    @Column(name = "partition_name", nullable = false)
    String partition;

    @Column(name = "qos")
    String qos;

    @Column(name = "price", nullable = false, precision = 19, scale = 4)
    BigDecimal price;

    @Column(name = "amount", nullable = false)
    String amount;

    @Convert(converter = InstantConverter.class)
    @Column(name = "valid_from", nullable = false)
    Instant validFrom;

    @Convert(converter = InstantConverter.class)
    @Column(name = "valid_to", nullable = false)
    Instant validTo;

    @Convert(converter = InstantConverter.class)
    @Column(name = "created_at", nullable = false)
    Instant createdAt;

    @Column(name = "created_by", nullable = false)
    String createdBy;

    @Column(name = "comment")
    String comment;
}
