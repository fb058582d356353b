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

/** A user's job-charge limit in an account and what they used. */
@Entity
@Table(name = "bill_user_limit")
@SuppressWarnings("unused")
public class UserLimitEntity {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    @Column(name = "id")
    Long id;

    @Column(name = "account", nullable = false)
    String account;

    @Column(name = "user_id", nullable = false)
    String userId;

    @Column(name = "charge_limit", precision = 19, scale = 4)
    BigDecimal chargeLimit;

    @Column(name = "used", nullable = false, precision = 19, scale = 4)
    BigDecimal used;
}
