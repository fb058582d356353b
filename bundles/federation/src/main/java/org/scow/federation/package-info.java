/**
 * Federation of computing centers: this center's identity and key, its configured peers, and the signed-request
 * protocol both the receiving side (the federation endpoints) and the calling side (the {@code remote} scheduler
 * driver) use.
 */
@Export
@Version("1.0.0")
package org.scow.federation;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
