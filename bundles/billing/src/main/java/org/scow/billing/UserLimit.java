package org.scow.billing;

import java.math.BigDecimal;

/**
 * A user's limit of job charges within one account.
 *
 * @param account  the account
 * @param user     the user
 * @param limit    the limit, or null for none
 * @param used     the job charges counted since the last reset
 * @param exceeded whether {@code used} reached the limit (the user is blocked in the account)
 */
public record UserLimit(String account, String user, BigDecimal limit, BigDecimal used, boolean exceeded) {
}
