package org.scow.federation.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.lang.reflect.Proxy;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.After;
import org.junit.Test;
import org.scow.api.scheduler.ClusterConfig;
import org.scow.api.scheduler.ErrorCode;
import org.scow.api.scheduler.JobSpec;
import org.scow.api.scheduler.SchedulerDriver;
import org.scow.api.scheduler.SchedulerException;
import org.scow.itest.driver.TestDriverFactory;

public class RouterTest {
    private final ExecutorService calls = Executors.newCachedThreadPool();
    private final CountDownLatch never = new CountDownLatch(1);

    @After
    public void tearDown() {
        never.countDown();
        calls.shutdownNow();
    }

    private static SchedulerDriver cluster(String id, int nodes) throws Exception {
        return new TestDriverFactory().create(new ClusterConfig(id, id, "test", Map.of("partitions", "debug",
                "nodes", String.valueOf(nodes), "cpusPerNode", "4", "scheduleDelayMs", "0")));
    }

    /** Fills every core of the cluster with long jobs, and queues {@code queued} more. */
    private static void fill(SchedulerDriver d, int jobs) throws Exception {
        d.createAccount("busy", "carol");
        for (int i = 0; i < jobs; i++) {
            d.submitJob(new JobSpec("carol", "fill", "busy", "debug", null, 1, 4, 0, null, 600L, "sleep 3600",
                    "/tmp", null, null, List.of()));
        }
    }

