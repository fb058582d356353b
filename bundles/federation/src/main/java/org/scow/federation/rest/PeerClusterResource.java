package org.scow.federation.rest;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.ws.rs.Consumes;
import javax.ws.rs.DELETE;
import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.PUT;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.SecurityContext;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JSONRequired;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;
import org.scow.api.billing.CenterBilling;
import org.scow.api.cluster.Cluster;
import org.scow.api.cluster.ClusterRegistry;
import org.scow.api.scheduler.AccountBlockStatus;
import org.scow.api.scheduler.ClusterAccount;
import org.scow.api.scheduler.ClusterUsage;
import org.scow.api.scheduler.JobInfo;
import org.scow.api.scheduler.JobQuery;
import org.scow.api.scheduler.JobSpec;
import org.scow.api.scheduler.NodeInfo;
import org.scow.api.scheduler.Partition;
import org.scow.api.scheduler.SchedulerDriver;
import org.scow.api.scheduler.SchedulerException;
import org.scow.api.scheduler.SubmittedJob;
import org.scow.api.security.SystemAccountPolicy;
import org.scow.federation.Grant;
import org.scow.federation.internal.CreditGuard;
import org.scow.federation.internal.FederationStore;
import org.scow.federation.internal.SettlementComponent;
import org.scow.federation.internal.GrantedDriver;
import org.scow.federation.internal.PeerPrincipal;
import org.scow.rest.support.ApiException;
import org.scow.rest.support.Params;
import org.scow.rest.support.Public;

/**
 * The scheduler SPI of this center's clusters for peers, confined to their grants ({@link GrantedDriver}). Public
 * to the user authentication (peers have no user session); every call must carry a valid peer signature, checked by
 * the federation's request filter, and each method refuses a request that was not verified (fail closed). A cluster
 * no grant of the peer applies to does not exist for it.
 */
@Component(service = PeerClusterResource.class)
@JaxrsResource
@JSONRequired
@Path("/api/v1/federation/peer/clusters/{cluster}")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "federation-peer", description = "Scheduler operations for peer centers (signed requests, within grants)")
public class PeerClusterResource {
    @Context
    private SecurityContext security;

    @Reference
    private ClusterRegistry registry;

    @Reference
    private FederationStore store;

    @Reference
    private SystemAccountPolicy systemAccounts;

    @Reference
    private SettlementComponent ledger;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile CenterBilling billing;

    /** An account to create. */
    public record NewPeerAccount(String name, String owner) {
    }

    /** Partitions to block; empty or absent: the whole account. */
    public record BlockRequest(List<String> partitions) {
    }

    /** A raw batch script. */
    public record ScriptSubmission(String user, String script, String workingDirectory) {
    }

    /** A time-limit change. */
    public record TimeLimitChange(Long deltaMinutes) {
    }

    /** A time limit, or a yes/no answer. */
    public record Value(Object value) {
    }

    private GrantedDriver view(String cluster) {
        if (!(security == null ? null : security.getUserPrincipal() instanceof PeerPrincipal)) {
            throw new ApiException(401, "UNAUTHENTICATED", "peer endpoints need a signed request", Map.of());
        }
        PeerPrincipal peer = (PeerPrincipal) security.getUserPrincipal();
        List<Grant> grants = store.grants(peer.peer()).stream().filter(g -> g.appliesTo(cluster)).toList();
        Cluster c = grants.isEmpty() ? null : registry.cluster(cluster).orElse(null);
        if (c == null) {
            throw ApiException.notFound("CLUSTER_NOT_FOUND", "no cluster '" + cluster + "' is granted to you",
                    Map.of("cluster", cluster));
        }
        SchedulerDriver driver = c.driver().orElseThrow(() -> new ApiException(503, "CLUSTER_OFFLINE",
                "cluster '" + cluster + "' is offline", Map.of("cluster", cluster)));
        return new GrantedDriver(driver, grants, systemAccounts::refusal, cluster, new CreditGuard(peer.peer(), ledger,
                () -> billing, this::onlineClusters, systemAccounts::refusal));
    }

    private Map<String, SchedulerDriver> onlineClusters() {
        Map<String, SchedulerDriver> out = new java.util.LinkedHashMap<>();
        for (Cluster c : registry.clusters()) {
            c.driver().ifPresent(d -> out.put(c.id(), d));
        }
        return out;
    }

    @GET
    @Path("accounts")
    @Operation(summary = "Granted accounts with their mapped members and blocks")
    @Public
    public List<ClusterAccount> accounts(@PathParam("cluster") String cluster) throws SchedulerException {
        return view(cluster).allAccounts();
    }

    @POST
    @Path("accounts")
    @Operation(summary = "Create a granted account")
    @Public
    public Response create(@PathParam("cluster") String cluster, NewPeerAccount a) throws SchedulerException {
        Params.body(a);
        view(cluster).createAccount(Params.name("name", a.name()), Params.name("owner", a.owner()));
        return Response.status(201).build();
    }

