package org.scow.rest.v1;

import org.scow.rest.support.Authenticated;
import org.scow.rest.support.Allow;
import org.scow.rest.support.Caller;
import org.scow.api.security.Role;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import javax.ws.rs.DELETE;
import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JSONRequired;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;
import org.scow.api.cluster.ClusterRegistry;
import org.scow.api.scheduler.SchedulerException;
import org.scow.rest.support.Params;

/** Users of one cluster across their accounts. */
@Component(service = UserResource.class)
@JaxrsResource
@JSONRequired
@Path("/api/v1/clusters/{cluster}/users")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "accounts")
public class UserResource {
    @javax.ws.rs.core.Context
    private javax.ws.rs.core.SecurityContext security;
    @Reference
    private ClusterRegistry registry;

    @GET
    @Path("{user}/accounts")
    @Operation(summary = "Names of the accounts a user belongs to")
    @Authenticated
    public List<String> accounts(@PathParam("cluster") String cluster, @PathParam("user") String user)
            throws SchedulerException {
        if (!Caller.mayActFor(security, user, null, null)) {
            throw Caller.forbidden();
        }
        return ClusterAccess.driver(registry, cluster).listAccounts(Params.name("user", user));
    }

    @DELETE
    @Path("{user}")
    @Operation(summary = "Remove a user from every account and from the scheduler")
    @Allow({Role.PLATFORM_ADMIN})
    public Response delete(@PathParam("cluster") String cluster, @PathParam("user") String user)
            throws SchedulerException {
        ClusterAccess.driver(registry, cluster).deleteUser(Params.name("user", user));
        return Response.noContent().build();
    }
}
