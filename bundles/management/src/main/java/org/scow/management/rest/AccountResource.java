package org.scow.management.rest;

import org.scow.rest.support.Allow;
import org.scow.api.security.Role;

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
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JSONRequired;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;
import org.scow.api.cluster.Cluster;
import org.scow.api.cluster.ClusterEvents;
import org.scow.api.cluster.ClusterRegistry;
import org.scow.api.scheduler.AccountBlockStatus;
import org.scow.api.scheduler.ClusterAccount;
import org.scow.api.scheduler.ErrorCode;
import org.scow.api.scheduler.SchedulerDriver;
import org.scow.api.scheduler.SchedulerException;
import org.scow.management.internal.ClusterWriter;
import org.scow.rest.support.ApiException;
import org.scow.rest.support.Params;

/**
 * Accounts and their users on one cluster, including blocking. Block and unblock are idempotent. Every write goes
 * through {@link ClusterWriter}, the one writer of these facts; a write that contradicts the platform's desired state
 * (the management model and billing's money facts) lasts until block reconciliation repairs it.
 */
@Component(service = AccountResource.class)
@JaxrsResource
@JSONRequired
@Path("/api/v1/clusters/{cluster}/accounts")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "accounts", description = "Accounts, their users and blocks on a cluster")
public class AccountResource {
    @Reference
    private ClusterRegistry registry;
    @Reference
    private ClusterWriter writer;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile EventAdmin eventAdmin;

    /** An account to create. */
    public record NewClusterAccount(String name, String owner) {
    }

    /** Partitions to block or unblock; absent or empty means the whole account. */
    public record BlockRequest(List<String> partitions) {
    }

    /** Whether a user is blocked in an account. */
    public record UserBlock(String account, String user, boolean blocked) {
    }

    @GET
    @Operation(summary = "All accounts with their users and block flags")
    @Allow({Role.PLATFORM_ADMIN})
    public List<ClusterAccount> accounts(@PathParam("cluster") String cluster) throws SchedulerException {
        return driver(cluster).allAccounts();
    }

    @POST
    @Operation(summary = "Create an account with its owner as first member; 201 with the account")
    @Allow({Role.PLATFORM_ADMIN})
    public Response create(@PathParam("cluster") String cluster, NewClusterAccount account) throws SchedulerException {
        Params.body(account);
        String name = Params.name("name", account.name());
        String owner = Params.name("owner", account.owner());
        SchedulerDriver driver = driver(cluster);
        writer.createAccount(driver, name, owner);
        ClusterAccount created = driver.allAccounts().stream().filter(a -> a.name().equals(name)).findFirst()
                .orElseThrow(() -> new SchedulerException(ErrorCode.INTERNAL,
                        "the scheduler did not list account '" + name + "' after creating it"));
        return Response.status(201).entity(created).build();
    }

    @DELETE
    @Path("{account}")
    @Operation(summary = "Delete an account (refused while it has jobs)")
    @Allow({Role.PLATFORM_ADMIN})
    public Response delete(@PathParam("cluster") String cluster, @PathParam("account") String account)
            throws SchedulerException {
        writer.deleteAccount(driver(cluster), Params.name("account", account));
        return Response.noContent().build();
    }

    @GET
    @Path("{account}/block")
    @Operation(summary = "Block state of an account, overall and per partition")
    @Allow({Role.ACCOUNT_OWNER, Role.ACCOUNT_ADMIN, Role.TENANT_ADMIN})
    public AccountBlockStatus blockStatus(@PathParam("cluster") String cluster, @PathParam("account") String account)
            throws SchedulerException {
        return driver(cluster).accountBlockStatus(Params.name("account", account));
    }

    @PUT
    @Path("{account}/block")
    @Operation(summary = "Block an account, wholly or in the given partitions; answers the new state")
    @Allow({Role.PLATFORM_ADMIN})
    public AccountBlockStatus block(@PathParam("cluster") String cluster, @PathParam("account") String account,
                                    BlockRequest request) throws SchedulerException {
        SchedulerDriver driver = driver(cluster);
        Set<String> partitions = partitions(request);
        writer.blockAccount(driver, Params.name("account", account), partitions);
        post(ClusterEvents.ACCOUNT_BLOCKED, cluster, account, partitions);
        return driver.accountBlockStatus(account);
    }

