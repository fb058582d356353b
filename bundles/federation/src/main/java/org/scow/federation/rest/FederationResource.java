package org.scow.federation.rest;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
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
import org.osgi.service.jaxrs.whiteboard.propertytypes.JSONRequired;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;
import org.scow.api.security.Role;
import org.scow.api.security.SystemAccountPolicy;
import org.scow.federation.CenterIdentity;
import org.scow.federation.FederationAudit;
import org.scow.federation.Grant;
import org.scow.federation.Peer;
import org.scow.federation.PeerDirectory;
import org.scow.federation.internal.FederationStore;
import org.scow.rest.support.Allow;
import org.scow.rest.support.ApiException;
import org.scow.rest.support.Params;
import org.scow.rest.support.Public;

/** This center's identity (public), its peers with their reachability, the grants it gave them and the call audit. */
@Component(service = FederationResource.class)
@JaxrsResource
@JSONRequired
@Path("/api/v1/federation")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "federation", description = "This center, its peers, grants to peers and the audit of cross-center calls")
public class FederationResource {
    @Reference
    private CenterIdentity center;

    @Reference
    private PeerDirectory peers;

    @Reference
    private FederationStore store;

    @Reference
    private SystemAccountPolicy systemAccounts;

    /** What a peer's administrator configures to trust this center. */
    public record CenterView(String id, String name, String url, String publicKey) {
    }

    /** A peer and what the last probe found. */
    public record PeerView(String id, String name, String url, String publicKey, PeerDirectory.Reachability reachability) {
    }

    /** A grant to create; {@code users} maps peer users to local users. */
    public record NewGrant(String peer, String cluster, String peerAccount, String localAccount,
                           Map<String, String> users, BigDecimal creditLimit, String comment) {
    }

    @GET
    @Path("center")
    @Operation(summary = "This center's id, name, URL and public key (what peers configure)")
    @Public
    public CenterView center() {
        return new CenterView(center.id(), center.name(), center.url(), center.publicKey());
    }

    @GET
    @Path("peers")
    @Operation(summary = "Configured peers and whether they are reachable")
    // finance staff settle with the peers (statements per peer), so they may see who the peers are; grants and
    // audit stay with the platform admin
    @Allow({Role.PLATFORM_ADMIN, Role.PLATFORM_FINANCE})
    public List<PeerView> peers() {
        return peers.peers().stream().map(p -> new PeerView(p.id(), p.name(), p.url(), p.publicKey(),
                peers.reachability(p.id()))).toList();
    }

    @GET
    @Path("grants")
    @Operation(summary = "Grants this center gave its peers (peer= selects one peer)")
    @Allow({Role.PLATFORM_ADMIN})
    public List<Grant> grants(@QueryParam("peer") String peer) {
        return store.grants(peer == null ? null : Params.name("peer", peer));
    }

    @POST
    @Path("grants")
    @Operation(summary = "Grant a peer the right to run work under a local account (or account pattern); 201")
    @Allow({Role.PLATFORM_ADMIN})
    public Response grant(NewGrant g) {
        Params.body(g);
        Grant grant;
        try {
            grant = new Grant(null, g.peer(), g.cluster() == null ? "*" : g.cluster(), g.peerAccount(),
                    g.localAccount(), g.users(), g.creditLimit() == null ? BigDecimal.ZERO : g.creditLimit(), false,
                    g.comment(), null);
        } catch (IllegalArgumentException e) {
            String field = e.getMessage().split(":", 2)[0];
            throw ApiException.badField(field, e.getMessage().substring(Math.min(e.getMessage().length(),
                    field.length() + 2)));
        }
        Peer peer = peers.peer(grant.peer()).orElseThrow(() -> ApiException.badField("peer",
                "no peer '" + grant.peer() + "' is configured (etc/org.scow.federation.peer-*.cfg)"));
        for (String local : grant.users().values()) {
            systemAccounts.refusal(local).ifPresent(why -> {
                throw ApiException.badField("users", why);
            });
        }
        try {
            Grant saved = store.createGrant(grant);
            return Response.status(201).entity(saved).build();
        } catch (FederationStore.DuplicateGrant e) {
            throw new ApiException(409, "ALREADY_EXISTS", e.getMessage(), Map.of("field", "peerAccount",
                    "peer", peer.id()));
        }
    }

    @PUT
    @Path("grants/{id}/block")
    @Operation(summary = "Block a grant: the peer's new jobs under it are refused and it cannot unblock them")
    @Allow({Role.PLATFORM_ADMIN})
    public Grant block(@PathParam("id") String id) {
        return store.setBlocked(id(id), true).orElseThrow(() -> notFound(id));
    }

    @DELETE
    @Path("grants/{id}/block")
    @Operation(summary = "Lift this center's block of a grant")
    @Allow({Role.PLATFORM_ADMIN})
    public Grant unblock(@PathParam("id") String id) {
        return store.setBlocked(id(id), false).orElseThrow(() -> notFound(id));
    }

    @DELETE
    @Path("grants/{id}")
    @Operation(summary = "Withdraw a grant")
    @Allow({Role.PLATFORM_ADMIN})
    public Response revoke(@PathParam("id") String id) {
        if (!store.deleteGrant(id(id))) {
            throw notFound(id);
        }
        return Response.noContent().build();
    }

    @GET
    @Path("audit")
    @Operation(summary = "Cross-center calls made and received, newest first")
    @Allow({Role.PLATFORM_ADMIN})
    public List<FederationAudit.Entry> audit(@QueryParam("peer") String peer, @QueryParam("limit") String limit) {
        return store.recent(peer == null ? null : Params.name("peer", peer),
                Params.integer("limit", limit, 1, 1000, 100));
    }

    private static long id(String id) {
        return Params.integer("id", id, 1, Integer.MAX_VALUE);
    }

    private static ApiException notFound(String id) {
        return ApiException.notFound("GRANT_NOT_FOUND", "no grant " + id, Map.of("id", id));
    }
}
