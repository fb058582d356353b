package org.scow.federation.rest;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.SecurityContext;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JSONRequired;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;
import org.scow.api.security.Role;
import org.scow.federation.CenterIdentity;
import org.scow.federation.Settlement;
import org.scow.federation.internal.PeerPrincipal;
import org.scow.federation.internal.SettlementComponent;
import org.scow.rest.support.Allow;
import org.scow.rest.support.ApiException;
import org.scow.rest.support.Csv;
import org.scow.rest.support.Params;
import org.scow.rest.support.Public;

/**
 * Settlement with peers: statements per peer and period (JSON or CSV) and a pass on demand, for the platform's
 * finance; and the signed feed a peer reads of what it owes this center.
 */
@Component(service = SettlementResource.class)
@JaxrsResource
@JSONRequired
@Path("/api/v1/federation")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "federation", description = "Settlement between centers")
public class SettlementResource {
    @Context
    private SecurityContext security;

    @Reference
    private SettlementComponent settlement;

    @Reference
    private CenterIdentity center;

    @POST
    @Path("settlement/run")
    @Operation(summary = "Charge finished peer jobs and mirror the peers' feeds now; per peer what happened")
    @Allow({Role.PLATFORM_ADMIN, Role.PLATFORM_FINANCE})
    public Map<String, Object> run() {
        return settlement.run();
    }

    @GET
    @Path("settlement/statement")
    @Operation(summary = "What this center and a peer owe each other for jobs that ended in [from, to); "
            + "format=csv for the entries as CSV")
    @Allow({Role.PLATFORM_ADMIN, Role.PLATFORM_FINANCE})
    @Produces({MediaType.APPLICATION_JSON, "text/csv"})
    public Response statement(@QueryParam("peer") String peer, @QueryParam("from") String from,
                              @QueryParam("to") String to, @QueryParam("format") String format) {
        String p = Params.name("peer", peer);
        Instant f = Params.instant("from", from);
        Instant t = Params.instant("to", to);
        if (f == null || t == null || !f.isBefore(t)) {
            throw ApiException.badField("from", "from and to are required, from before to");
        }
        Settlement.Statement s = settlement.statement(center.id(), p, f, t);
        if (Csv.requested(format)) {
            return Csv.response("statement-" + center.id() + "-" + p + ".csv", List.of("direction", "peer",
                    "cluster", "jobId", "account", "user", "endTime", "amount", "seq", "remoteSeq", "note"), out -> {
                        for (Settlement.Entry e : s.entries()) {
                            out.accept(java.util.Arrays.asList(e.direction().name(), e.peer(), e.cluster(), e.jobId(),
                                    e.account(), e.user(), e.endTime().toString(), e.amount(), e.seq(),
                                    e.remoteSeq(), e.note()));
                        }
                        out.accept(java.util.Arrays.asList("TOTAL_OWED_BY_PEER", p, null, null, null, null, null,
                                s.owedByPeer(), null, null, s.jobsOwedByPeer() + " jobs"));
                        out.accept(java.util.Arrays.asList("TOTAL_OWED_TO_PEER", p, null, null, null, null, null,
                                s.owedToPeer(), null, null, s.jobsOwedToPeer() + " jobs"));
                    });
        }
        return Response.ok(s, MediaType.APPLICATION_JSON_TYPE).build();
    }

    @GET
    @Path("peer/settlement/charges")
    @Operation(summary = "Signed peers only: what the calling peer owes, after sequence 'after', oldest first")
    @Public
    public List<Settlement.Entry> feed(@QueryParam("after") String after, @QueryParam("limit") String limit) {
        if (!(security != null && security.getUserPrincipal() instanceof PeerPrincipal peer)) {
            throw new ApiException(401, "UNAUTHENTICATED", "peer endpoints need a signed request", Map.of());
        }
        long a = after == null || after.isBlank() ? 0 : Params.integer("after", after, 0, Integer.MAX_VALUE);
        return settlement.feed(peer.peer(), a, Params.integer("limit", limit, 1, 1000, 500));
    }

}