    @DELETE
    @Path("accounts/{account}")
    @Public
    public Response delete(@PathParam("cluster") String cluster, @PathParam("account") String account)
            throws SchedulerException {
        view(cluster).deleteAccount(Params.name("account", account));
        return Response.noContent().build();
    }

    @GET
    @Path("accounts/{account}/block")
    @Public
    public AccountBlockStatus blockStatus(@PathParam("cluster") String cluster, @PathParam("account") String account)
            throws SchedulerException {
        return view(cluster).accountBlockStatus(Params.name("account", account));
    }

    @PUT
    @Path("accounts/{account}/block")
    @Public
    public Response block(@PathParam("cluster") String cluster, @PathParam("account") String account,
                          BlockRequest r) throws SchedulerException {
        Set<String> partitions = r == null ? Set.of() : Params.names("partitions", r.partitions());
        GrantedDriver d = view(cluster);
        if (partitions.isEmpty()) {
            d.blockAccount(Params.name("account", account));
        } else {
            d.blockAccount(Params.name("account", account), partitions);
        }
        return Response.noContent().build();
    }

    @DELETE
    @Path("accounts/{account}/block")
    @Public
    public Response unblock(@PathParam("cluster") String cluster, @PathParam("account") String account,
                            @QueryParam("partition") List<String> partition) throws SchedulerException {
        Set<String> partitions = Params.names("partition", partition);
        GrantedDriver d = view(cluster);
        if (partitions.isEmpty()) {
            d.unblockAccount(Params.name("account", account));
        } else {
            d.unblockAccount(Params.name("account", account), partitions);
        }
        return Response.noContent().build();
    }

    @PUT
    @Path("accounts/{account}/users/{user}")
    @Public
    public Response addUser(@PathParam("cluster") String cluster, @PathParam("account") String account,
                            @PathParam("user") String user) throws SchedulerException {
        view(cluster).addUserToAccount(Params.name("user", user), Params.name("account", account));
        return Response.noContent().build();
    }

    @DELETE
    @Path("accounts/{account}/users/{user}")
    @Public
    public Response removeUser(@PathParam("cluster") String cluster, @PathParam("account") String account,
                               @PathParam("user") String user) throws SchedulerException {
        view(cluster).removeUserFromAccount(Params.name("user", user), Params.name("account", account));
        return Response.noContent().build();
    }

    @GET
    @Path("accounts/{account}/users/{user}/block")
    @Public
    public Value userBlocked(@PathParam("cluster") String cluster, @PathParam("account") String account,
                             @PathParam("user") String user) throws SchedulerException {
        return new Value(view(cluster).isUserBlockedInAccount(Params.name("user", user),
                Params.name("account", account)));
    }

    @PUT
    @Path("accounts/{account}/users/{user}/block")
    @Public
    public Response blockUser(@PathParam("cluster") String cluster, @PathParam("account") String account,
                              @PathParam("user") String user) throws SchedulerException {
        view(cluster).blockUserInAccount(Params.name("user", user), Params.name("account", account));
        return Response.noContent().build();
    }

    @DELETE
    @Path("accounts/{account}/users/{user}/block")
    @Public
    public Response unblockUser(@PathParam("cluster") String cluster, @PathParam("account") String account,
                                @PathParam("user") String user) throws SchedulerException {
        view(cluster).unblockUserInAccount(Params.name("user", user), Params.name("account", account));
        return Response.noContent().build();
    }

    @GET
    @Path("users/{user}/accounts")
    @Public
    public List<String> userAccounts(@PathParam("cluster") String cluster, @PathParam("user") String user)
            throws SchedulerException {
        return view(cluster).listAccounts(Params.name("user", user));
    }

    @DELETE
    @Path("users/{user}")
    @Public
    public Response deleteUser(@PathParam("cluster") String cluster, @PathParam("user") String user)
            throws SchedulerException {
        view(cluster).deleteUser(Params.name("user", user));
        return Response.noContent().build();
    }

    @POST
    @Path("jobs")
    @Operation(summary = "Submit a job under a granted account")
    @Public
    public Response submit(@PathParam("cluster") String cluster, JobSpec spec) throws SchedulerException {
        Params.body(spec).validate();
        SubmittedJob job = view(cluster).submitJob(spec);
        return Response.status(201).entity(job).build();
    }

    @POST
    @Path("jobs/script")
    @Public
    public Response submitScript(@PathParam("cluster") String cluster, ScriptSubmission s) throws SchedulerException {
        Params.name("user", Params.body(s).user());
        if (s.script() == null || s.script().isBlank()) {
            throw ApiException.badField("script", "must not be empty");
        }
        if (s.workingDirectory() == null || !s.workingDirectory().startsWith("/")) {
            throw ApiException.badField("workingDirectory", "must be an absolute path");
        }
        SubmittedJob job = view(cluster).submitScript(s.user(), s.script(), s.workingDirectory());
        return Response.status(201).entity(job).build();
    }

