package org.scow.api.billing;

import java.math.BigDecimal;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;
import org.scow.api.scheduler.JobInfo;

/** This center's billing, for settlement between centers and routing. Offered by the billing bundle. */
@ProviderType
public interface CenterBilling {
    /**
     * What {@code job} (finished, or a hypothetical one with its resources and elapsed time filled in) costs on
     * {@code cluster} under this center's default price table; empty when the table has no price for its partition.
     */
    Optional<BigDecimal> price(String cluster, JobInfo job);

    /**
     * Charges {@code account} once per {@code idempotencyKey}: a repeated call with the same key and values changes
     * nothing and answers the same. Answers the account's balance after the charge.
     *
     * @throws IllegalArgumentException naming the field when the account is unknown or the amount not positive: a
     *         refusal, the same on every retry; any other exception is a failure (billing stopping, database away)
     *         and the charge may be retried with the same key
     */
    BigDecimal chargeAccount(String account, BigDecimal amount, String comment, String idempotencyKey);
}
