package org.scow.rest.v1;

import org.scow.rest.support.Authenticated;
import org.scow.rest.support.Allow;
import org.scow.rest.support.Caller;
import org.scow.api.security.Role;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import javax.ws.rs.Consumes;
import javax.ws.rs.DELETE;
import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JSONRequired;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;
import org.scow.api.cluster.ClusterEvents;
import org.scow.api.cluster.ClusterRegistry;
import org.scow.api.scheduler.JobField;
import org.scow.api.scheduler.JobFilter;
import org.scow.api.scheduler.JobInfo;
import org.scow.api.scheduler.JobQuery;
import org.scow.api.scheduler.JobSpec;
import org.scow.api.scheduler.JobState;
import org.scow.api.scheduler.SchedulerException;
import org.scow.api.scheduler.SubmittedJob;
import org.scow.api.scheduler.TimeRange;
import org.scow.api.security.RoleDirectory;
import org.scow.api.security.SystemAccountPolicy;
import org.scow.rest.support.ApiException;
import org.scow.rest.support.ScowPrincipal;
import org.scow.rest.support.Params;

/**
 * Jobs of one cluster. The job's user is a request field ({@code user}): the signed-in caller themselves, or anyone
 * for a platform admin. System accounts (root, uids below the minimum) never get a job, whoever asks.
 */
@Component(service = JobResource.class)
@JaxrsResource
@JSONRequired
@Path("/api/v1/clusters/{cluster}/jobs")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "jobs", description = "Submit, list, inspect and cancel jobs")
public class JobResource {
    @javax.ws.rs.core.Context
    private javax.ws.rs.core.SecurityContext security;

    @Reference
    private ClusterRegistry registry;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile EventAdmin eventAdmin;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile RoleDirectory roleDirectory;

    @Reference
    private SystemAccountPolicy systemAccounts;

    /** A raw batch script whose directives carry the options. */
    public record ScriptSubmission(String user, String script, String workingDirectory) {
    }

    /** A page of jobs and the number of all matching jobs. */
    public record JobList(List<JobInfo> jobs, long totalCount) {
    }

    /** A change of time limit, in minutes (negative shortens). */
    public record TimeLimitChange(Long deltaMinutes) {
    }

    /** A job's time limit. */
    public record TimeLimit(String jobId, long minutes) {
    }

    @GET
    @Operation(summary = "List jobs with filters, paging, sorting (field, or -field for descending) and field selection")
    @Authenticated
    public JobList list(@PathParam("cluster") String cluster,
                        @QueryParam("user") List<String> users,
                        @QueryParam("account") List<String> accounts,
                        @QueryParam("state") List<String> states,
                        @QueryParam("submittedFrom") String submittedFrom,
                        @QueryParam("submittedTo") String submittedTo,
                        @QueryParam("endedFrom") String endedFrom,
                        @QueryParam("endedTo") String endedTo,
                        @QueryParam("jobId") String jobId,
                        @QueryParam("name") String name,
                        @QueryParam("page") String page,
                        @QueryParam("pageSize") String pageSize,
                        @QueryParam("sort") String sort,
                        @QueryParam("fields") List<String> fields) throws SchedulerException {
        Set<String> userSet = Params.names("user", users);
        Set<String> accountSet = Params.names("account", accounts);
        if (!Caller.isPlatformAdmin(security)) {
            // own jobs only, unless every requested account is one the caller manages; a tenant admin asking for no
            // account in particular sees the jobs of the tenant's accounts
            String me = Caller.userId(security, null);
            boolean managesAll = !accountSet.isEmpty()
                    && accountSet.stream().allMatch(a -> Caller.mayActFor(security, null, a, tenantOf(a)));
            Set<String> tenantAccounts = accountSet.isEmpty() ? tenantAdminAccounts() : Set.of();
            if (!tenantAccounts.isEmpty()) {
                accountSet = tenantAccounts;
            } else if (!managesAll) {
                userSet = Set.of(me);
            }
        }
        JobFilter filter = new JobFilter(userSet, accountSet,
                Params.list(states).stream().map(s -> Params.enumValue("state", s, JobState.class))
                        .collect(Collectors.toSet()),
                range("submittedFrom", submittedFrom, "submittedTo", submittedTo),
                range("endedFrom", endedFrom, "endedTo", endedTo), blankToNull(jobId), blankToNull(name));
        Set<JobField> selected = Params.list(fields).stream().map(f -> Params.enumValue("fields", f, JobField.class))
                .collect(Collectors.toCollection(() -> EnumSet.noneOf(JobField.class)));
        JobQuery query = new JobQuery(selected, filter, page(page, pageSize), sort(sort));
        JobQuery.Result result = ClusterAccess.driver(registry, cluster).queryJobs(query);
        return new JobList(result.jobs(), result.totalCount());
    }

    @GET
    @Path("{jobId}")
    @Operation(summary = "One job, pending, running or finished")
    @Authenticated
    public JobInfo get(@PathParam("cluster") String cluster, @PathParam("jobId") String jobId)
            throws SchedulerException {
        return visibleJob(cluster, jobId);
    }

    @POST
    @Operation(summary = "Submit a job described by fields; 201 with the job id and the generated script")
    @Authenticated
    public Response submit(@PathParam("cluster") String cluster, JobSpec spec) throws SchedulerException {
        Params.body(spec).validate();
        refuseSystemAccount(spec.user());
        requireSelf(spec.user());
        SubmittedJob job = ClusterAccess.driver(registry, cluster).submitJob(spec);
        submitted(cluster, job, spec.user());
        return Response.status(201).entity(job).build();
    }