    @DELETE
    @Path("{account}/block")
    @Operation(summary = "Unblock an account, wholly or (partition=...) in some partitions; answers the new state")
    @Allow({Role.PLATFORM_ADMIN})
    public AccountBlockStatus unblock(@PathParam("cluster") String cluster, @PathParam("account") String account,
                                      @QueryParam("partition") List<String> partitionParams)
            throws SchedulerException {
        SchedulerDriver driver = driver(cluster);
        Set<String> partitions = Params.names("partition", partitionParams);
        writer.unblockAccount(driver, Params.name("account", account), partitions);
        post(ClusterEvents.ACCOUNT_UNBLOCKED, cluster, account, partitions);
        return driver.accountBlockStatus(account);
    }

    @PUT
    @Path("{account}/users/{user}")
    @Operation(summary = "Add a user to an account")
    @Allow({Role.PLATFORM_ADMIN})
    public Response addUser(@PathParam("cluster") String cluster, @PathParam("account") String account,
                            @PathParam("user") String user) throws SchedulerException {
        writer.addUser(driver(cluster), Params.name("account", account), Params.name("user", user));
        return Response.status(201).entity(new UserBlock(account, user, false)).build();
    }

    @DELETE
    @Path("{account}/users/{user}")
    @Operation(summary = "Remove a user from an account (refused while the user has jobs there)")
    @Allow({Role.PLATFORM_ADMIN})
    public Response removeUser(@PathParam("cluster") String cluster, @PathParam("account") String account,
                               @PathParam("user") String user) throws SchedulerException {
        writer.removeUser(driver(cluster), Params.name("account", account), Params.name("user", user));
        return Response.noContent().build();
    }

    @GET
    @Path("{account}/users/{user}/block")
    @Operation(summary = "Whether a user is blocked in an account")
    @Allow({Role.ACCOUNT_OWNER, Role.ACCOUNT_ADMIN, Role.TENANT_ADMIN})
    public UserBlock userBlock(@PathParam("cluster") String cluster, @PathParam("account") String account,
                               @PathParam("user") String user) throws SchedulerException {
        boolean blocked = driver(cluster).isUserBlockedInAccount(Params.name("user", user),
                Params.name("account", account));
        return new UserBlock(account, user, blocked);
    }

    @PUT
    @Path("{account}/users/{user}/block")
    @Operation(summary = "Block a user in an account")
    @Allow({Role.PLATFORM_ADMIN})
    public UserBlock blockUser(@PathParam("cluster") String cluster, @PathParam("account") String account,
                               @PathParam("user") String user) throws SchedulerException {
        writer.blockUser(driver(cluster), Params.name("account", account), Params.name("user", user));
        return userBlock(cluster, account, user);
    }

    @DELETE
    @Path("{account}/users/{user}/block")
    @Operation(summary = "Unblock a user in an account")
    @Allow({Role.PLATFORM_ADMIN})
    public UserBlock unblockUser(@PathParam("cluster") String cluster, @PathParam("account") String account,
                                 @PathParam("user") String user) throws SchedulerException {
        writer.unblockUser(driver(cluster), Params.name("account", account), Params.name("user", user));
        return userBlock(cluster, account, user);
    }

    private static Set<String> partitions(BlockRequest request) {
        return request == null ? Set.of() : Params.names("partitions", request.partitions());
    }

    private void post(String topic, String cluster, String account, Set<String> partitions) {
        EventAdmin ea = eventAdmin;
        if (ea != null) {
            ea.postEvent(new Event(topic, Map.of(ClusterEvents.CLUSTER, cluster, ClusterEvents.ACCOUNT, account,
                    "partitions", partitions.isEmpty() ? "all" : String.join(",", partitions))));
        }
    }

    /** The cluster's driver: 404 if the cluster is unknown, 503 while it is offline. */
    private SchedulerDriver driver(String id) {
        Cluster c = registry.cluster(id).orElseThrow(() -> ApiException.notFound("CLUSTER_NOT_FOUND",
                "no cluster '" + id + "'; GET /api/v1/clusters lists them", Map.of("cluster", id)));
        return c.driver().orElseThrow(() -> new ApiException(503, "CLUSTER_OFFLINE",
                "cluster '" + id + "' is offline: " + c.offlineReason(), Map.of("cluster", id)));
    }
}
