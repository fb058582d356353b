package org.scow.portal.internal;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.List;
import javax.ws.rs.core.EntityTag;
import javax.ws.rs.core.Request;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.Variant;
import org.junit.Test;
import org.scow.rest.support.ApiException;

public class PortalResourceTest {
    private static final byte[] INDEX = "<!doctype html><div id=root>".getBytes(StandardCharsets.UTF_8);
    private static final byte[] SCRIPT = "console.log(1)".getBytes(StandardCharsets.UTF_8);

    private final PortalResource portal = new PortalResource(assets());

    private static Assets assets() {
        Assets a = new Assets();
        a.put("index.html", INDEX);
        a.put("assets/index-abc.js", SCRIPT);
        a.put("assets/index-abc.css", "a{}".getBytes(StandardCharsets.UTF_8));
        return a;
    }

    /** A request whose If-None-Match holds the given tag (or none). */
    private static Request request(String ifNoneMatch) {
        return new Request() {
            @Override
            public String getMethod() {
                return "GET";
            }

            @Override
            public Variant selectVariant(List<Variant> variants) {
                return null;
            }

            @Override
            public Response.ResponseBuilder evaluatePreconditions(EntityTag eTag) {
                return eTag.getValue().equals(ifNoneMatch) ? Response.notModified(eTag) : null;
            }

            @Override
            public Response.ResponseBuilder evaluatePreconditions(Date lastModified) {
                return null;
            }

            @Override
            public Response.ResponseBuilder evaluatePreconditions(Date lastModified, EntityTag eTag) {
                return evaluatePreconditions(eTag);
            }

            @Override
            public Response.ResponseBuilder evaluatePreconditions() {
                return null;
            }
        };
    }

    @Test
    public void rootAndAppRoutesAnswerIndexHtmlUncached() {
        for (Response r : List.of(portal.index(request(null)), portal.file("jobs/running", request(null)),
                portal.file("files", request(null)))) {
            assertEquals(200, r.getStatus());
            assertArrayEquals(INDEX, (byte[]) r.getEntity());
            assertEquals("text/html;charset=utf-8", r.getMediaType().toString());
            assertTrue(r.getHeaderString("Cache-Control").contains("no-cache"));
        }
    }

    @Test
    public void hashedAssetsAreCachedForGoodWithTypeAndEtag() {
        Response r = portal.file("assets/index-abc.js", request(null));
        assertEquals(200, r.getStatus());
        assertArrayEquals(SCRIPT, (byte[]) r.getEntity());
        assertEquals("text/javascript;charset=utf-8", r.getMediaType().toString());
        assertTrue(r.getHeaderString("Cache-Control"), r.getHeaderString("Cache-Control").contains("max-age=31536000"));
        String etag = r.getEntityTag().getValue();
        assertEquals(304, portal.file("assets/index-abc.js", request(etag)).getStatus());
        assertEquals("text/css;charset=utf-8",
                portal.file("assets/index-abc.css", request(null)).getMediaType().toString());
    }

    @Test
    public void apiAndWebSocketPathsStayJson404() {
        for (String path : List.of("api", "api/v1/no-such-thing", "api/v1/clusters/x/nope", "ws/shell", "ws")) {
            try {
                portal.file(path, request(null));
                fail(path + " must not be served by the portal");
            } catch (ApiException e) {
                assertEquals(404, e.status());
                assertEquals("NOT_FOUND", e.body().code());
            }
        }
    }

    @Test
    public void missingHashedFileIs404NotTheApp() {
        try {
            portal.file("assets/old-123.js", request(null));
            fail();
        } catch (ApiException e) {
            assertEquals(404, e.status());
        }
    }

    @Test
    public void traversalAndOddPathsNeverReachOtherFiles() {
        Assets a = assets();
        for (String path : List.of("../index.html", "assets/../index.html", "/index.html", "assets//index-abc.js",
                "assets\\index-abc.js", "./index.html")) {
            assertTrue(path, a.find(path).isEmpty());
        }
        // an app route that looks like a traversal still gets the app itself, never a file outside web/
        assertArrayEquals(INDEX, (byte[]) portal.file("x/../../etc/passwd", request(null)).getEntity());
    }

    @Test
    public void contentTypes() {
        assertEquals("image/svg+xml", Assets.contentType("logo.svg"));
        assertEquals("font/woff2", Assets.contentType("assets/f.WOFF2"));
        assertEquals("application/octet-stream", Assets.contentType("README"));
    }
}
