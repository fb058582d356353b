package org.scow.portal.internal;

import io.swagger.v3.oas.annotations.Hidden;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.Enumeration;
import java.util.Map;
import java.util.Optional;
import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.core.CacheControl;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.EntityTag;
import javax.ws.rs.core.Request;
import javax.ws.rs.core.Response;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JSONRequired;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;
import org.scow.rest.support.ApiException;
import org.scow.rest.support.Public;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the web portal at "/": the built files under {@code web/} in this bundle, and index.html for every other
 * path so the app's own router handles it. Paths under /api/ and /ws/ never get the app: an unknown API path stays a
 * JSON 404 (the API's resources have longer literal paths, so JAX-RS matches them first).
 */
@Component(service = PortalResource.class)
@JaxrsResource
@JSONRequired
@Path("/")
@Hidden
public class PortalResource {
    private static final Logger LOG = LoggerFactory.getLogger(PortalResource.class);
    static final String ROOT = "web/";
    /** Hashed file names change with their content, so they may be cached for good. */
    static final String IMMUTABLE = "public, max-age=31536000, immutable";

    private final Assets assets;

    @Activate
    public PortalResource(BundleContext context) throws IOException {
        this(load(context.getBundle()));
    }

    PortalResource(Assets assets) {
        this.assets = assets;
        if (assets.index().isEmpty()) {
            LOG.warn("The portal bundle holds no {}index.html: was it built with -Dportal.skipNpm and no earlier build?",
                    ROOT);
        } else {
            LOG.info("Portal ready: {} files", assets.size());
        }
    }

    private static Assets load(Bundle bundle) throws IOException {
        Assets assets = new Assets();
        Enumeration<URL> entries = bundle.findEntries(ROOT, "*", true);
        while (entries != null && entries.hasMoreElements()) {
            URL url = entries.nextElement();
            String path = url.getPath();
            if (path.endsWith("/")) {
                continue;
            }
            String relative = path.substring(path.indexOf(ROOT) + ROOT.length());
            try (InputStream in = url.openStream()) {
                assets.put(relative, in.readAllBytes());
            }
        }
        return assets;
    }

    @GET
    @Public
    public Response index(@Context Request request) {
        return app(request);
    }

    @GET
    @Path("{path: .+}")
    @Public
    public Response file(@PathParam("path") String path, @Context Request request) {
        if (path.equals("api") || path.startsWith("api/") || path.equals("ws") || path.startsWith("ws/")) {
            throw new ApiException(404, "NOT_FOUND", "no such endpoint: /" + path, Map.of());
        }
        Optional<Assets.Asset> asset = assets.find(path);
        if (asset.isPresent()) {
            return send(asset.get(), request, path.startsWith(Assets.HASHED_DIR));
        }
        if (path.startsWith(Assets.HASHED_DIR)) {
            // a stale hashed file (the portal was upgraded): a clear 404, not the app in place of a script
            throw new ApiException(404, "NOT_FOUND", "no such file: /" + path, Map.of());
        }
        return app(request);
    }

    private Response app(Request request) {
        return send(assets.index().orElseThrow(() -> new ApiException(503, "UNAVAILABLE",
                "the portal was not built into this bundle", Map.of())), request, false);
    }

    private static Response send(Assets.Asset asset, Request request, boolean immutable) {
        EntityTag tag = new EntityTag(asset.etag());
        CacheControl cache = immutable ? CacheControl.valueOf(IMMUTABLE) : CacheControl.valueOf("no-cache");
        Response.ResponseBuilder notModified = request.evaluatePreconditions(tag);
        if (notModified != null) {
            return notModified.cacheControl(cache).build();
        }
        return Response.ok(asset.bytes(), asset.contentType()).tag(tag).cacheControl(cache).build();
    }
}
