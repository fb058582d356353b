package org.scow.management.internal;

import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;
import org.scow.api.cluster.ClusterEvents;
import org.scow.api.cluster.ClusterRegistry;
import org.scow.management.BlockFacts;
import org.scow.management.ClusterSync;
import org.scow.management.ManagementService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the clusters in line with the platform: after every change, on start, every
 * {@code reconcileIntervalMinutes} (PID {@code org.scow.management}), on demand, and whenever a cluster comes online
 * (so an offline cluster gets what it missed).
 */
@Component(service = {ClusterSync.class, EventHandler.class}, immediate = true,
        configurationPid = "org.scow.management",
        property = EventConstants.EVENT_TOPIC + "=" + ClusterEvents.ONLINE)
public class ClusterSyncComponent implements ClusterSync, EventHandler {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterSyncComponent.class);

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile BlockFacts facts;

    private final AccountChanges changes;
    private final org.osgi.framework.BundleContext context;
    private volatile BlockFacts lookedUp;
    private final ClusterSyncService sync;
    private final ScheduledExecutorService executor;

    @Activate
    public ClusterSyncComponent(@Reference ClusterRegistry registry, @Reference ManagementService management,
                                @Reference AccountChanges changes, @Reference ClusterWriter writer,
                                ManagementComponent.Config config, org.osgi.framework.BundleContext context) {
        this.changes = changes;
        // Billing (the money facts) needs this component to start, and this one binds billing's facts while it
        // starts: when something else asks for billing first, that bind meets the cycle, fails, and no later event
        // repeats it. So a sync that finds the reference unbound looks the facts up itself, outside any activation.
        this.context = context;
        this.sync = new ClusterSyncService(registry, management, this::facts, Clock.systemUTC(), writer);
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "scow-block-sync");
            t.setDaemon(true);
            return t;
        });
        changes.listen(a -> executor.execute(() -> quietly(() -> sync.syncAccount(a))),
                (a, u) -> executor.execute(() -> quietly(() -> sync.removeMember(a, u))));
        long every = Math.max(1, config.reconcileIntervalMinutes());
        executor.scheduleWithFixedDelay(() -> quietly(() -> sync.reconcile(null)), 5, every * 60, TimeUnit.SECONDS);
    }

    private BlockFacts facts() {
        BlockFacts bound = facts;
        if (bound != null) {
            return bound;
        }
        BlockFacts f = lookedUp;
        if (f == null) {
            try {
                org.osgi.framework.ServiceReference<BlockFacts> ref = context.getServiceReference(BlockFacts.class);
                f = ref == null ? null : context.getService(ref);
            } catch (IllegalStateException | org.osgi.framework.ServiceException e) {
                f = null; // stopping, or billing is starting right now: the next sync asks again
            }
            lookedUp = f;
        }
        return f;
    }

    @Deactivate
    void stop() {
        changes.listen(null, null);
        executor.shutdownNow();
    }

    @Override
    public Report reconcile(String cluster) {
        return sync.reconcile(cluster);
    }

    @Override
    public Report syncAccount(String account) {
        return sync.syncAccount(account);
    }

    @Override
    public void handleEvent(Event event) {
        Object cluster = event.getProperty(ClusterEvents.CLUSTER);
        if (cluster != null) {
            executor.execute(() -> quietly(() -> sync.reconcile(cluster.toString())));
        }
    }

    private static void quietly(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            LOG.warn("Block sync failed; the next run retries", e);
        }
    }
}
