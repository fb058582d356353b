/**
 * Helpers for writing scheduler drivers, kept apart from the SPI so that the SPI holds only the contract: the name
 * rule every scheduler accepts ({@link org.scow.api.scheduler.util.Names}), batch script rendering
 * ({@link org.scow.api.scheduler.util.BatchScript}), job id ordering ({@link org.scow.api.scheduler.util.JobIds}) and
 * filtering, sorting, paging and projection of job lists in memory ({@link org.scow.api.scheduler.util.JobQueries}).
 */
@Export
@Version("1.0.0")
package org.scow.api.scheduler.util;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