    @POST
    @Path("script")
    @Operation(summary = "Submit a complete batch script; 201 with the job id")
    @Authenticated
    public Response submitScript(@PathParam("cluster") String cluster, ScriptSubmission s) throws SchedulerException {
        Params.name("user", Params.body(s).user());
        refuseSystemAccount(s.user());
        requireSelf(s.user());
        if (s.script() == null || s.script().isBlank()) {
            throw ApiException.badField("script", "must not be empty");
        }
        if (s.workingDirectory() == null || !s.workingDirectory().startsWith("/")) {
            throw ApiException.badField("workingDirectory", "must be an absolute path");
        }
        SubmittedJob job = ClusterAccess.driver(registry, cluster).submitScript(s.user(), s.script(),
                s.workingDirectory());
        submitted(cluster, job, s.user());
        return Response.status(201).entity(job).build();
    }

    @DELETE
    @Path("{jobId}")
    @Operation(summary = "Cancel a job on behalf of its owner (user)")
    @Authenticated
    public Response cancel(@PathParam("cluster") String cluster, @PathParam("jobId") String jobId,
                           @QueryParam("user") String user) throws SchedulerException {
        String owner = Params.name("user", user);
        if (!Caller.isPlatformAdmin(security)) {
            JobInfo job = visibleJob(cluster, jobId);
            if (!owner.equals(job.user())) {
                throw Caller.forbidden();
            }
        }
        ClusterAccess.driver(registry, cluster).cancelJob(owner, jobId);
        return Response.noContent().build();
    }

    @GET
    @Path("{jobId}/time-limit")
    @Operation(summary = "A job's time limit in minutes")
    @Authenticated
    public TimeLimit timeLimit(@PathParam("cluster") String cluster, @PathParam("jobId") String jobId)
            throws SchedulerException {
        visibleJob(cluster, jobId);
        return new TimeLimit(jobId, ClusterAccess.driver(registry, cluster).timeLimitMinutes(jobId));
    }

    @POST
    @Path("{jobId}/time-limit")
    @Operation(summary = "Lengthen (positive deltaMinutes) or shorten a job's time limit; answers the new limit")
    @Allow({Role.PLATFORM_ADMIN})
    public TimeLimit changeTimeLimit(@PathParam("cluster") String cluster, @PathParam("jobId") String jobId,
                                     TimeLimitChange change) throws SchedulerException {
        if (Params.body(change).deltaMinutes() == null || change.deltaMinutes() == 0) {
            throw ApiException.badField("deltaMinutes", "is required and must not be 0");
        }
        var driver = ClusterAccess.driver(registry, cluster);
        driver.changeTimeLimit(jobId, change.deltaMinutes());
        return new TimeLimit(jobId, driver.timeLimitMinutes(jobId));
    }

    /** The job, if the caller may see it: their own, or of an account they manage; 403 otherwise. */
    private JobInfo visibleJob(String cluster, String jobId) throws SchedulerException {
        JobInfo job = ClusterAccess.driver(registry, cluster).getJob(jobId);
        if (!Caller.isPlatformAdmin(security)
                && !Caller.mayActFor(security, job.user(), job.account(), tenantOf(job.account()))) {
            throw Caller.forbidden();
        }
        return job;
    }

    private String tenantOf(String account) {
        RoleDirectory dir = roleDirectory;
        return dir == null || account == null ? null : dir.tenantOfAccount(account).orElse(null);
    }

    /** The accounts of the caller's tenant when the caller is its admin; else empty. */
    private Set<String> tenantAdminAccounts() {
        ScowPrincipal p = Caller.principal(security);
        RoleDirectory dir = roleDirectory;
        if (p == null || p.roles() == null || dir == null || p.roles().tenant() == null
                || !p.roles().tenantRoles().contains(Role.TENANT_ADMIN)) {
            return Set.of();
        }
        return dir.accountsOfTenant(p.roles().tenant());
    }

    /** Only a platform admin submits on behalf of someone else. */
    private void requireSelf(String user) {
        if (!Caller.isPlatformAdmin(security) && !Caller.userId(security, user).equals(user)) {
            throw Caller.forbidden();
        }
    }

    private void submitted(String cluster, SubmittedJob job, String user) {
        EventAdmin ea = eventAdmin;
        if (ea != null) {
            ea.postEvent(new Event(ClusterEvents.JOB_SUBMITTED, Map.of(ClusterEvents.CLUSTER, cluster,
                    ClusterEvents.JOB_ID, job.jobId(), ClusterEvents.USER, user)));
        }
    }

    private static TimeRange range(String fromName, String from, String toName, String to) {
        var f = Params.instant(fromName, from);
        var t = Params.instant(toName, to);
        if (f == null && t == null) {
            return null;
        }
        if (f != null && t != null && f.isAfter(t)) {
            throw ApiException.badField(fromName, "must not be after " + toName);
        }
        return new TimeRange(f, t);
    }

    private static JobQuery.Page page(String page, String pageSize) {
        Integer p = Params.integer("page", page, 1, Integer.MAX_VALUE);
        Integer s = Params.integer("pageSize", pageSize, 1, JobQuery.MAX_PAGE_SIZE);
        if (p == null && s == null) {
            return null;
        }
        return new JobQuery.Page(p == null ? 1 : p, s == null ? 50 : s);
    }

    private static JobQuery.Sort sort(String sort) {
        if (sort == null || sort.isBlank()) {
            return null;
        }
        boolean desc = sort.startsWith("-");
        return new JobQuery.Sort(Params.enumValue("sort", desc ? sort.substring(1) : sort, JobField.class), desc);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    /** 422 before anything reaches a scheduler: the schedulers refuse too, but the platform never asks. */
    private void refuseSystemAccount(String user) {
        systemAccounts.refusal(user).ifPresent(why -> {
            throw new ApiException(422, "SYSTEM_ACCOUNT", "user: " + why, Map.of("field", "user"));
        });
    }
}
