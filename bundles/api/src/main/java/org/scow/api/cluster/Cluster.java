package org.scow.api.cluster;

import org.osgi.annotation.versioning.ProviderType;
import java.time.Instant;
import java.util.Optional;
import org.scow.api.scheduler.SchedulerDriver;

/** One configured cluster. */
@ProviderType
public interface Cluster {
    /** Platform-wide id, e.g. {@code hpc01}. */
    String id();

    /** Name shown to people. */
    String displayName();

    /** Type of driver that serves it. */
    String driverType();

    /** The driver while one of the cluster's type is installed and started; empty while the cluster is offline. */
    Optional<SchedulerDriver> driver();

    /** Why the cluster is offline (no driver installed, configuration rejected by the driver), or null if online. */
    String offlineReason();

    default boolean online() {
        return driver().isPresent();
    }

    /**
     * Whether the scheduler answered the platform's last periodic probe; null while offline or before the first
     * probe. An online cluster whose scheduler does not answer stays online (its driver is installed) but is
     * reported unreachable, so clients can tell "no driver" from "scheduler down".
     */
    Reachability reachability();

    /**
     * @param reachable  the scheduler answered in time
     * @param checkedAt  when the probe ran
     * @param problem    what went wrong, or null
     */
    record Reachability(boolean reachable, Instant checkedAt, String problem) {
    }
}
