package org.scow.billing;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * A charge record: a job's charge ({@code JOB}), a charge by hand ({@code MANUAL}) or the difference a retroactive
 * price change made ({@code ADJUSTMENT}, negative for refunds).
 *
 * @param id         the record's id
 * @param targetType {@link BillingService#ACCOUNT} or {@link BillingService#TENANT}
 * @param target     the account or tenant charged
 * @param account    the account the charge belongs to, or null for manual tenant charges
 * @param user       the user whose job was charged, or null
 * @param amount     the amount charged
 * @param kind       {@code JOB}, {@code MANUAL} or {@code ADJUSTMENT}
 * @param cluster    the job's cluster, or null
 * @param jobId      the job's id on its cluster, or null
 * @param comment    free text, or null
 * @param chargedAt  when it was recorded
 */
public record Charge(long id, String targetType, String target, String account, String user, BigDecimal amount,
                     String kind, String cluster, String jobId, String comment, Instant chargedAt) {
}
