package org.scow.apps.internal;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.ws.rs.Consumes;
import javax.ws.rs.DELETE;
import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
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
import org.scow.api.scheduler.Partition;
import org.scow.api.scheduler.SchedulerDriver;
import org.scow.api.scheduler.SchedulerException;
import org.scow.api.security.Role;
import org.scow.apps.internal.AppDefinition.SchedulerField;
import org.scow.apps.internal.AppService.SessionView;
import org.scow.apps.internal.SessionStatus.CancelledBy;
import org.scow.rest.support.Allow;
import org.scow.rest.support.ApiException;
import org.scow.rest.support.Authenticated;
import org.scow.rest.support.Caller;
import org.scow.rest.support.Params;

/**
 * Interactive apps and their sessions: {@code /api/v1/apps} (definitions and launch forms) and
 * {@code /api/v1/app-sessions} (the caller's sessions; platform admins see and end everyone's).
 */
@Component(service = AppsResource.class)
@JaxrsResource
@JSONRequired
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "apps", description = "Interactive apps (Jupyter, VS Code, desktops) as batch jobs behind the proxy")
public class AppsResource {
    static final int MAX_SESSIONS = 200;

    @Context
    private SecurityContext security;

    @Reference
    private AppService service;

    /** An app as listed. */
    public record AppSummary(String id, String name, String description, String icon, String type,
                             List<String> clusters) {
    }

    /** The apps (for a cluster, when given), and, for platform admins, the definition files left out. */
    public record AppList(List<AppSummary> apps, List<String> problems) {
    }

    /** One field of a launch form; {@code options} for choices, {@code min}/{@code max} for numbers. */
    public record FormField(String name, String label, String type, boolean required, String value, boolean fixed,
                            boolean hidden, List<AppDefinition.Option> options, Object min, Object max, String help) {
    }

    /** The launch form of an app on a cluster, filled from what the caller may use. */
    public record Form(String app, String cluster, List<FormField> fields) {
    }

    /** A launch: the app, the cluster and the form values by field name. */
    public record Launch(String app, String cluster, Map<String, Object> values) {
    }

    @GET
    @Path("apps")
    @Operation(summary = "The interactive apps, or those offered on one cluster")
    @Authenticated
    public AppList apps(@QueryParam("cluster") String cluster) {
        if (cluster != null) {
            Params.name("cluster", cluster);
        }
        List<AppSummary> apps = service.catalog().apps().stream().filter(a -> cluster == null || a.offeredOn(cluster))
                .map(a -> new AppSummary(a.id(), a.name(), a.description(), a.icon(), a.type().name().toLowerCase(),
                        a.clusters())).toList();
        return new AppList(apps, Caller.isPlatformAdmin(security) ? service.catalog().problems() : List.of());
    }

    @GET
    @Path("apps/{id}/form")
    @Operation(summary = "An app's launch form on a cluster: accounts, partitions, QoS and limits the caller may "
            + "use (partitions of the given account), and the app's own fields")
    @Authenticated
    public Form form(@PathParam("id") String appId, @QueryParam("cluster") String cluster,
                     @QueryParam("account") String account) throws SchedulerException {
        Params.name("cluster", cluster);
        AppDefinition app = service.app(appId);
        if (!app.offeredOn(cluster)) {
            throw ApiException.badField("cluster", "the app '" + appId + "' is not offered on cluster '" + cluster + "'");
        }
        String user = Caller.userId(security, null);
        SchedulerDriver driver = service.driver(cluster);
        List<FormField> fields = new ArrayList<>();
        Map<SchedulerField.Name, SchedulerField> s = app.scheduler();
        List<String> accounts = restrict(s.get(SchedulerField.Name.ACCOUNT), driver.listAccounts(user));
        String acc = account != null ? Params.name("account", account) : value(s.get(SchedulerField.Name.ACCOUNT),
                accounts);
        fields.add(choice(s.get(SchedulerField.Name.ACCOUNT), "Account", accounts, acc));
        List<Partition> parts = acc == null ? List.of() : driver.availablePartitions(acc, user).stream()
                .filter(Partition::up).toList();
        List<String> partNames = restrict(s.get(SchedulerField.Name.PARTITION), parts.stream().map(Partition::name)
                .toList());
        String part = value(s.get(SchedulerField.Name.PARTITION), partNames);
        fields.add(choice(s.get(SchedulerField.Name.PARTITION), "Partition", partNames, part));
        Partition p = parts.stream().filter(x -> x.name().equals(part)).findFirst().orElse(null);
        fields.add(choice(s.get(SchedulerField.Name.QOS), "QoS", restrict(s.get(SchedulerField.Name.QOS),
                p == null ? List.of() : p.qos()), null));
        fields.add(number(s.get(SchedulerField.Name.GPUS), "GPUs", 0, p == null ? 0 : p.gpus(), 0));
        fields.add(number(s.get(SchedulerField.Name.CORES), "CPU cores", 1, p == null ? 1 : Math.max(1, p.cores()), 1));
        long timeMax = p == null || p.maxTimeMinutes() == null ? Integer.MAX_VALUE : p.maxTimeMinutes();
        fields.add(number(s.get(SchedulerField.Name.TIME), "Time limit (minutes)", 1, timeMax, Math.min(60, timeMax)));
        for (AppDefinition.Attribute a : app.attributes()) {
            fields.add(new FormField(a.name(), a.label() == null ? a.name() : a.label(), a.type().name().toLowerCase(),
                    a.required(), a.defaultValue(), false, false, a.options(), a.min(), a.max(), a.help()));
        }
        return new Form(app.id(), cluster, fields);
    }