    @POST
    @Path("jobs/query")
    @Operation(summary = "Jobs of granted accounts matching the query")
    @Public
    public JobQuery.Result query(@PathParam("cluster") String cluster, JobQuery query) throws SchedulerException {
        return view(cluster).queryJobs(query == null ? JobQuery.all() : query);
    }

    @GET
    @Path("jobs/{jobId}")
    @Public
    public JobInfo job(@PathParam("cluster") String cluster, @PathParam("jobId") String jobId)
            throws SchedulerException {
        return view(cluster).getJob(jobId);
    }

    @DELETE
    @Path("jobs/{jobId}")
    @Public
    public Response cancel(@PathParam("cluster") String cluster, @PathParam("jobId") String jobId,
                           @QueryParam("user") String user) throws SchedulerException {
        view(cluster).cancelJob(Params.name("user", user), jobId);
        return Response.noContent().build();
    }

    @GET
    @Path("jobs/{jobId}/time-limit")
    @Public
    public Value timeLimit(@PathParam("cluster") String cluster, @PathParam("jobId") String jobId)
            throws SchedulerException {
        return new Value(view(cluster).timeLimitMinutes(jobId));
    }

    @POST
    @Path("jobs/{jobId}/time-limit")
    @Public
    public Response changeTimeLimit(@PathParam("cluster") String cluster, @PathParam("jobId") String jobId,
                                    TimeLimitChange change) throws SchedulerException {
        if (Params.body(change).deltaMinutes() == null) {
            throw ApiException.badField("deltaMinutes", "is required");
        }
        view(cluster).changeTimeLimit(jobId, change.deltaMinutes());
        return Response.noContent().build();
    }

    /** A job shape to price; absent fields as in a federated submission (1 node, 1 core, 0 GPUs, 60 minutes). */
    public record Shape(Integer nodes, Integer coresPerNode, Integer gpusPerNode, Long timeLimitMinutes) {
    }

    @POST
    @Path("prices")
    @Operation(summary = "This center's own price of a job shape at its whole time limit, per partition of the "
            + "cluster (partitions without a price are left out): what the peer's router weighs")
    @Public
    public Map<String, java.math.BigDecimal> prices(@PathParam("cluster") String cluster, Shape s)
            throws SchedulerException {
        GrantedDriver d = view(cluster);
        Shape shape = s == null ? new Shape(null, null, null, null) : s;
        int nodes = bounded("nodes", shape.nodes(), 1, 1, 100_000);
        int cores = bounded("coresPerNode", shape.coresPerNode(), 1, 1, 100_000);
        int gpus = bounded("gpusPerNode", shape.gpusPerNode(), 0, 0, 1_000);
        long minutes = bounded("timeLimitMinutes", shape.timeLimitMinutes() == null ? null
                : shape.timeLimitMinutes().intValue(), 60, 1, 525_600);
        CenterBilling b = billing;
        Map<String, java.math.BigDecimal> out = new java.util.TreeMap<>();
        if (b == null) {
            return out;
        }
        for (Partition p : d.partitions()) {
            b.price(cluster, JobInfo.builder("quote", org.scow.api.scheduler.JobState.PENDING).partition(p.name())
                    .cpusReq(nodes * cores).gpusReq(nodes * gpus).nodesReq(nodes).timeLimitMinutes(minutes)
                    .elapsedSeconds(minutes * 60).build()).ifPresent(price -> out.put(p.name(), price));
        }
        return out;
    }

    private static int bounded(String field, Integer value, int absent, int min, int max) {
        if (value == null) {
            return absent;
        }
        if (value < min || value > max) {
            throw ApiException.badField(field, "must be " + min + ".." + max);
        }
        return value;
    }

    @GET
    @Path("partitions")
    @Public
    public List<Partition> partitions(@PathParam("cluster") String cluster, @QueryParam("account") String account,
                                      @QueryParam("user") String user) throws SchedulerException {
        GrantedDriver d = view(cluster);
        if (account == null && user == null) {
            return d.partitions();
        }
        return d.availablePartitions(Params.name("account", account), Params.name("user", user));
    }

    @GET
    @Path("usage")
    @Public
    public ClusterUsage usage(@PathParam("cluster") String cluster) throws SchedulerException {
        return view(cluster).usage();
    }

    @GET
    @Path("nodes")
    @Public
    public List<NodeInfo> nodes(@PathParam("cluster") String cluster, @QueryParam("name") List<String> names)
            throws SchedulerException {
        return view(cluster).nodes(Params.list(names));
    }
}
