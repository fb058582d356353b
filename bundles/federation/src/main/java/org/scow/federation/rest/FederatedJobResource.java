package org.scow.federation.rest;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import com.fasterxml.jackson.core.type.TypeReference;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.ws.rs.Consumes;
import javax.ws.rs.DELETE;
import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.SecurityContext;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JSONRequired;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;
import org.scow.api.cluster.Cluster;
import org.scow.api.cluster.ClusterRegistry;
import org.scow.api.scheduler.JobFilter;
import org.scow.api.scheduler.JobInfo;
import org.scow.api.scheduler.JobQuery;
import org.scow.api.scheduler.JobSpec;
import org.scow.api.scheduler.SchedulerDriver;
import org.scow.api.scheduler.SchedulerException;
import org.scow.api.scheduler.SubmittedJob;
import org.scow.api.security.SystemAccountPolicy;
import org.scow.api.scheduler.util.Names;
import org.scow.federation.CenterIdentity;
import org.scow.federation.FederationAudit;
import org.scow.federation.PeerDirectory;
import org.scow.federation.SignedRequests;
import org.scow.federation.client.PeerClient;
import org.scow.api.billing.CenterBilling;
import org.scow.federation.internal.Router;
import org.scow.rest.support.ApiException;
import org.scow.rest.support.Authenticated;
import org.scow.rest.support.Caller;
import org.scow.rest.support.Params;

/**
 * Jobs submitted to the federation rather than to a cluster: the {@link Router} picks center, cluster and partition
 * among this center's online clusters (a peer's cluster is one with the remote driver) and the answer says why.
 * A federated job's id is {@code <home center>:<cluster>:<job id>}; the user lists, watches and cancels it here.
 */
@Component(service = FederatedJobResource.class)
@JaxrsResource
@JSONRequired
@Path("/api/v1/federation/jobs")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "federation", description = "Jobs routed across the federation")
public class FederatedJobResource {
    @Context
    private SecurityContext security;

    @Reference
    private ClusterRegistry registry;

    @Reference
    private CenterIdentity center;

    @Reference
    private SystemAccountPolicy systemAccounts;

    @Reference
    private ConfigurationAdmin configAdmin;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile CenterBilling prices;

    @Reference
    private PeerDirectory peers;

    @Reference
    private FederationAudit audit;

    private volatile PeerClient client;

