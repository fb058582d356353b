package org.scow.core.internal;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import org.osgi.framework.Constants;
import org.osgi.service.cm.ConfigurationException;
import org.osgi.service.cm.ManagedServiceFactory;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.scow.api.cluster.Cluster;
import org.scow.api.cluster.Cluster.Reachability;
import org.scow.api.cluster.ClusterEvents;
import org.scow.api.cluster.ClusterRegistry;
import org.scow.api.health.HealthCheck;
import org.scow.api.scheduler.ClusterConfig;
import org.scow.api.scheduler.SchedulerDriverFactory;
import org.scow.api.scheduler.SchedulerException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one {@link ManagedCluster} per cluster configuration and connects it to the driver factory of its type
 * whenever one is registered, so drivers can be installed, upgraded and removed at runtime.
 */
@Component(service = {ClusterRegistry.class, ManagedServiceFactory.class, HealthCheck.class},
        property = Constants.SERVICE_PID + "=" + ClusterRegistry.FACTORY_PID, immediate = true)
public class ClusterRegistryImpl implements ClusterRegistry, ManagedServiceFactory, HealthCheck {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterRegistryImpl.class);

    /** Driver factories by type, best-ranked first; a type has more than one while a driver is being upgraded. */
    private final Map<String, List<SchedulerDriverFactory>> factories = new TreeMap<>();
    private final Map<String, ManagedCluster> byPid = new HashMap<>();

    /** How often and how patiently online schedulers are probed. */
    static final Duration PROBE_INTERVAL = Duration.ofSeconds(30);
    static final Duration PROBE_LIMIT = Duration.ofSeconds(20);
    private ScheduledExecutorService prober;
    private ExecutorService probeCalls;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile EventAdmin eventAdmin;

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    synchronized void bindFactory(SchedulerDriverFactory factory, Map<String, Object> props) {
        String type = driverType(props);
        if (type == null) {
            LOG.warn("Ignoring a SchedulerDriverFactory without the {} property", SchedulerDriverFactory.DRIVER_TYPE);
            return;
        }
        List<SchedulerDriverFactory> list = factories.computeIfAbsent(type, t -> new ArrayList<>());
        list.add(factory);
        if (list.size() == 1) {
            LOG.info("Driver '{}' installed", type);
            byPid.values().stream().filter(c -> c.driverType().equals(type)).forEach(c -> connect(c, factory));
        }
    }

    synchronized void unbindFactory(SchedulerDriverFactory factory, Map<String, Object> props) {
        String type = driverType(props);
        List<SchedulerDriverFactory> list = factories.get(type);
        if (list == null) {
            return;
        }
        boolean wasCurrent = !list.isEmpty() && list.get(0) == factory;
        list.remove(factory);
        if (list.isEmpty()) {
            factories.remove(type);
            LOG.info("Driver '{}' removed", type);
        }
        if (wasCurrent) {
            for (ManagedCluster c : byPid.values()) {
                if (c.driverType().equals(type)) {
                    disconnect(c, "the '" + type + "' driver was removed");
                    if (!list.isEmpty()) {
                        connect(c, list.get(0));
                    }
                }
            }
        }
    }

    @Override
    public String getName() {
        return "SCOW cluster registry";
    }

    @Override
    public synchronized void updated(String pid, Dictionary<String, ?> properties) throws ConfigurationException {
        ClusterConfig config;
        try {
            config = ClusterConfigParser.parse(properties);
        } catch (IllegalArgumentException e) {
            LOG.error("Cluster configuration {} rejected: {}", pid, e.getMessage());
            deleted(pid);
            throw new ConfigurationException(null, e.getMessage());
        }
        for (Map.Entry<String, ManagedCluster> e : byPid.entrySet()) {
            if (!e.getKey().equals(pid) && e.getValue().id().equals(config.id())) {
                String msg = "cluster id '" + config.id() + "' is already used by configuration " + e.getKey();
                LOG.error("Cluster configuration {} rejected: {}", pid, msg);
                throw new ConfigurationException(ClusterConfigParser.ID, msg);
            }
        }
        ManagedCluster old = byPid.remove(pid);
        if (old != null) {
            disconnect(old, "configuration changed");
        }
        ManagedCluster cluster = new ManagedCluster(config);
        byPid.put(pid, cluster);
        LOG.info("Cluster '{}' configured (driver '{}')", config.id(), config.driverType());
        List<SchedulerDriverFactory> list = factories.get(config.driverType());
        if (list != null && !list.isEmpty()) {
            connect(cluster, list.get(0));
        }
    }

    @Override
    public synchronized void deleted(String pid) {
        ManagedCluster cluster = byPid.remove(pid);
        if (cluster != null) {
            disconnect(cluster, "configuration removed");
            LOG.info("Cluster '{}' removed", cluster.id());
        }
    }

    @Activate
    void activate() {
        prober = Executors.newSingleThreadScheduledExecutor(daemon("scow-cluster-probe"));
        probeCalls = Executors.newCachedThreadPool(daemon("scow-cluster-probe-call"));
        ClusterProbe probe = new ClusterProbe(probeCalls, PROBE_LIMIT, Clock.systemUTC());
        prober.scheduleWithFixedDelay(() -> probe.probe(onlineClusters(), this::recordReachability),
                5, PROBE_INTERVAL.toSeconds(), TimeUnit.SECONDS);
    }

    private synchronized List<ManagedCluster> onlineClusters() {
        return byPid.values().stream().filter(ManagedCluster::online).toList();
    }

    private void recordReachability(ManagedCluster cluster, Reachability now) {
        Reachability before = cluster.reachability();
        cluster.reachability(now);
        if (before == null ? !now.reachable() : before.reachable() != now.reachable()) {
            if (now.reachable()) {
                LOG.info("Cluster '{}' answers again", cluster.id());
                post(ClusterEvents.REACHABLE, cluster, null);
            } else {
                LOG.warn("Cluster '{}' does not answer: {}", cluster.id(), now.problem());
                post(ClusterEvents.UNREACHABLE, cluster, now.problem());
            }
        }
    }

    private static ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    @Deactivate
    synchronized void deactivate() {
        prober.shutdownNow();
        probeCalls.shutdownNow();
        byPid.values().forEach(c -> disconnect(c, "platform stopping"));
        byPid.clear();
    }

    @Override
    public synchronized List<Cluster> clusters() {
        List<Cluster> list = new ArrayList<>(byPid.values());
        list.sort(Comparator.comparing(Cluster::id));
        return list;
    }

    @Override
    public synchronized Optional<Cluster> cluster(String id) {
        return byPid.values().stream().filter(c -> c.id().equals(id)).map(Cluster.class::cast).findFirst();
    }

    @Override
    public synchronized List<String> driverTypes() {
        return List.copyOf(factories.keySet());
    }

    @Override
    public String name() {
        return "clusters";
    }

    @Override
    public Result check() {
        List<Cluster> all = clusters();
        List<String> offline = all.stream().filter(c -> !c.online()).map(Cluster::id).toList();
        List<String> unreachable = all.stream()
                .filter(c -> c.reachability() != null && !c.reachability().reachable()).map(Cluster::id).toList();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("configured", all.size());
        details.put("online", all.size() - offline.size());
        details.put("offline", offline);
        details.put("unreachable", unreachable);
        details.put("drivers", driverTypes());
        if (offline.isEmpty() && unreachable.isEmpty()) {
            return Result.up(all.size() + " cluster(s) online", details);
        }
        List<String> problems = new ArrayList<>();
        if (!offline.isEmpty()) {
            problems.add("offline: " + String.join(", ", offline));
        }
        if (!unreachable.isEmpty()) {
            problems.add("not answering: " + String.join(", ", unreachable));
        }
        return new Result(Status.DEGRADED, String.join("; ", problems), details);
    }

    private void connect(ManagedCluster cluster, SchedulerDriverFactory factory) {
        try {
            cluster.online(factory.create(cluster.config()));
            LOG.info("Cluster '{}' online", cluster.id());
            post(ClusterEvents.ONLINE, cluster, null);
        } catch (SchedulerException | RuntimeException e) {
            String reason = "driver rejected the configuration: " + e.getMessage();
            cluster.offline(reason);
            LOG.error("Cluster '{}' offline: {}", cluster.id(), reason);
            post(ClusterEvents.OFFLINE, cluster, reason);
        }
    }

    private void disconnect(ManagedCluster cluster, String reason) {
        boolean wasOnline = cluster.online();
        try {
            cluster.offline(reason);
        } catch (RuntimeException e) {
            LOG.warn("Driver of cluster '{}' failed to close", cluster.id(), e);
        }
        if (wasOnline) {
            LOG.info("Cluster '{}' offline: {}", cluster.id(), reason);
            post(ClusterEvents.OFFLINE, cluster, reason);
        }
    }

    private void post(String topic, Cluster cluster, String reason) {
        EventAdmin ea = eventAdmin;
        if (ea != null) {
            Map<String, Object> props = new HashMap<>();
            props.put(ClusterEvents.CLUSTER, cluster.id());
            if (reason != null) {
                props.put(ClusterEvents.REASON, reason);
            }
            ea.postEvent(new Event(topic, props));
        }
    }

    private static String driverType(Map<String, Object> props) {
        Object t = props.get(SchedulerDriverFactory.DRIVER_TYPE);
        return t == null ? null : String.valueOf(t);
    }
}
