package org.scow.itest.driver.internal;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import org.scow.api.scheduler.ClusterConfig;
import org.scow.api.scheduler.DriverFeature;
import org.scow.api.scheduler.util.Names;
import org.scow.api.scheduler.SchedulerException;

/**
 * The settings of one in-memory cluster, read from {@link ClusterConfig#settings()} (keys without {@code driver.}).
 *
 * @param clusterId               the cluster's id, for thread names and messages
 * @param partitions              {@code partitions}: comma-separated names, each spanning every node (default
 *                                {@code debug,long}); the first is the default partition
 * @param nodes                   {@code nodes}: node count (default 4)
 * @param cpusPerNode             {@code cpusPerNode} (default 8)
 * @param memoryMbPerNode         {@code memoryMbPerNode} (default 16000)
 * @param gpusPerNode             {@code gpusPerNode} (default 0)
 * @param downNodes               {@code downNodes}: how many of the last nodes are down (default 0)
 * @param jobDurationMs           {@code jobDurationMs}: run time of a job without {@code sleep} (default 200)
 * @param scheduleDelayMs         {@code scheduleDelayMs}: delay of the scheduling pass after a submission, during
 *                                which new jobs are visibly PENDING (default 50)
 * @param defaultTimeLimitMinutes {@code defaultTimeLimitMinutes} (default 60)
 * @param timeScale               {@code timeScale}: how many times faster than the wall clock simulated time runs
 *                                (default 1); durations above, job run times and reported times are simulated
 * @param features                {@code features}: {@code all} (default), {@code none} or comma-separated
 *                                {@link DriverFeature} names
 */
public record Settings(String clusterId, List<String> partitions, int nodes, int cpusPerNode, long memoryMbPerNode,
                       int gpusPerNode, int downNodes, long jobDurationMs, long scheduleDelayMs,
                       long defaultTimeLimitMinutes, int timeScale, Set<DriverFeature> features) {

    public Settings {
        partitions = List.copyOf(partitions);
        features = Set.copyOf(features);
    }

    /** Reads and checks the settings; a bad value fails with INVALID_ARGUMENT naming {@code driver.<key>}. */
    public static Settings from(ClusterConfig config) throws SchedulerException {
        List<String> partitions = Arrays.stream(config.setting("partitions").orElse("debug,long").split(","))
                .map(String::trim).filter(s -> !s.isEmpty()).distinct().toList();
        if (partitions.isEmpty() || !partitions.stream().allMatch(Names::isValid)) {
            throw SchedulerException.invalid("driver.partitions", "must list valid partition names: " + partitions);
        }
        int nodes = (int) number(config, "nodes", 4, 1, 10_000);
        return new Settings(config.id(), partitions, nodes,
                (int) number(config, "cpusPerNode", 8, 1, 100_000),
                number(config, "memoryMbPerNode", 16_000, 1, Long.MAX_VALUE / 1024),
                (int) number(config, "gpusPerNode", 0, 0, 1_000),
                (int) number(config, "downNodes", 0, 0, nodes),
                number(config, "jobDurationMs", 200, 0, Long.MAX_VALUE / 2),
                number(config, "scheduleDelayMs", 50, 0, 60_000),
                number(config, "defaultTimeLimitMinutes", 60, 1, 525_600),
                (int) number(config, "timeScale", 1, 1, 1_000_000),
                features(config));
    }

    private static long number(ClusterConfig config, String key, long dflt, long min, long max)
            throws SchedulerException {
        String raw = config.setting(key).orElse(null);
        if (raw == null) {
            return dflt;
        }
        try {
            long v = Long.parseLong(raw.trim());
            if (v >= min && v <= max) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw SchedulerException.invalid("driver." + key, "must be a whole number in " + min + ".." + max
                + ", was '" + raw + "'");
    }

    private static Set<DriverFeature> features(ClusterConfig config) throws SchedulerException {
        String raw = config.setting("features").orElse("all").trim();
        if (raw.equalsIgnoreCase("all")) {
            return EnumSet.allOf(DriverFeature.class);
        }
        Set<DriverFeature> features = EnumSet.noneOf(DriverFeature.class);
        if (raw.equalsIgnoreCase("none")) {
            return features;
        }
        for (String name : raw.split(",")) {
            try {
                features.add(DriverFeature.valueOf(name.trim()));
            } catch (IllegalArgumentException e) {
                throw SchedulerException.invalid("driver.features", "unknown feature '" + name.trim() + "'");
            }
        }
        return features;
    }
}
