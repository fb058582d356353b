package org.scow.billing.internal;

import java.math.BigDecimal;
import java.time.Instant;
import javax.persistence.Column;
import javax.persistence.Convert;
import javax.persistence.Entity;
import javax.persistence.Id;
import javax.persistence.Table;
import org.scow.persistence.InstantConverter;

/**
 * A money write done under an {@code Idempotency-Key}: the key (per acting user), a fingerprint of the request and
 * the balance it answered, so that a retry answers the same and moves nothing.
 */
@Entity
@Table(name = "bill_idempotency")
@SuppressWarnings("unused")
public class IdempotencyEntity {
    /** {@code actor + "\n" + key}: keys are the caller's, two users never collide. */
    @Id
    @Column(name = "id_key")
    String idKey;

    @Column(name = "operation", nullable = false)
    String operation;

    @Column(name = "fingerprint", nullable = false)
    String fingerprint;

    @Column(name = "target_type", nullable = false)
    String targetType;

    @Column(name = "target", nullable = false)
    String target;

    @Column(name = "result_balance", nullable = false, precision = 19, scale = 4)
    BigDecimal resultBalance;

    @Column(name = "result_threshold", precision = 19, scale = 4)
    BigDecimal resultThreshold;

    @Column(name = "result_below")
    Boolean resultBelow;

    @Convert(converter = InstantConverter.class)
    @Column(name = "created_at", nullable = false)
    Instant createdAt;
}
