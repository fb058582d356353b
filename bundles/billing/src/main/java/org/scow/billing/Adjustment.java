package org.scow.billing;

import java.math.BigDecimal;

/**
 * What applying a price change did.
 *
 * @param change            the change applied
 * @param jobs              the jobs looked at
 * @param records           the adjustment records added
 * @param accountDifference the net amount charged to accounts (negative: refunded)
 * @param tenantDifference  the net amount charged to tenants (negative: refunded)
 */
public record Adjustment(PriceChange change, int jobs, int records, BigDecimal accountDifference,
                         BigDecimal tenantDifference) {
}
