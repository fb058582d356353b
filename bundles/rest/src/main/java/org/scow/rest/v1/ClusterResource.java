package org.scow.rest.v1;

import org.scow.rest.support.Authenticated;
import org.scow.rest.support.Allow;
import org.scow.api.security.Role;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import java.util.Set;
import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.MediaType;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JSONRequired;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;
import org.scow.api.cluster.Cluster;
import org.scow.api.cluster.ClusterRegistry;
import org.scow.api.scheduler.ClusterUsage;
import org.scow.api.scheduler.DriverInfo;
import org.scow.api.scheduler.NodeInfo;
import org.scow.api.scheduler.Partition;
import org.scow.api.scheduler.SchedulerDriver;
import org.scow.api.scheduler.SchedulerException;
import org.scow.persistence.ClusterEventLog;
import org.scow.rest.support.ApiException;
import org.scow.rest.support.Params;

@Component(service = ClusterResource.class)
@JaxrsResource
@JSONRequired
@Path("/api/v1/clusters")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "clusters", description = "Configured clusters, their partitions, nodes and usage")
public class ClusterResource {
    @Reference
    private ClusterRegistry registry;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile ClusterEventLog eventLog;

    /** A cluster and, while online, what its driver says about itself. */
    /**
     * A cluster and, while online, what its driver says about itself and whether its scheduler answered the last
     * probe ({@code reachability}, absent until the first probe).
     */
    public record ClusterView(String id, String displayName, String driver, boolean online, String offlineReason,
                              DriverInfo driverInfo, Cluster.Reachability reachability) {
        static ClusterView of(Cluster c) {
            return new ClusterView(c.id(), c.displayName(), c.driverType(), c.online(), c.offlineReason(),
                    c.driver().map(SchedulerDriver::info).orElse(null), c.reachability());
        }
    }

    @GET
    @Operation(summary = "All configured clusters, online or not")
    @Authenticated
    public List<ClusterView> clusters() {
        return registry.clusters().stream().map(ClusterView::of).toList();
    }

    @GET
    @Path("{cluster}")
    @Operation(summary = "One cluster")
    @Authenticated
    public ClusterView cluster(@PathParam("cluster") String id) {
        return ClusterView.of(ClusterAccess.cluster(registry, id));
    }

    @GET
    @Path("{cluster}/partitions")
    @Operation(summary = "Partitions; with account and user, only those the user may submit to under that account")
    @Authenticated
    public List<Partition> partitions(@PathParam("cluster") String id, @QueryParam("account") String account,
                                      @QueryParam("user") String user) throws SchedulerException {
        SchedulerDriver driver = ClusterAccess.driver(registry, id);
        if (account == null && user == null) {
            return driver.partitions();
        }
        return driver.availablePartitions(Params.name("account", account), Params.name("user", user));
    }

    @GET
    @Path("{cluster}/usage")
    @Operation(summary = "Node, CPU, GPU and job counts, in total and per partition")
    @Authenticated
    public ClusterUsage usage(@PathParam("cluster") String id) throws SchedulerException {
        return ClusterAccess.driver(registry, id).usage();
    }

    @GET
    @Path("{cluster}/nodes")
    @Operation(summary = "Compute nodes; name (repeatable or comma-separated) selects some")
    @Authenticated
    public List<NodeInfo> nodes(@PathParam("cluster") String id, @QueryParam("name") List<String> names)
            throws SchedulerException {
        Set<String> selected = Params.list(names);
        return ClusterAccess.driver(registry, id).nodes(selected);
    }

    @GET
    @Path("{cluster}/events")
    @Operation(summary = "The cluster's recent events (online, offline, blocks), newest first")
    @Allow({Role.PLATFORM_ADMIN})
    public List<ClusterEventLog.Entry> events(@PathParam("cluster") String id, @QueryParam("limit") String limit) {
        ClusterAccess.cluster(registry, id);
        ClusterEventLog log = eventLog;
        if (log == null) {
            throw new ApiException(503, "DATABASE_UNAVAILABLE", "the platform database is not ready; see /api/v1/health",
                    java.util.Map.of());
        }
        Integer n = Params.integer("limit", limit, 1, 1000);
        return log.recent(id, n == null ? 100 : n);
    }
}
