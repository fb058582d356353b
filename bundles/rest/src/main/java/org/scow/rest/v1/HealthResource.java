package org.scow.rest.v1;

import org.scow.rest.support.Public;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import org.osgi.framework.FrameworkUtil;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JSONRequired;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;
import org.scow.api.health.HealthCheck;

@Component(service = HealthResource.class)
@JaxrsResource
@JSONRequired
@Path("/api/v1/health")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "health", description = "Is the platform up")
public class HealthResource {
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private final List<HealthCheck> checks = new CopyOnWriteArrayList<>();

    /** The platform's state; {@code status} is UP, DEGRADED or DOWN. */
    public record Health(HealthCheck.Status status, String version, java.util.Map<String, HealthCheck.Result> checks) {
    }

    @GET
    @Operation(summary = "Platform health: 200 while UP or DEGRADED, 503 when any check is DOWN")
    @Public
    public Response health() {
        HealthCheck.Report report = HealthCheck.Report.of(checks);
        String version = FrameworkUtil.getBundle(HealthResource.class) == null ? "dev"
                : FrameworkUtil.getBundle(HealthResource.class).getVersion().toString();
        Health body = new Health(report.status(), version, report.checks());
        return Response.status(report.status() == HealthCheck.Status.DOWN ? 503 : 200).entity(body).build();
    }
}
