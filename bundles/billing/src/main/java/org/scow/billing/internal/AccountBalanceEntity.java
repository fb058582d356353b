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

/** An account's balance; {@code below} is the last computed balance-at-or-below-threshold state. */
@Entity
@Table(name = "bill_account_balance")
@SuppressWarnings("unused")
public class AccountBalanceEntity {
    @Id
    @Column(name = "account")
    String account;

    @Column(name = "tenant", nullable = false)
    String tenant;

    @Column(name = "balance", nullable = false, precision = 19, scale = 4)
    BigDecimal balance;

    @Column(name = "threshold", precision = 19, scale = 4)
    BigDecimal threshold;

    @Column(name = "below", nullable = false)
    boolean below;
}
