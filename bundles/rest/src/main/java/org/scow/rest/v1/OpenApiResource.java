package org.scow.rest.v1;

import io.swagger.v3.core.util.Json;
import io.swagger.v3.jaxrs2.Reader;
import io.swagger.v3.oas.integration.SwaggerConfiguration;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Set;
import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.core.CacheControl;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;
import org.scow.rest.internal.ApiException;

/**
 * The OpenAPI 3 document, generated from the resource classes' JAX-RS annotations, and a browsable UI for it.
 */
@Component(service = OpenApiResource.class)
@JaxrsResource
@Path("/api/v1")
public class OpenApiResource {
    /** Every resource of API v1; the OpenAPI test fails when one is missing here. */
    static final Set<Class<?>> RESOURCES = Set.of(HealthResource.class, ClusterResource.class, JobResource.class,
            AccountResource.class, UserResource.class);

    private static final Map<String, String> DOC_FILES = Map.of(
            "swagger-ui-bundle.js", "application/javascript",
            "swagger-ui.css", "text/css",
            "favicon-32x32.png", "image/png");

    private volatile String document;

    /** Builds the document once; the resource set only changes with a new bundle version. */
    static String generate() {
        OpenAPI base = new OpenAPI().info(new Info().title("SCOW platform API").version("v1")
                .description("Clusters, jobs and accounts of a computing center. Errors are JSON objects "
                        + "{code, message, details}.")
                .license(new License().name("Apache-2.0")));
        SwaggerConfiguration config = new SwaggerConfiguration().openAPI(base).prettyPrint(true)
                .readAllResources(true);
        OpenAPI api = new Reader(config).read(RESOURCES);
        try {
            return Json.pretty(api);
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot serialise the OpenAPI document", e);
        }
    }

    @GET
    @Path("openapi.json")
    @Produces(MediaType.APPLICATION_JSON)
    public Response openApi() {
        String doc = document;
        if (doc == null) {
            doc = generate();
            document = doc;
        }
        return Response.ok(doc, MediaType.APPLICATION_JSON_TYPE).build();
    }

    @GET
    @Path("docs")
    @Produces(MediaType.TEXT_HTML)
    public Response docs() throws IOException {
        return file("index.html", "text/html; charset=utf-8");
    }

    @GET
    @Path("docs/{file}")
    public Response docFile(@PathParam("file") String name) throws IOException {
        String type = DOC_FILES.get(name);
        if (type == null) {
            throw ApiException.notFound("NOT_FOUND", "no documentation file '" + name + "'", Map.of());
        }
        return file(name, type);
    }

    private static Response file(String name, String type) throws IOException {
        try (InputStream in = OpenApiResource.class.getClassLoader().getResourceAsStream("docs/" + name)) {
            if (in == null) {
                throw new IllegalStateException("docs/" + name + " is missing from the bundle");
            }
            CacheControl cache = new CacheControl();
            cache.setMaxAge(3600);
            return Response.ok(in.readAllBytes(), type).cacheControl(cache).build();
        }
    }
}
