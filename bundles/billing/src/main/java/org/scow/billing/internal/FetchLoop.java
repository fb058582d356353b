package org.scow.billing.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.scow.api.cluster.Cluster;
import org.scow.api.cluster.ClusterRegistry;
import org.scow.api.scheduler.Partition;
import org.scow.api.scheduler.SchedulerDriver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the {@link JobFetcher} on every online cluster every interval (and on demand), and remembers the partitions
 * of the online clusters for the missing-price report.
 */
final class FetchLoop {
    private static final Logger LOG = LoggerFactory.getLogger(FetchLoop.class);

    private final ClusterRegistry registry;
    private final JobFetcher fetcher;
    private final ScheduledExecutorService executor;
    private final Map<String, List<String>> partitions = new ConcurrentHashMap<>();

    FetchLoop(ClusterRegistry registry, JobFetcher fetcher, Duration interval) {
        this.registry = registry;
        this.fetcher = fetcher;
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "scow-billing-fetch");
            t.setDaemon(true);
            return t;
        });
        executor.scheduleWithFixedDelay(this::fetchAllQuietly, 10, Math.max(5, interval.getSeconds()),
                TimeUnit.SECONDS);
    }

    void stop() {
        executor.shutdownNow();
    }

    /** Runs the fetch and charge loop now on one cluster or all online ones; one result or error per cluster. */
    synchronized List<Object> fetchNow(String cluster) {
        List<Object> results = new ArrayList<>();
        for (Cluster c : registry.clusters()) {
            if (cluster != null && !cluster.equals(c.id())) {
                continue;
            }
            SchedulerDriver d = c.driver().orElse(null);
            if (d == null) {
                results.add(Map.of("cluster", c.id(), "error", "offline: " + c.offlineReason()));
                continue;
            }
            try {
                partitions.put(c.id(), d.partitions().stream().map(Partition::name).toList());
                results.add(fetcher.run(c.id(), d));
            } catch (Exception e) {
                LOG.warn("Fetching jobs of {} failed; the next run retries", c.id(), e);
                results.add(Map.of("cluster", c.id(), "error", String.valueOf(e.getMessage())));
            }
        }
        return results;
    }

    private void fetchAllQuietly() {
        try {
            fetchNow(null);
        } catch (RuntimeException e) {
            LOG.warn("Job fetch failed", e);
        }
    }

    /** The partition names of each online cluster (asked once, then remembered). */
    Map<String, List<String>> onlinePartitions() {
        Map<String, List<String>> online = new TreeMap<>();
        for (Cluster c : registry.clusters()) {
            c.driver().ifPresent(d -> {
                List<String> cached = partitions.get(c.id());
                if (cached == null) {
                    try {
                        cached = d.partitions().stream().map(Partition::name).toList();
                        partitions.put(c.id(), cached);
                    } catch (Exception e) {
                        return;
                    }
                }
                online.put(c.id(), cached);
            });
        }
        return online;
    }
}
