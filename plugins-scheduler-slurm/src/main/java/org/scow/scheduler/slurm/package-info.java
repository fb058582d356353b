/**
 * The Slurm scheduler driver: {@link org.scow.scheduler.slurm.SlurmDriverFactory} registers the
 * {@code slurm} driver type; everything else is in {@code internal}. Not exported: the platform only sees the
 * {@link org.scow.api.scheduler.SchedulerDriverFactory} service.
 */
package org.scow.scheduler.slurm;