    @POST
    @Path("app-sessions")
    @Operation(summary = "Launch an app: submits its job as the caller; 201 with the session")
    @Authenticated
    public Response launch(Launch launch) throws SchedulerException {
        Params.body(launch);
        if (launch.app() == null || launch.app().isBlank()) {
            throw ApiException.badField("app", "is required");
        }
        Params.name("cluster", launch.cluster());
        String user = Caller.userId(security, null);
        if (user == null) {
            throw Caller.unauthenticated();
        }
        SessionView v = service.launch(user, launch.cluster(), launch.app(), strings(launch.values()));
        return Response.status(201).entity(v).build();
    }

    @GET
    @Path("app-sessions")
    @Operation(summary = "The caller's app sessions, newest first (at most 200)")
    @Authenticated
    public List<SessionView> mine(@QueryParam("cluster") String cluster) {
        if (cluster != null) {
            Params.name("cluster", cluster);
        }
        return service.sessions(Caller.userId(security, null), cluster, MAX_SESSIONS);
    }

    @GET
    @Path("app-sessions/all")
    @Operation(summary = "Everyone's app sessions, newest first (at most 200), optionally of one user or cluster")
    @Allow({Role.PLATFORM_ADMIN})
    public List<SessionView> all(@QueryParam("cluster") String cluster, @QueryParam("user") String user) {
        if (cluster != null) {
            Params.name("cluster", cluster);
        }
        if (user != null) {
            Params.name("user", user);
        }
        return service.sessions(user, cluster, MAX_SESSIONS);
    }

    @GET
    @Path("app-sessions/{id}")
    @Operation(summary = "One app session with its status")
    @Authenticated
    public SessionView get(@PathParam("id") String id) {
        return service.view(visible(id));
    }

    @DELETE
    @Path("app-sessions/{id}")
    @Operation(summary = "End a session (cancels its job): its owner, or a platform admin")
    @Authenticated
    public SessionView cancel(@PathParam("id") String id) throws SchedulerException {
        AppSessionEntity e = visible(id);
        CancelledBy by = e.owner.equals(Caller.userId(security, e.owner)) ? CancelledBy.OWNER : CancelledBy.ADMIN;
        return service.cancel(e, by);
    }

    @POST
    @Path("app-sessions/{id}/relaunch")
    @Operation(summary = "Launch the same app again with the same settings; 201 with the new session")
    @Authenticated
    public Response relaunch(@PathParam("id") String id) throws SchedulerException {
        AppSessionEntity e = own(id);
        SessionView v = service.launch(e.owner, e.cluster, e.appId, service.values(e));
        return Response.status(201).entity(v).build();
    }

    @GET
    @Path("app-sessions/{id}/connect")
    @Operation(summary = "How to open a running session: method, URL below /proxy and the password (owner only)")
    @Authenticated
    public AppService.ConnectInfo connect(@PathParam("id") String id) {
        return service.connect(own(id));
    }

    /** The owner's session, or a platform admin's view of anyone's; 404 for others (no probing of ids). */
    private AppSessionEntity visible(String id) {
        AppSessionEntity e = service.entity(id);
        if (!Caller.isPlatformAdmin(security) && !e.owner.equals(Caller.userId(security, null))) {
            throw ApiException.notFound("SESSION_NOT_FOUND", "no app session '" + id + "'", Map.of("id", id));
        }
        return e;
    }

    /** Only the owner (connecting and relaunching act as the owner's Unix user). */
    private AppSessionEntity own(String id) {
        AppSessionEntity e = visible(id);
        if (!e.owner.equals(Caller.userId(security, e.owner))) {
            throw Caller.forbidden();
        }
        return e;
    }

    private static Map<String, String> strings(Map<String, Object> values) {
        Map<String, String> out = new LinkedHashMap<>();
        if (values == null) {
            return out;
        }
        for (Map.Entry<String, Object> e : values.entrySet()) {
            Object v = e.getValue();
            if (v instanceof Map || v instanceof List) {
                throw ApiException.badField("values." + e.getKey(), "must be a single value");
            }
            if (v != null) {
                out.put(e.getKey(), v.toString());
            }
        }
        return out;
    }

    private static List<String> restrict(SchedulerField f, List<String> usable) {
        return f.allowed().isEmpty() ? usable : usable.stream().filter(f.allowed()::contains).toList();
    }

    private static String value(SchedulerField f, List<String> choices) {
        if (f.fixed() != null) {
            return f.fixed();
        }
        if (f.defaultValue() != null && choices.contains(f.defaultValue())) {
            return f.defaultValue();
        }
        return choices.isEmpty() ? null : choices.get(0);
    }

    private static FormField choice(SchedulerField f, String label, List<String> choices, String value) {
        List<AppDefinition.Option> options = choices.stream().map(c -> new AppDefinition.Option(c, c)).toList();
        return new FormField(f.name().key(), label, "select", f.name() != SchedulerField.Name.QOS,
                f.fixed() != null ? f.fixed() : value, f.fixed() != null, f.hidden(), options, null, null, null);
    }

    private static FormField number(SchedulerField f, String label, long min, long max, long fallback) {
        long lo = f.min() == null ? min : Math.max(min, f.min());
        long hi = f.max() == null ? max : Math.min(max, f.max());
        String v = f.fixed() != null ? f.fixed() : f.defaultValue() != null ? f.defaultValue()
                : Long.toString(Math.max(lo, Math.min(hi, fallback)));
        return new FormField(f.name().key(), label, "number", true, v, f.fixed() != null, f.hidden(), List.of(), lo,
                hi, null);
    }
}
