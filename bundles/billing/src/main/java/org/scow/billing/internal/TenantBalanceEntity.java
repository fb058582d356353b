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

/** A tenant's balance and its accounts' default block threshold. */
@Entity
@Table(name = "bill_tenant_balance")
@SuppressWarnings("unused")
public class TenantBalanceEntity {
    @Id
    @Column(name = "tenant")
    String tenant;

    @Column(name = "balance", nullable = false, precision = 19, scale = 4)
    BigDecimal balance;

    @Column(name = "account_threshold", nullable = false, precision = 19, scale = 4)
    BigDecimal accountThreshold;
}
