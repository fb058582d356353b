/**
 * The platform's view of its clusters: the {@link org.scow.api.cluster.ClusterRegistry} service, and the EventAdmin
 * topics it and the drivers publish ({@link org.scow.api.cluster.ClusterEvents}).
 */
@Export
@Version("1.1.0")
package org.scow.api.cluster;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