    private final ExecutorService calls = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "scow-federation-route");
        t.setDaemon(true);
        return t;
    });

    /**
     * Where and what to run; the platform chooses cluster and partition. {@code minutesPerPriceUnit}: how many
     * minutes of a later start one unit of price is worth to the user (absent: 0, price only shown).
     */
    public record Submission(String user, String name, String account, Integer nodes, Integer coresPerNode,
                             Integer gpusPerNode, Long memoryMbPerNode, Long timeLimitMinutes, String script,
                             String workingDirectory, List<String> preferredCenters, String dataCenter,
                             Double minutesPerPriceUnit) {
    }

    /** The routed job: its federation-wide id, where it went and why. */
    public record Routed(String federationJobId, String center, String cluster, String partition, String jobId,
                         Router.Decision decision) {
    }

    /** A federated job as the user sees it. */
    public record FederatedJob(String federationJobId, String center, String cluster, JobInfo job) {
    }

    @Activate
    void activate() {
        client = new PeerClient(center.id(), center::sign, peers::peer, audit::record, Duration.ofSeconds(5));
    }

    @Deactivate
    void deactivate() {
        calls.shutdownNow();
    }

    @POST
    @Path("route")
    @Operation(summary = "Where a job would go and why, without submitting it")
    @Authenticated
    public Router.Decision route(Submission s) {
        return decide(shape(Params.body(s)));
    }

    @POST
    @Operation(summary = "Submit to the federation: the platform picks center, cluster and partition; 201 with why")
    @Authenticated
    public Response submit(Submission s) throws SchedulerException {
        Router.Request shape = shape(Params.body(s));
        String user = Params.name("user", s.user());
        systemAccounts.refusal(user).ifPresent(why -> {
            throw new ApiException(422, "SYSTEM_ACCOUNT", "user: " + why, Map.of("field", "user"));
        });
        if (!Caller.isPlatformAdmin(security) && !Caller.userId(security, user).equals(user)) {
            throw Caller.forbidden();
        }
        Router.Decision d = decide(shape);
        if (d.chosen() == null) {
            throw new ApiException(422, "NO_PLACE", "no reachable cluster of the federation can hold this job",
                    Map.of("skipped", d.skipped().toString()));
        }
        Router.Option o = d.chosen();
        JobSpec spec = new JobSpec(user, s.name(), Params.name("account", s.account()), o.partition(), null,
                shape.nodes(), shape.coresPerNode(), shape.gpusPerNode(), s.memoryMbPerNode(),
                shape.timeLimitMinutes(), s.script(), s.workingDirectory(), null, null, List.of());
        spec.validate();
        SubmittedJob job = driver(o.cluster()).submitJob(spec);
        return Response.status(201).entity(new Routed(center.id() + ":" + o.cluster() + ":" + job.jobId(),
                o.center(), o.cluster(), o.partition(), job.jobId(), d)).build();
    }

    @GET
    @Operation(summary = "The caller's jobs on every online cluster of the federation, with federation-wide ids")
    @Authenticated
    public List<FederatedJob> list() {
        String me = Caller.userId(security, null);
        List<FederatedJob> out = new ArrayList<>();
        Map<String, String> centers = centersOfClusters();
        for (Cluster c : registry.clusters()) {
            SchedulerDriver d = c.driver().orElse(null);
            if (d == null || me == null) {
                continue;
            }
            try {
                for (JobInfo j : d.queryJobs(JobQuery.of(JobFilter.ALL.withUsers(Set.of(me)))).jobs()) {
                    out.add(new FederatedJob(center.id() + ":" + c.id() + ":" + j.jobId(),
                            centers.getOrDefault(c.id(), center.id()), c.id(), j));
                }
            } catch (SchedulerException e) {
                // an unreachable center's jobs are missing from the list, not an error of the whole list
            }
        }
        return out;
    }

    @GET
    @Path("{id}")
    @Operation(summary = "One federated job")
    @Authenticated
    public FederatedJob get(@PathParam("id") String id) throws SchedulerException {
        String[] p = parse(id);
        JobInfo job = driver(p[1]).getJob(p[2]);
        if (!Caller.isPlatformAdmin(security) && !Caller.userId(security, null).equals(job.user())) {
            throw Caller.forbidden();
        }
        return new FederatedJob(id, centersOfClusters().getOrDefault(p[1], center.id()), p[1], job);
    }

    @DELETE
    @Path("{id}")
    @Operation(summary = "Cancel a federated job")
    @Authenticated
    public Response cancel(@PathParam("id") String id) throws SchedulerException {
        FederatedJob job = get(id);
        String[] p = parse(id);
        driver(p[1]).cancelJob(job.job().user(), p[2]);
        return Response.noContent().build();
    }

    private String[] parse(String id) {
        String[] p = id == null ? new String[0] : id.split(":", -1);
        if (p.length != 3 || !p[0].equals(center.id()) || p[2].isEmpty()) {
            throw ApiException.badField("id", "a federated job id is <home center>:<cluster>:<job id> of center '"
                    + center.id() + "'");
        }
        Params.name("id", p[1]);
        return p;
    }

    private SchedulerDriver driver(String cluster) {
        Cluster c = registry.cluster(cluster).orElseThrow(() -> ApiException.notFound("CLUSTER_NOT_FOUND",
                "no cluster '" + cluster + "'", Map.of("cluster", cluster)));
        return c.driver().orElseThrow(() -> new ApiException(503, "CLUSTER_OFFLINE", "cluster '" + cluster
                + "' is offline", Map.of("cluster", cluster)));
    }

    private Router.Request shape(Submission s) {
        int nodes = s.nodes() == null ? 1 : s.nodes();
        int cores = s.coresPerNode() == null ? 1 : s.coresPerNode();
        int gpus = s.gpusPerNode() == null ? 0 : s.gpusPerNode();
        long minutes = s.timeLimitMinutes() == null ? 60 : s.timeLimitMinutes();
        if (nodes < 1 || nodes > 100_000) {
            throw ApiException.badField("nodes", "must be 1..100000");
        }
        if (cores < 1 || cores > 100_000) {
            throw ApiException.badField("coresPerNode", "must be 1..100000");
        }
        if (gpus < 0 || gpus > 1_000) {
            throw ApiException.badField("gpusPerNode", "must be 0..1000");
        }
        if (minutes < 1 || minutes > 525_600) {
            throw ApiException.badField("timeLimitMinutes", "must be 1..525600");
        }
        List<String> preferred = s.preferredCenters() == null ? List.of() : s.preferredCenters();
        preferred.forEach(c -> Params.name("preferredCenters", c));
        if (s.dataCenter() != null) {
            Params.name("dataCenter", s.dataCenter());
        }
        Router.Weights weights = Router.Weights.DEFAULT;
        if (s.minutesPerPriceUnit() != null) {
            double m = s.minutesPerPriceUnit();
            if (!(m >= 0 && m <= 1_000_000)) {
                throw ApiException.badField("minutesPerPriceUnit", "must be 0..1000000");
            }
            weights = new Router.Weights(m, weights.dataPenaltyMinutes(), weights.preferencePenaltyMinutes());
        }
        return new Router.Request(nodes, cores, gpus, minutes, preferred, s.dataCenter(), weights);
    }

    private Router.Decision decide(Router.Request r) {
        Map<String, String[]> remote = remoteClusters();
        List<Router.Target> targets = new ArrayList<>();
        for (Cluster c : registry.clusters()) {
            String[] peerAndCluster = remote.get(c.id());
            c.driver().ifPresent(d -> targets.add(peerAndCluster == null ? new Router.Target(center.id(), c.id(), d)
                    : new Router.Target(peerAndCluster[0], c.id(), d, false, quote(peerAndCluster[0],
                            peerAndCluster[1]))));
        }
        return new Router(calls, Duration.ofSeconds(5), prices).route(r, targets);
    }

    /** The peer's own prices of the job shape on its cluster, asked of the peer (signed, audited). */
    private Router.Quote quote(String peer, String remoteCluster) {
        return r -> {
            PeerClient c = client;
            if (c == null || !Names.isValid(remoteCluster)) {
                return null;
            }
            Map<String, BigDecimal> p = c.call(peer, "POST", SignedRequests.PEER_PATH + "clusters/" + remoteCluster
                    + "/prices", Map.of("nodes", r.nodes(), "coresPerNode", r.coresPerNode(), "gpusPerNode",
                    r.gpusPerNode(), "timeLimitMinutes", r.timeLimitMinutes()), SignedRequests.CENTER_ACTOR,
                    new TypeReference<Map<String, BigDecimal>>() { });
            return p == null ? Map.of() : p;
        };
    }

    /** Cluster id to the center that runs it, for the clusters served by the remote driver. */
    private Map<String, String> centersOfClusters() {
        Map<String, String> out = new HashMap<>();
        remoteClusters().forEach((id, pc) -> out.put(id, pc[0]));
        return out;
    }

    /** Cluster id to {peer, the peer's cluster id}, for the clusters served by the remote driver. */
    private Map<String, String[]> remoteClusters() {
        Map<String, String[]> out = new HashMap<>();
        try {
            Configuration[] configs = configAdmin.listConfigurations("(&(service.factoryPid="
                    + ClusterRegistry.FACTORY_PID + ")(driver=remote))");
            if (configs != null) {
                for (Configuration c : configs) {
                    Dictionary<String, Object> p = c.getProperties();
                    if (p != null && p.get("id") != null && p.get("driver.peer") != null) {
                        out.put(String.valueOf(p.get("id")), new String[] {String.valueOf(p.get("driver.peer")),
                                String.valueOf(p.get("driver.cluster"))});
                    }
                }
            }
        } catch (Exception e) {
            // unreadable configuration: every cluster counts as this center's, which only weakens preferences
        }
        return out;
    }
}
