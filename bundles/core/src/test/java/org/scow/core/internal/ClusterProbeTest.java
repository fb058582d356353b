package org.scow.core.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.After;
import org.junit.Test;
import org.scow.api.cluster.Cluster;
import org.scow.api.scheduler.ClusterConfig;
import org.scow.api.scheduler.ErrorCode;
import org.scow.api.scheduler.SchedulerDriver;
import org.scow.api.scheduler.SchedulerException;

public class ClusterProbeTest {
    private static final Instant NOW = Instant.parse("2026-11-24T00:00:00Z");
    private final ExecutorService calls = Executors.newCachedThreadPool();
    private final ClusterProbe probe = new ClusterProbe(calls, Duration.ofMillis(300),
            Clock.fixed(NOW, ZoneOffset.UTC));

    @After
    public void stop() {
        calls.shutdownNow();
    }

    /** A driver whose partitions() behaves as given; other calls are not used by the probe. */
    private static SchedulerDriver driver(Behaviour partitions) {
        return (SchedulerDriver) Proxy.newProxyInstance(SchedulerDriver.class.getClassLoader(),
                new Class<?>[] {SchedulerDriver.class}, (proxy, method, args) -> {
                    if (method.getName().equals("partitions")) {
                        partitions.run();
                        return List.of();
                    }
                    return null;
                });
    }

    interface Behaviour {
        void run() throws Exception;
    }

    @Test
    public void answeringSchedulerIsReachable() {
        Cluster.Reachability r = probe.probe(driver(() -> { }));
        assertTrue(r.reachable());
        assertNull(r.problem());
        assertEquals(NOW, r.checkedAt());
    }

    @Test
    public void schedulerErrorsAreReported() {
        Cluster.Reachability r = probe.probe(driver(() -> {
            throw new SchedulerException(ErrorCode.UNAVAILABLE, "slurmctld not responding");
        }));
        assertFalse(r.reachable());
        assertEquals("UNAVAILABLE: slurmctld not responding", r.problem());
    }

    @Test
    public void aHangingDriverCannotStallTheProbe() {
        long start = System.nanoTime();
        Cluster.Reachability r = probe.probe(driver(() -> Thread.sleep(60_000)));
        assertFalse(r.reachable());
        assertTrue(r.problem(), r.problem().startsWith("no answer within"));
        assertTrue("gave up long before the driver would have answered",
                Duration.ofNanos(System.nanoTime() - start).toSeconds() < 30);
    }

    @Test
    public void onlyOnlineClustersAreProbedAndRecorded() {
        ManagedCluster online = new ManagedCluster(new ClusterConfig("a", "A", "test", Map.of()));
        online.online(driver(() -> { }));
        ManagedCluster offline = new ManagedCluster(new ClusterConfig("b", "B", "test", Map.of()));
        List<String> recorded = new ArrayList<>();
        probe.probe(List.of(online, offline), (c, r) -> {
            c.reachability(r);
            recorded.add(c.id());
        });
        assertEquals(List.of("a"), recorded);
        assertTrue(online.reachability().reachable());
        assertNull(offline.reachability());
    }
}
