/** What other bundles may ask of this center's billing: its price of a job and charges to an account. */
@Export
@Version("1.0.0")
package org.scow.api.billing;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
