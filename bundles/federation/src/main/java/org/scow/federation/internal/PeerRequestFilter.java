package org.scow.federation.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.security.Principal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import javax.annotation.Priority;
import javax.ws.rs.Priorities;
import javax.ws.rs.container.ContainerRequestContext;
import javax.ws.rs.container.ContainerRequestFilter;
import javax.ws.rs.container.ContainerResponseContext;
import javax.ws.rs.container.ContainerResponseFilter;
import javax.ws.rs.core.SecurityContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JSONRequired;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsExtension;
import org.scow.federation.FederationAudit;
import org.scow.federation.PeerDirectory;
import org.scow.federation.SignedRequests;
import org.scow.rest.support.ApiException;

/**
 * Verifies the signature of every call to the peer endpoints ({@value SignedRequests#PEER_PATH}) and makes the
 * verified peer the request's principal; unsigned, badly signed, stale and replayed calls end here with 401. Runs
 * after the platform's authentication filter (which lets these public endpoints through) and before its guard.
 * Every peer call, refused or served, is audited (direction IN) with its status and duration.
 */
@Component(service = {ContainerRequestFilter.class, ContainerResponseFilter.class},
        configurationPid = "org.scow.federation")
@JaxrsExtension
@JSONRequired
@Priority(Priorities.USER + 500)
public class PeerRequestFilter implements ContainerRequestFilter, ContainerResponseFilter {
    private static final String STARTED = "org.scow.federation.started";
    private static final String CALL = "org.scow.federation.call";

    /** Configuration read from PID {@code org.scow.federation}. */
    public @interface Config {
        /** How far a peer's clock may be from ours; also how long nonces are remembered (twice this). */
        long clockSkewSeconds() default 300;
    }

    private final FederationAudit audit;
    private final SignatureVerifier verifier;

    @Activate
    public PeerRequestFilter(@Reference PeerDirectory peers, @Reference FederationAudit audit, Config config) {
        this.audit = audit;
        this.verifier = new SignatureVerifier(peers::peer, Duration.ofSeconds(Math.max(1, config.clockSkewSeconds())),
                Clock.systemUTC());
    }

    static boolean isPeerPath(String relativePath) {
        String p = relativePath.startsWith("/") ? relativePath : "/" + relativePath;
        return p.startsWith(SignedRequests.PEER_PATH);
    }

    @Override
    public void filter(ContainerRequestContext request) throws IOException {
        if (!isPeerPath(request.getUriInfo().getPath())) {
            return;
        }
        request.setProperty(STARTED, System.nanoTime());
        byte[] body = request.hasEntity() ? request.getEntityStream().readAllBytes() : new byte[0];
        request.setEntityStream(new ByteArrayInputStream(body));
        java.net.URI uri = request.getUriInfo().getRequestUri();
        String pathAndQuery = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        SignatureVerifier.Verified call;
        try {
            call = verifier.verify(request.getMethod(), pathAndQuery, request::getHeaderString, body);
        } catch (SignatureVerifier.Refused e) {
            String claimed = request.getHeaderString(SignedRequests.CENTER);
            audit.record(new FederationAudit.Entry(null, Instant.now(), FederationAudit.Direction.IN,
                    claimed == null ? "?" : claimed, String.valueOf(request.getHeaderString(SignedRequests.USER)),
                    request.getMethod(), uri.getRawPath(), 401, elapsedMs(request), "refused: " + e.getMessage()));
            request.abortWith(new ApiException(401, "UNAUTHENTICATED", e.getMessage(), Map.of()).toResponse());
            return;
        }
        PeerPrincipal principal = new PeerPrincipal(call.peer().id(), call.user());
        request.setProperty(CALL, principal);
        boolean secure = request.getSecurityContext() != null && request.getSecurityContext().isSecure();
        request.setSecurityContext(new SecurityContext() {
            @Override
            public Principal getUserPrincipal() {
                return principal;
            }

            @Override
            public boolean isUserInRole(String role) {
                return false;
            }

            @Override
            public boolean isSecure() {
                return secure;
            }

            @Override
            public String getAuthenticationScheme() {
                return "SCOW-FED-1";
            }
        });
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        if (request.getProperty(CALL) instanceof PeerPrincipal p) {
            String message = response.getStatus() >= 400 && response.getEntity() != null
                    ? String.valueOf(response.getEntity()) : null;
            audit.record(new FederationAudit.Entry(null, Instant.now(), FederationAudit.Direction.IN, p.peer(),
                    p.user(), request.getMethod(), request.getUriInfo().getRequestUri().getRawPath(),
                    response.getStatus(), elapsedMs(request), message));
        }
    }

    private static long elapsedMs(ContainerRequestContext request) {
        Object started = request.getProperty(STARTED);
        return started instanceof Long s ? (System.nanoTime() - s) / 1_000_000 : 0;
    }
}
