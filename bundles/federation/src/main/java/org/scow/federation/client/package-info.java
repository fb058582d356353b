/** Signed calls to a peer center's federation endpoints, shared by the remote driver and settlement. */
@Export
@Version("1.0.0")
package org.scow.federation.client;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
