/**
 * The scheduler driver SPI: the contract between the platform and one kind of cluster (Crane, Slurm, ...).
 *
 * <p>A driver bundle registers a {@link org.scow.api.scheduler.SchedulerDriverFactory} service with the property
 * {@value org.scow.api.scheduler.SchedulerDriverFactory#DRIVER_TYPE}; the platform creates one
 * {@link org.scow.api.scheduler.SchedulerDriver} per configured cluster of that type. Every operation reports failures
 * as a {@link org.scow.api.scheduler.SchedulerException} carrying an {@link org.scow.api.scheduler.ErrorCode}.
 */
@Export
@Version("2.1.0")
package org.scow.api.scheduler;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
