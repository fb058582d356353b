/**
 * The platform database: its schema is migrated by Liquibase when the {@code scow} DataSource appears, and the
 * repositories in this package become available once it is current.
 */
@Export
@Version("1.2.0")
package org.scow.persistence;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
