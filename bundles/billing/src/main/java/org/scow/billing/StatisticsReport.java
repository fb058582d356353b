package org.scow.billing;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * Billing statistics of a time range, by UTC day, and the top accounts by charges.
 *
 * @param from        the range's start (inclusive)
 * @param to          the range's end (exclusive)
 * @param daily       one entry per UTC day of the range
 * @param topAccounts the accounts with the highest charges, highest first
 */
public record StatisticsReport(Instant from, Instant to, List<Day> daily, List<TopAccount> topAccounts) {
    /**
     * One UTC day.
     *
     * @param date        the day
     * @param charges     account charges recorded that day
     * @param payments    payments recorded that day
     * @param jobs        jobs that ended that day
     * @param coreHours   core-hours of those jobs
     * @param newUsers    users created that day
     * @param newAccounts accounts created that day
     */
    public record Day(LocalDate date, BigDecimal charges, BigDecimal payments, long jobs, BigDecimal coreHours,
                      long newUsers, long newAccounts) {
    }

    /**
     * An account with its charges and jobs in the range.
     *
     * @param account the account
     * @param tenant  its tenant
     * @param charges its charges in the range
     * @param jobs    its jobs that ended in the range
     */
    public record TopAccount(String account, String tenant, BigDecimal charges, long jobs) {
    }
}
