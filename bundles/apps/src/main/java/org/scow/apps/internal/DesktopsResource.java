package org.scow.apps.internal;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.Map;
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
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JSONRequired;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;
import org.scow.rest.support.ApiException;
import org.scow.rest.support.Authenticated;
import org.scow.rest.support.Caller;
import org.scow.rest.support.Params;

/**
 * {@code /api/v1/clusters/{cluster}/desktops}: the caller's own desktops on the cluster's login node (create, list,
 * end, connect). Always the caller's: a desktop runs as its owner's Unix user, so nobody acts for anyone else here.
 */
@Component(service = DesktopsResource.class)
@JaxrsResource
@JSONRequired
// its own root: JAX-RS picks one root class by the longest literal path, and /api/v1/clusters is ClusterResource's
@Path("/api/v1/clusters/{cluster}/desktops")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "desktops", description = "VNC desktops on a cluster's login node, opened in the browser with noVNC")
public class DesktopsResource {
    @Context
    private SecurityContext security;

    @Reference
    private LoginDesktops desktops;

    /** A new desktop: the window manager's id (one of those listed). */
    public record NewDesktop(String windowManager) {
    }

    @GET
    @Operation(summary = "The caller's desktops on the cluster's login node, the per-user maximum and the window "
            + "managers installed there")
    @Authenticated
    public LoginDesktops.DesktopOverview list(@PathParam("cluster") String cluster) {
        return desktops.overview(Params.name("cluster", cluster), user());
    }

    @POST
    @Operation(summary = "Start a desktop on the cluster's login node as the caller (409 DESKTOP_LIMIT at the "
            + "per-user maximum)")
    @Authenticated
    public Response create(@PathParam("cluster") String cluster, NewDesktop body) {
        Params.name("cluster", cluster);
        if (body == null || body.windowManager() == null || body.windowManager().isBlank()) {
            throw ApiException.badField("windowManager", "is required");
        }
        return Response.status(201).entity(desktops.create(cluster, user(), body.windowManager())).build();
    }

    @DELETE
    @Path("{id}")
    @Operation(summary = "End one of the caller's desktops (its VNC server, window manager and bridge)")
    @Authenticated
    public Map<String, String> kill(@PathParam("cluster") String cluster, @PathParam("id") String id) {
        desktops.kill(Params.name("cluster", cluster), user(), id);
        return Map.of("id", id, "state", "ENDED");
    }

    @GET
    @Path("{id}/connect")
    @Operation(summary = "How to open one of the caller's desktops: noVNC's page below /proxy, with the password")
    @Authenticated
    public AppService.ConnectInfo connect(@PathParam("cluster") String cluster, @PathParam("id") String id) {
        return desktops.connect(Params.name("cluster", cluster), user(), id);
    }

    private String user() {
        String user = Caller.userId(security, null);
        if (user == null) {
            throw Caller.unauthenticated();
        }
        return user;
    }
}
