package org.scow.api.scheduler;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Registered as an OSGi service by each driver bundle, with the service property {@value #DRIVER_TYPE}. The platform
 * calls {@link #create} once for every configured cluster of that type, and {@link SchedulerDriver#close()} when the
 * cluster's configuration is removed or this factory goes away.
 */
@ConsumerType
public interface SchedulerDriverFactory {
    /** Service property naming the driver type, e.g. {@code crane} or {@code slurm}. */
    String DRIVER_TYPE = "scow.driver.type";

    /**
     * Creates the driver of one cluster. Should be quick: connecting lazily is fine, and an unreachable cluster must
     * not fail here but in the operations ({@link ErrorCode#UNAVAILABLE}).
     *
     * @throws SchedulerException {@link ErrorCode#INVALID_ARGUMENT} when the configuration is unusable
     */
    SchedulerDriver create(ClusterConfig config) throws SchedulerException;
}
