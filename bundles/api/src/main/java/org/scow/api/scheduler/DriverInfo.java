package org.scow.api.scheduler;

import java.util.Objects;
import java.util.Set;

/**
 * What a driver is: its type, the scheduler version it talks to and the optional features it implements.
 *
 * @param type            driver type, equal to the factory's {@value SchedulerDriverFactory#DRIVER_TYPE}
 * @param schedulerName   human name of the scheduler, e.g. "Slurm 22.05.8"
 * @param version         the driver's own version
 * @param features        implemented optional features
 */
public record DriverInfo(String type, String schedulerName, Version version, Set<DriverFeature> features) {
    public DriverInfo {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(schedulerName, "schedulerName");
        Objects.requireNonNull(version, "version");
        features = Set.copyOf(features);
    }

    /** Semantic version of a driver. */
    public record Version(int major, int minor, int patch) {
        @Override
        public String toString() {
            return major + "." + minor + "." + patch;
        }
    }
}
