package org.scow.rest.v1;

import java.util.Map;
import org.scow.api.cluster.Cluster;
import org.scow.api.cluster.ClusterRegistry;
import org.scow.api.scheduler.SchedulerDriver;
import org.scow.rest.support.ApiException;

/** Finds a cluster's driver for a request: 404 if the cluster is unknown, 503 while it is offline. */
final class ClusterAccess {
    private ClusterAccess() {
    }

    static Cluster cluster(ClusterRegistry registry, String id) {
        return registry.cluster(id).orElseThrow(() -> ApiException.notFound("CLUSTER_NOT_FOUND",
                "no cluster '" + id + "'; GET /api/v1/clusters lists them", Map.of("cluster", id)));
    }

    static SchedulerDriver driver(ClusterRegistry registry, String id) {
        Cluster c = cluster(registry, id);
        return c.driver().orElseThrow(() -> new ApiException(503, "CLUSTER_OFFLINE",
                "cluster '" + id + "' is offline: " + c.offlineReason(), Map.of("cluster", id)));
    }
}
