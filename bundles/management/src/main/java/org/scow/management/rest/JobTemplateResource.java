package org.scow.management.rest;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Clock;
import java.util.List;
import javax.persistence.EntityManagerFactory;
import javax.ws.rs.Consumes;
import javax.ws.rs.DELETE;
import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.PUT;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.HttpHeaders;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.SecurityContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JSONRequired;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;
import org.scow.management.ManagementException;
import org.scow.management.ManagementService;
import org.scow.management.internal.JobTemplateStore;
import org.scow.management.internal.JobTemplateStore.Spec;
import org.scow.management.internal.JobTemplateStore.Template;
import org.scow.rest.support.Authenticated;
import org.scow.rest.support.Caller;
import org.scow.rest.support.Params;

/** The caller's saved job forms, for the portal's submit page. Nobody sees another user's templates. */
@Component(service = JobTemplateResource.class)
@JaxrsResource
@JSONRequired
@Path("/api/v1/job-templates")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "job templates", description = "Saved job forms of the signed-in user (script up to 1 MiB)")
public class JobTemplateResource {
    private final JobTemplateStore store;

    @Context
    private HttpHeaders headers;
    @Context
    private SecurityContext security;

    public record NewTemplate(String name, String cluster, Spec spec) {
    }

    public record TemplateChange(String name, String cluster, Spec spec) {
    }

    /** The management service is referenced so that its schema migration has run first. */
    @Activate
    public JobTemplateResource(@Reference(target = "(osgi.unit.name=scow-management)") EntityManagerFactory emf,
                               @Reference ManagementService management) {
        this.store = new JobTemplateStore(emf, Clock.systemUTC());
    }

    private String owner() {
        String header = null;
        try {
            header = headers.getHeaderString(RequestActor.HEADER);
        } catch (RuntimeException e) {
            // outside a request
        }
        return Caller.userId(security, header);
    }

    @GET
    @Operation(summary = "The caller's job templates, by name")
    @Authenticated
    public List<Template> list() {
        return store.list(owner());
    }

    @GET
    @Path("{id}")
    @Operation(summary = "One of the caller's job templates")
    @Authenticated
    public Template get(@PathParam("id") String id) {
        return store.get(owner(), id(id));
    }

    @POST
    @Operation(summary = "Save a job template (name unique per user)")
    @Authenticated
    public Response create(NewTemplate body) {
        Params.body(body);
        return Response.status(201).entity(store.create(owner(), body.name(), body.cluster(), body.spec())).build();
    }

    @PUT
    @Path("{id}")
    @Operation(summary = "Rename a job template and/or replace its cluster or spec; absent fields stay")
    @Authenticated
    public Template update(@PathParam("id") String id, TemplateChange body) {
        Params.body(body);
        return store.update(owner(), id(id), body.name(), body.cluster(), body.spec());
    }

    @DELETE
    @Path("{id}")
    @Operation(summary = "Delete a job template")
    @Authenticated
    public Response delete(@PathParam("id") String id) {
        store.delete(owner(), id(id));
        return Response.noContent().build();
    }

    private static long id(String id) {
        try {
            return Long.parseLong(id.trim());
        } catch (NumberFormatException e) {
            throw ManagementException.invalid("id", "must be a whole number, was '" + id + "'");
        }
    }
}
