package org.scow.scheduler.remote.internal;

import java.util.EnumSet;
import java.util.Set;
import org.scow.api.scheduler.ClusterConfig;
import org.scow.api.scheduler.DriverFeature;
import org.scow.api.scheduler.util.Names;
import org.scow.api.scheduler.SchedulerException;

/**
 * Settings of a remote cluster (keys without {@code driver.}).
 *
 * @param peer            {@code peer}: the peer center's id (a configured peer)
 * @param cluster         {@code cluster}: the cluster's id at the peer
 * @param timeoutSeconds  {@code timeoutSeconds}: per call, default 30
 * @param features        {@code features}: the optional features the peer's cluster has: {@code all} (default),
 *                        {@code none} or comma-separated names. Declared here, not asked, because
 *                        {@code info()} must not contact the scheduler.
 */
public record RemoteSettings(String peer, String cluster, long timeoutSeconds, Set<DriverFeature> features) {
    public static RemoteSettings from(ClusterConfig config) throws SchedulerException {
        String peer = config.require("peer");
        String cluster = config.require("cluster");
        if (!Names.isValid(peer)) {
            throw SchedulerException.invalid("driver.peer", Names.RULE);
        }
        if (!Names.isValid(cluster)) {
            throw SchedulerException.invalid("driver.cluster", Names.RULE);
        }
        long timeout;
        try {
            timeout = Long.parseLong(config.setting("timeoutSeconds").orElse("30").trim());
        } catch (NumberFormatException e) {
            timeout = -1;
        }
        if (timeout < 1 || timeout > 3600) {
            throw SchedulerException.invalid("driver.timeoutSeconds", "must be a whole number in 1..3600");
        }
        String raw = config.setting("features").orElse("all").trim();
        Set<DriverFeature> features = EnumSet.noneOf(DriverFeature.class);
        if (raw.equalsIgnoreCase("all")) {
            features = EnumSet.allOf(DriverFeature.class);
        } else if (!raw.equalsIgnoreCase("none")) {
            for (String f : raw.split(",")) {
                try {
                    features.add(DriverFeature.valueOf(f.trim()));
                } catch (IllegalArgumentException e) {
                    throw SchedulerException.invalid("driver.features", "unknown feature '" + f.trim() + "'");
                }
            }
        }
        return new RemoteSettings(peer, cluster, timeout, features);
    }
}
