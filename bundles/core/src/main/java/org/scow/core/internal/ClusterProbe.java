package org.scow.core.internal;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import org.scow.api.cluster.Cluster;
import org.scow.api.scheduler.SchedulerDriver;
import org.scow.api.scheduler.SchedulerException;

/**
 * Asks every online cluster's scheduler a cheap question (its partitions) and records whether it answered within
 * the limit. The call runs on its own thread so that a driver that ignores its own timeouts cannot stall the probe.
 */
final class ClusterProbe {
    private final ExecutorService calls;
    private final Duration limit;
    private final Clock clock;

    ClusterProbe(ExecutorService calls, Duration limit, Clock clock) {
        this.calls = calls;
        this.limit = limit;
        this.clock = clock;
    }

    /** Probes each cluster and hands the result to {@code record}, one cluster at a time. */
    void probe(List<ManagedCluster> clusters, BiConsumer<ManagedCluster, Cluster.Reachability> record) {
        for (ManagedCluster cluster : clusters) {
            SchedulerDriver driver = cluster.driver().orElse(null);
            if (driver != null) {
                record.accept(cluster, probe(driver));
            }
        }
    }

    Cluster.Reachability probe(SchedulerDriver driver) {
        Future<?> call = calls.submit(() -> {
            driver.partitions();
            return null;
        });
        String problem = null;
        try {
            call.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            call.cancel(true);
            problem = "no answer within " + limit.toSeconds() + " s";
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            problem = cause instanceof SchedulerException se ? se.code() + ": " + se.getMessage()
                    : String.valueOf(cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            problem = "probe interrupted";
        }
        return new Cluster.Reachability(problem == null, clock.instant(), problem);
    }
}
