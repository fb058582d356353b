/**
 * The billing service of the platform: price tables and retroactive price changes, balances of accounts and
 * tenants, payments and manual charges, per-user charge limits, the stored (charged) jobs and statistics. Other
 * bundles (the REST resources, the admin shell) use {@link org.scow.billing.BillingService}; the billing bundle
 * provides it. Money is a {@link java.math.BigDecimal} with at most 4 decimals.
 */
@Export
@Version("1.1.0")
package org.scow.billing;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
