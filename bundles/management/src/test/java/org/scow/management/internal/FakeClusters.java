package org.scow.management.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.scow.api.cluster.Cluster;
import org.scow.api.cluster.ClusterRegistry;
import org.scow.api.scheduler.ClusterConfig;
import org.scow.api.scheduler.SchedulerDriver;
import org.scow.itest.driver.TestDriverFactory;

/** A cluster registry over in-memory "test" drivers that tests can take offline and bring back. */
public final class FakeClusters implements ClusterRegistry {
    public static final class FakeCluster implements Cluster {
        private final String id;
        public final SchedulerDriver scheduler;
        public volatile boolean online = true;

        FakeCluster(String id, Map<String, String> settings) throws Exception {
            this.id = id;
            this.scheduler = new TestDriverFactory().create(new ClusterConfig(id, id, "test", settings));
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public String displayName() {
            return id;
        }

        @Override
        public String driverType() {
            return "test";
        }

        @Override
        public Optional<SchedulerDriver> driver() {
            return online ? Optional.of(scheduler) : Optional.empty();
        }

        @Override
        public String offlineReason() {
            return online ? null : "taken offline by the test";
        }

        @Override
        public Reachability reachability() {
            return null; // never probed
        }
    }

    private final List<FakeCluster> clusters = new ArrayList<>();

    public FakeCluster add(String id, Map<String, String> settings) throws Exception {
        FakeCluster c = new FakeCluster(id, settings);
        clusters.add(c);
        clusters.sort(Comparator.comparing(Cluster::id));
        return c;
    }

    public void closeAll() {
        clusters.forEach(c -> c.scheduler.close());
    }

    @Override
    public List<Cluster> clusters() {
        return List.copyOf(clusters);
    }

    @Override
    public Optional<Cluster> cluster(String id) {
        return clusters.stream().filter(c -> c.id().equals(id)).map(c -> (Cluster) c).findFirst();
    }

    @Override
    public List<String> driverTypes() {
        return List.of("test");
    }
}
