package org.scow.billing;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * A payment (top-up) of an account or tenant, as recorded.
 *
 * @param id         the record's id
 * @param targetType {@link BillingService#ACCOUNT} or {@link BillingService#TENANT}
 * @param target     the account or tenant name
 * @param amount     the amount paid, above zero
 * @param method     how it was paid (free text, e.g. "bank"), or null
 * @param comment    free text, or null
 * @param actor      the user who recorded it
 * @param sourceIp   the address the request came from, or null
 * @param paidAt     when it was recorded
 */
public record Payment(long id, String targetType, String target, BigDecimal amount, String method,
                      String comment, String actor, String sourceIp, Instant paidAt) {
}
