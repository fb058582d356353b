package org.scow.billing.internal;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.persistence.EntityManagerFactory;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.scow.api.cluster.Cluster;
import org.scow.api.cluster.ClusterRegistry;
import org.scow.api.health.HealthCheck;
import org.scow.api.scheduler.Partition;
import org.scow.api.scheduler.SchedulerDriver;
import org.scow.management.AuditLog;
import org.scow.management.BlockFacts;
import org.scow.management.ClusterSync;
import org.scow.management.ManagementService;
import org.scow.persistence.Database;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Migrates the billing schema, offers the money facts to block reconciliation, runs the job fetch and charge loop
 * for every online cluster every {@code fetchIntervalSeconds}, and reports (health check {@code billing}, DEGRADED)
 * any partition of an online cluster without a default price. Configuration PID {@code org.scow.billing}.
 */
@Component(service = {BillingComponent.class, BlockFacts.class, HealthCheck.class}, immediate = true,
        configurationPid = "org.scow.billing")
public class BillingComponent implements BlockFacts, HealthCheck {
    private static final Logger LOG = LoggerFactory.getLogger(BillingComponent.class);
    public static final String CHANGELOG = "db/billing/changelog.xml";

    /** Configuration of PID {@code org.scow.billing}. */
    public @interface Config {
        /** Decimals a job charge is rounded to (0..4). */
        int chargePrecision() default 4;

        /** Least charge of a job whose price is above zero. */
        String minCharge() default "0";

        long fetchIntervalSeconds() default 60;

        int fetchPageSize() default 500;

        /** How far before the watermark each fetch looks again, for jobs the scheduler reports late. */
        long fetchOverlapSeconds() default 600;
    }

    private final ClusterRegistry registry;
    private final BillingStore store;
    private final JobFetcher fetcher;
    private final ScheduledExecutorService executor;
    private final Map<String, List<String>> partitions = new ConcurrentHashMap<>();

    @Activate
    public BillingComponent(@Reference(target = "(osgi.unit.name=scow-billing)") EntityManagerFactory emf,
                            @Reference Database database, @Reference ManagementService management,
                            @Reference AuditLog audit, @Reference ClusterSync sync,
                            @Reference ClusterRegistry registry, Config config) {
        database.migrate(CHANGELOG, BillingComponent.class.getClassLoader());
        this.registry = registry;
        Clock clock = Clock.systemUTC();
        this.store = new BillingStore(emf, management, audit, clock,
                new Pricing(config.chargePrecision(), new BigDecimal(config.minCharge())));
        store.onAccountStateChanged(sync::syncAccount);
        this.fetcher = new JobFetcher(store, clock, config.fetchPageSize(),
                Duration.ofSeconds(config.fetchOverlapSeconds()));
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "scow-billing-fetch");
            t.setDaemon(true);
            return t;
        });
        executor.scheduleWithFixedDelay(this::fetchAllQuietly, 10, Math.max(5, config.fetchIntervalSeconds()),
                TimeUnit.SECONDS);
    }

    @Deactivate
    void stop() {
        executor.shutdownNow();
    }

    public BillingStore store() {
        return store;
    }

    /** Runs the fetch and charge loop now on one cluster or all online ones; one result or error per cluster. */
    public synchronized List<Object> fetchNow(String cluster) {
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

    /** Partitions of online clusters without a default price, as "cluster/partition". */
    public List<String> missingDefaultPrices() {
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
        return store.missingDefaultPrices(online, Clock.systemUTC().instant());
    }

    @Override
    public String name() {
        return "billing";
    }

    @Override
    public Result check() {
        List<String> missing = missingDefaultPrices();
        if (missing.isEmpty()) {
            return Result.up("every partition of the online clusters has a default price", Map.of());
        }
        return new Result(Status.DEGRADED, "no default price for " + String.join(", ", missing)
                + ": their jobs are stored but not charged until one is added (POST /api/v1/billing/prices)",
                Map.of("missingDefaultPrices", missing));
    }

    @Override
    public java.util.Set<String> belowThreshold(Map<String, String> accounts) {
        return store.belowThreshold(accounts);
    }

    @Override
    public Map<String, java.util.Set<String>> usersOverLimit() {
        return store.usersOverLimit();
    }
}