    private SchedulerDriver failing(ErrorCode code) {
        return (SchedulerDriver) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {SchedulerDriver.class}, (p, m, a) -> {
                    throw new SchedulerException(code, "down");
                });
    }

    private SchedulerDriver hanging() {
        return (SchedulerDriver) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {SchedulerDriver.class}, (p, m, a) -> {
                    never.await();
                    return null;
                });
    }

    private static Router.Request job(List<String> preferred, String data) {
        return new Router.Request(1, 2, 0, 60, preferred, data, null);
    }

    @Test
    public void theIdleClusterWinsOverTheBusyOneAndTheReasonSaysSo() throws Exception {
        SchedulerDriver busy = cluster("a1", 1);
        fill(busy, 3);
        SchedulerDriver idle = cluster("b1", 2);
        Router.Decision d = new Router(calls, Duration.ofSeconds(5), null).route(job(List.of(), null),
                List.of(new Router.Target("a", "a1", busy), new Router.Target("b", "b1", idle)));
        assertEquals("b1", d.chosen().cluster());
        assertEquals(0, d.chosen().estimatedStartMinutes());
        assertTrue(d.chosen().why(), d.chosen().why().startsWith("starts now"));
        Router.Option a1 = d.options().get(1);
        assertTrue(a1.why(), a1.estimatedStartMinutes() > 0 && a1.why().contains("queued"));
    }

    @Test
    public void dataLocationAndPreferenceDecideBetweenEqualClusters() throws Exception {
        List<Router.Target> targets = List.of(new Router.Target("a", "a1", cluster("a1", 2)),
                new Router.Target("b", "b1", cluster("b1", 2)));
        Router router = new Router(calls, Duration.ofSeconds(5), null);
        assertEquals("b1", router.route(job(List.of(), "b"), targets).chosen().cluster());
        assertEquals("b1", router.route(job(List.of("b", "a"), null), targets).chosen().cluster());
        assertEquals("a1", router.route(job(List.of("b"), "a"), targets).chosen().cluster());
    }

    @Test
    public void pricesCountWhenWeighted() throws Exception {
        List<Router.Target> targets = List.of(new Router.Target("a", "a1", cluster("a1", 2)),
                new Router.Target("b", "b1", cluster("b1", 2)));
        Router router = new Router(calls, Duration.ofSeconds(5), new org.scow.api.billing.CenterBilling() {
            @Override
            public Optional<BigDecimal> price(String cluster, org.scow.api.scheduler.JobInfo job) {
                BigDecimal coreHours = BigDecimal.valueOf(job.cpusReq() * job.elapsedSeconds())
                        .divide(BigDecimal.valueOf(3600));
                return Optional.of(coreHours.multiply(cluster.equals("a1") ? new BigDecimal("2") : BigDecimal.ONE));
            }

            @Override
            public BigDecimal chargeAccount(String account, BigDecimal amount, String comment, String key) {
                throw new UnsupportedOperationException();
            }
        });
        Router.Decision d = router.route(new Router.Request(1, 2, 0, 60, List.of(), null,
                new Router.Weights(1, 30, 10)), targets);
        assertEquals("b1", d.chosen().cluster());
        assertEquals(0, new BigDecimal("2").compareTo(d.chosen().estimatedPrice()));
    }

    /**
     * Each peer's own quote prices its cluster: the cheaper peer wins when price is weighted, and a peer whose quote
     * fails is still routed to, its price shown as unknown.
     */
    @Test
    public void peersArePricedWithTheirOwnQuotes() throws Exception {
        List<Router.Request> asked = new java.util.concurrent.CopyOnWriteArrayList<>();
        Router.Quote dear = r -> {
            asked.add(r);
            return Map.of("debug", new BigDecimal("5.0000"));
        };
        Router.Quote cheap = r -> Map.of("debug", new BigDecimal("1.2500"));
        Router.Quote broken = r -> {
            throw new SchedulerException(ErrorCode.UNAVAILABLE, "peer 'd': answer not trusted");
        };
        List<Router.Target> targets = List.of(new Router.Target("b", "fedb", cluster("b1", 2), false, dear),
                new Router.Target("c", "fedc", cluster("c1", 2), false, cheap),
                new Router.Target("d", "fedd", cluster("d1", 2), false, broken));
        Router router = new Router(calls, Duration.ofSeconds(5), null);
        Router.Decision d = router.route(new Router.Request(1, 2, 0, 90, List.of(), null,
                new Router.Weights(10, 30, 10)), targets);
        assertEquals("fedd", d.chosen().cluster()); // unknown price weighs nothing
        Router.Option c = d.options().get(1);
        assertEquals("fedc", c.cluster());
        assertEquals(0, new BigDecimal("1.25").compareTo(c.estimatedPrice()));
        assertTrue(c.why(), c.why().contains("price 1.2500 (c's own table)"));
        assertTrue(d.chosen().why(), d.chosen().why().contains("unknown (d gave no quote)"));
        assertEquals("fedb", d.options().get(2).cluster());
        assertEquals("the peer is asked for the job's own shape", 90, asked.get(0).timeLimitMinutes());
        Router.Decision withoutD = router.route(new Router.Request(1, 2, 0, 90, List.of(), null,
                new Router.Weights(10, 30, 10)), targets.subList(0, 2));
        assertEquals("fedc", withoutD.chosen().cluster());
    }

    @Test
    public void unreachableAndSilentCentersAreSkippedWithinTheDeadline() throws Exception {
        long t = System.nanoTime();
        Router.Decision d = new Router(calls, Duration.ofMillis(500), null).route(job(List.of("c", "d"), null),
                List.of(new Router.Target("c", "c1", failing(ErrorCode.UNAVAILABLE)),
                        new Router.Target("d", "d1", hanging()), new Router.Target("a", "a1", cluster("a1", 1))));
        assertTrue("the deadline holds", System.nanoTime() - t < 3_000_000_000L);
        assertEquals("a1", d.chosen().cluster());
        assertEquals(2, d.skipped().size());
        assertTrue(d.skipped().toString(), d.skipped().get(0).reason().startsWith("UNAVAILABLE"));
        assertTrue(d.skipped().toString(), d.skipped().get(1).reason().startsWith("no answer"));
    }

    @Test
    public void nothingFitsMeansNoChoice() throws Exception {
        Router.Decision d = new Router(calls, Duration.ofSeconds(5), null).route(
                new Router.Request(8, 2, 0, 60, List.of(), null, null),
                List.of(new Router.Target("a", "a1", cluster("a1", 2))));
        assertNull(d.chosen());
        assertTrue(d.skipped().get(0).reason().contains("8 node(s)"));
    }

    /** FIGURE: routing decision time over 10 in-memory clusters (median of 50 decisions). */
    @Test
    public void decisionTime() throws Exception {
        List<Router.Target> targets = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            targets.add(new Router.Target("c" + i, "k" + i, cluster("k" + i, 4)));
        }
        Router router = new Router(calls, Duration.ofSeconds(5), null);
        List<Long> micros = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            micros.add(router.route(job(List.of("c3"), "c5"), targets).decisionMicros());
        }
        Collections.sort(micros);
        System.out.println("FIGURE routing decision time, 10 in-memory clusters: median " + micros.get(25)
                + " us, p90 " + micros.get(45) + " us");
    }
}
