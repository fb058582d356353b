package org.scow.billing.internal;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.persistence.EntityManagerFactory;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.scow.api.cluster.ClusterRegistry;
import org.scow.api.health.HealthCheck;
import org.scow.billing.BillingService;
import org.scow.management.AuditLog;
import org.scow.management.BlockFacts;
import org.scow.management.ClusterSync;
import org.scow.management.ManagementService;
import org.scow.persistence.Database;

/**
 * Migrates the billing schema, wires the {@link BillingService} and registers it, offers the money facts to block
 * reconciliation, runs the job fetch and charge loop for every online cluster every {@code fetchIntervalSeconds},
 * and reports (health check {@code billing}, DEGRADED) any partition of an online cluster without a default price.
 * Configuration PID {@code org.scow.billing}.
 */
@Component(service = {BlockFacts.class, HealthCheck.class}, immediate = true, configurationPid = "org.scow.billing")
@Designate(ocd = BillingComponent.Config.class)
public class BillingComponent implements BlockFacts, HealthCheck {
    public static final String CHANGELOG = "db/billing/changelog.xml";

    /** Configuration of PID {@code org.scow.billing}. */
    @ObjectClassDefinition(name = "SCOW billing",
            description = "Job charging: rounding, fetch interval and page size")
    public @interface Config {
        @AttributeDefinition(description = "Decimals a job charge is rounded to (0..4)")
        int chargePrecision() default 4;

        @AttributeDefinition(description = "Least charge of a job whose price is above zero")
        String minCharge() default "0";

        @AttributeDefinition(description = "Seconds between two runs of the job fetch and charge loop (at least 5)")
        long fetchIntervalSeconds() default 60;

        @AttributeDefinition(description = "Jobs asked from a scheduler per page")
        int fetchPageSize() default 500;

        @AttributeDefinition(description = "How far before the watermark each fetch looks again, for jobs the "
                + "scheduler reports late (seconds)")
        long fetchOverlapSeconds() default 600;
    }

    private final BillingServiceImpl service;
    private final FetchLoop loop;
    private final ServiceRegistration<BillingService> registration;

    @Activate
    public BillingComponent(@Reference(target = "(osgi.unit.name=scow-billing)") EntityManagerFactory emf,
                            @Reference Database database, @Reference ManagementService management,
                            @Reference AuditLog audit, @Reference ClusterSync sync,
                            @Reference ClusterRegistry registry, Config config, BundleContext context) {
        database.migrate(CHANGELOG, BillingComponent.class.getClassLoader());
        Clock clock = Clock.systemUTC();
        this.service = new BillingServiceImpl(emf, management, audit, clock,
                new Pricing(config.chargePrecision(), new BigDecimal(config.minCharge())));
        service.onAccountStateChanged(sync::syncAccount);
        JobFetcher fetcher = new JobFetcher(service.jobCharging(), clock, config.fetchPageSize(),
                Duration.ofSeconds(config.fetchOverlapSeconds()));
        this.loop = new FetchLoop(registry, fetcher, Duration.ofSeconds(config.fetchIntervalSeconds()));
        service.attach(loop);
        this.registration = context.registerService(BillingService.class, service, null);
    }

    @Deactivate
    void stop() {
        try {
            registration.unregister();
        } catch (IllegalStateException alreadyGone) {
            // the framework unregistered it with the bundle
        }
        loop.stop();
    }

    @Override
    public String name() {
        return "billing";
    }

    @Override
    public Result check() {
        List<String> missing = service.missingDefaultPrices();
        if (missing.isEmpty()) {
            return Result.up("every partition of the online clusters has a default price", Map.of());
        }
        return new Result(Status.DEGRADED, "no default price for " + String.join(", ", missing)
                + ": their jobs are stored but not charged until one is added (POST /api/v1/billing/prices)",
                Map.of("missingDefaultPrices", missing));
    }

    @Override
    public Set<String> belowThreshold(Map<String, String> accounts) {
        return service.belowThreshold(accounts);
    }

    @Override
    public Map<String, Set<String>> usersOverLimit() {
        return service.usersOverLimit();
    }
}
