package org.scow.billing;

import java.math.BigDecimal;

/**
 * The balance of an account or tenant.
 *
 * @param targetType     {@link BillingService#ACCOUNT} or {@link BillingService#TENANT}
 * @param target         the account or tenant name
 * @param balance        the current balance
 * @param threshold      an account's block threshold (its own, else its tenant's default); a tenant's default
 *                       threshold for its accounts
 * @param belowThreshold for accounts: whether the balance is at or below the threshold (the account is blocked for
 *                       money); null for tenants
 */
public record Balance(String targetType, String target, BigDecimal balance, BigDecimal threshold,
                      Boolean belowThreshold) {
}
