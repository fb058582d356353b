/**
 * Health checks: components register {@link org.scow.api.health.HealthCheck} services; the REST API and the
 * {@code scow:health} command report them all.
 */
@Export
@Version("1.1.0")
package org.scow.api.health;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
