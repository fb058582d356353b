package org.scow.rest.v1;

import org.scow.rest.support.Public;

import io.swagger.v3.core.util.Json;
import io.swagger.v3.jaxrs2.Reader;
import io.swagger.v3.oas.integration.SwaggerConfiguration;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.core.CacheControl;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.jaxrs.whiteboard.JaxrsWhiteboardConstants;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;
import org.scow.rest.support.ApiException;

/**
 * The OpenAPI 3 document, generated from the JAX-RS annotations of every resource currently registered on the
 * whiteboard (this bundle's and any other bundle's), and a browsable UI for it.
 */
@Component(service = OpenApiResource.class)
@JaxrsResource
@Path("/api/v1")
public class OpenApiResource {
    private static final String RESOURCE_FILTER = "(" + JaxrsWhiteboardConstants.JAX_RS_RESOURCE + "=true)";
    private static final Map<String, String> DOC_FILES = Map.of(
            "swagger-ui-bundle.js", "application/javascript",
            "swagger-ui.css", "text/css",
            "favicon-32x32.png", "image/png");

    private final BundleContext context;
    /** The last document and the resource classes it was made from; remade when resources come or go. */
    private volatile Map.Entry<Set<Class<?>>, String> cached;

    @Activate
    public OpenApiResource(BundleContext context) {
        this.context = context;
    }

    /** The document for these resource classes. */
    static String generate(Set<Class<?>> resources) {
        OpenAPI base = new OpenAPI().info(new Info().title("SCOW platform API").version("v1")
                .description("Clusters, jobs and accounts of a computing center. Errors are JSON objects "
                        + "{code, message, details}.")
                .license(new License().name("Apache-2.0")));
        SwaggerConfiguration config = new SwaggerConfiguration().openAPI(base).prettyPrint(true)
                .readAllResources(true);
        return Json.pretty(new Reader(config).read(resources));
    }

    @GET
    @Path("openapi.json")
    @Produces(MediaType.APPLICATION_JSON)
    @Public
    public Response openApi() throws InvalidSyntaxException {
        Set<Class<?>> resources = registeredResources();
        Map.Entry<Set<Class<?>>, String> doc = cached;
        if (doc == null || !doc.getKey().equals(resources)) {
            doc = Map.entry(resources, generate(resources));
            cached = doc;
        }
        return Response.ok(doc.getValue(), MediaType.APPLICATION_JSON_TYPE).build();
    }

    private Set<Class<?>> registeredResources() throws InvalidSyntaxException {
        Map<String, Class<?>> byName = new TreeMap<>();
        ServiceReference<?>[] refs = context.getServiceReferences((String) null, RESOURCE_FILTER);
        for (ServiceReference<?> ref : refs == null ? new ServiceReference<?>[0] : refs) {
            Object service = context.getService(ref);
            if (service != null) {
                try {
                    if (service.getClass() != OpenApiResource.class) {
                        byName.put(service.getClass().getName(), service.getClass());
                    }
                } finally {
                    context.ungetService(ref);
                }
            }
        }
        return new LinkedHashSet<>(byName.values());
    }

    @GET
    @Path("docs")
    @Produces(MediaType.TEXT_HTML)
    @Public
    public Response docs() throws IOException {
        return file("index.html", "text/html; charset=utf-8");
    }

    @GET
    @Path("docs/{file}")
    @Public
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
