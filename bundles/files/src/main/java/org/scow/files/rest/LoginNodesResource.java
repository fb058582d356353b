package org.scow.files.rest;

import org.scow.files.internal.FileEntry;
import org.scow.files.internal.FileErrors;
import org.scow.files.internal.RemoteFiles;
import org.scow.files.internal.RemotePaths;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.core.MediaType;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JSONRequired;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;
import org.scow.loginnode.LoginNode;
import org.scow.loginnode.LoginNodeException;
import org.scow.loginnode.LoginNodeService;
import org.scow.rest.support.Authenticated;

/** The cluster's login nodes, for the portal's shell and file pages. */
@Component(service = LoginNodesResource.class)
@JaxrsResource
@JSONRequired
@Path("/api/v1/clusters/{cluster}/login-nodes")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "files")
public class LoginNodesResource {
    @Reference
    private LoginNodeService loginNodes;

    @GET
    @Authenticated
    @Operation(summary = "The cluster's login nodes (409 when none is configured)")
    public List<LoginNode> nodes(@PathParam("cluster") String cluster) {
        try {
            return loginNodes.nodes(cluster);
        } catch (LoginNodeException e) {
            throw FileErrors.of(e, cluster);
        }
    }
}
