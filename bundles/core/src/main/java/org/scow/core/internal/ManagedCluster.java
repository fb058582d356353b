package org.scow.core.internal;

import java.util.Optional;
import org.scow.api.cluster.Cluster;
import org.scow.api.scheduler.ClusterConfig;
import org.scow.api.scheduler.SchedulerDriver;

/** A configured cluster and, while online, its driver. Mutated only under the registry's lock. */
final class ManagedCluster implements Cluster {
    private final ClusterConfig config;
    private volatile SchedulerDriver driver;
    private volatile String offlineReason;
    private volatile Reachability reachability;

    ManagedCluster(ClusterConfig config) {
        this.config = config;
        this.offlineReason = "no '" + config.driverType() + "' driver is installed";
    }

    ClusterConfig config() {
        return config;
    }

    void online(SchedulerDriver d) {
        driver = d;
        offlineReason = null;
        reachability = null;
    }

    void reachability(Reachability r) {
        reachability = r;
    }

    /** Takes the cluster offline and closes its driver, if it had one. */
    void offline(String reason) {
        SchedulerDriver d = driver;
        driver = null;
        offlineReason = reason;
        reachability = null;
        if (d != null) {
            d.close();
        }
    }

    @Override
    public String id() {
        return config.id();
    }

    @Override
    public String displayName() {
        return config.displayName();
    }

    @Override
    public String driverType() {
        return config.driverType();
    }

    @Override
    public Optional<SchedulerDriver> driver() {
        return Optional.ofNullable(driver);
    }

    @Override
    public String offlineReason() {
        return offlineReason;
    }

    @Override
    public Reachability reachability() {
        return driver == null ? null : reachability;
    }
}
