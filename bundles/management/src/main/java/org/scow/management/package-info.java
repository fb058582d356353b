/**
 * The platform's management model: tenants, accounts, users, their roles, the audit log of every management
 * operation, and the reconciliation of block states with the clusters. Billing plugs its money facts in through
 * {@link org.scow.management.BlockFacts}.
 */
@Export
@Version("1.1.0")
package org.scow.management;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
