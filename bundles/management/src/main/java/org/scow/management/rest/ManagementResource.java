package org.scow.management.rest;

import org.scow.rest.support.Authenticated;
import org.scow.rest.support.Allow;
import org.scow.rest.support.Caller;
import org.scow.rest.support.Csv;
import org.scow.rest.support.ScowPrincipal;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import javax.servlet.http.HttpServletRequest;
import javax.ws.rs.Consumes;
import javax.ws.rs.DELETE;
import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.PUT;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.HttpHeaders;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JSONRequired;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;
import org.scow.api.cluster.ClusterRegistry;
import org.scow.api.security.Role;
import org.scow.api.security.RoleDirectory;
import org.scow.api.security.UserRoles;
import org.scow.management.AccountRole;
import org.scow.management.Actor;
import org.scow.management.AuditLog;
import org.scow.management.ClusterSync;
import org.scow.management.ManagementException;
import org.scow.management.ManagementService;
import org.scow.management.internal.ClusterImport;
import org.scow.management.Model.Account;
import org.scow.management.Model.Member;
import org.scow.management.Model.Tenant;
import org.scow.management.Model.User;
import org.scow.rest.support.Params;

/**
 * Tenants, users, accounts, roles, whitelist and manual blocks; the audit log; on-demand block reconciliation.
 * The acting user is the authenticated caller; each method's {@code @Allow}/{@code @Authenticated} rule is enforced by
 * the auth bundle's filter, tenant and self scoping here.
 */
@Component(service = ManagementResource.class)
@JaxrsResource
@JSONRequired
@Path("/api/v1/management")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "management", description = "Tenants, accounts, users, roles, blocks and the audit log. "
        + "Tenant roles act within their tenant, account owners/admins within their account.")
public class ManagementResource {
    @Reference
    private ManagementService management;
    @Reference
    private RoleDirectory roles;
    @Reference
    private AuditLog audit;
    @Reference
    private ClusterSync sync;
    @Reference
    private ClusterRegistry clusters;

    // Thread-local proxies injected by the JAX-RS runtime (this resource is a singleton).
    @Context
    private HttpHeaders headers;
    @Context
    private HttpServletRequest request;
    @Context
    private javax.ws.rs.core.SecurityContext security;

    public record NewTenant(String name, String admin) {
    }

    public record NewUser(String userId, String name, String email, String tenant) {
    }

    public record NewAccount(String name, String tenant, String owner, String comment) {
    }

    public record NewMember(String user, String role) {
    }

    public record RoleChange(String role) {
    }

    public record TenantChange(String tenant) {
    }

    public record WhitelistRequest(Instant expiresAt, String comment) {
    }

    public record ImportPreview(String cluster, List<ClusterImport.Candidate> accounts) {
    }

    public record ImportRequest(String cluster, String tenant, List<ClusterImport.Selection> accounts) {
    }

    /** Tenant roles see their own tenant only. */
    private String callerTenantUnlessAdmin(String tenant) {
        if (Caller.isPlatformAdmin(security)) {
            return blankToNull(tenant);
        }
        ScowPrincipal p = Caller.principal(security);
        if (p == null || p.roles() == null) {
            throw Caller.forbidden();
        }
        String own = p.roles().tenant();
        if (blankToNull(tenant) != null && !tenant.equals(own)) {
            throw Caller.forbidden();
        }
        return own;
    }

    /** A user sees their own record; tenant admins those of their tenant; platform admins all. */
    private void requireSelfOrTenantAdmin(String user) {
        if (Caller.isPlatformAdmin(security)) {
            return;
        }
        ScowPrincipal p = Caller.principal(security);
        if (p == null) {
            throw Caller.unauthenticated();
        }
        if (p.userId().equals(user)) {
            return;
        }
        UserRoles mine = p.roles();
        if (mine != null && mine.tenantRoles().contains(Role.TENANT_ADMIN)
                && roles.rolesOf(user).map(r -> mine.tenant().equals(r.tenant())).orElse(false)) {
            return;
        }
        throw Caller.forbidden();
    }

    /** An account admin acts on the account's plain users only, never on its owner or another admin (403). */
    private void requireOutranks(String account, String user) {
        Caller.requireOutranks(security, account, management.account(account).map(Account::tenant).orElse(null),
                roles.rolesOf(user).map(r -> r.accounts().get(account)).orElse(null));
    }

    private Actor actor() {
        return RequestActor.of(headers, request, security);
    }

    @GET
    @Path("tenants")
    @Operation(summary = "All tenants")
    @Allow({Role.PLATFORM_FINANCE})
    public List<Tenant> tenants() {
        return management.tenants();
    }

    @POST
    @Path("tenants")
    @Operation(summary = "Create a tenant, optionally moving an existing user into it as its admin")
    @Allow({Role.PLATFORM_ADMIN})
    public Response createTenant(NewTenant body) {
        Params.body(body);
        return Response.status(201).entity(management.createTenant(actor(), body.name(), body.admin())).build();
    }

    @GET
    @Path("users")
    @Operation(summary = "Users of a tenant (tenant=...) or of all tenants")
    @Allow({Role.TENANT_ADMIN})
    public List<User> users(@QueryParam("tenant") String tenant) {
        return management.users(callerTenantUnlessAdmin(tenant));
    }

    @POST
    @Path("users")
    @Operation(summary = "Create a user in a tenant (tenant admins: their own tenant, the default)")
    @Allow({Role.TENANT_ADMIN})
    public Response createUser(NewUser body) {
        Params.body(body);
        return Response.status(201).entity(management.createUser(actor(), body.userId(), body.name(), body.email(),
                targetTenant(body.tenant()))).build();
    }

    @GET
    @Path("users/{user}")
    @Operation(summary = "One user with their platform and tenant roles")
    @Authenticated
    public User user(@PathParam("user") String user) {
        requireSelfOrTenantAdmin(user);
        return management.user(user).orElseThrow(() -> ManagementException.notFound("user", user));
    }

    @GET
    @Path("users/{user}/roles")
    @Operation(summary = "Every role of a user: platform, tenant and per account")
    @Authenticated
    public UserRoles userRoles(@PathParam("user") String user) {
        requireSelfOrTenantAdmin(user);
        return roles.rolesOf(user).orElseThrow(() -> ManagementException.notFound("user", user));
    }

    @PUT
    @Path("users/{user}/tenant")
    @Operation(summary = "Move a user that belongs to no account to another tenant")
    @Allow({Role.PLATFORM_ADMIN})
    public User changeTenant(@PathParam("user") String user, TenantChange body) {
        Params.body(body);
        return management.changeTenant(actor(), user, body.tenant());
    }

    @PUT
    @Path("users/{user}/roles/{role}")
    @Operation(summary = "Grant a platform or tenant role (PLATFORM_ADMIN, PLATFORM_FINANCE, TENANT_ADMIN, "
            + "TENANT_FINANCE)")
    @Allow({Role.PLATFORM_ADMIN})
    public User setRole(@PathParam("user") String user, @PathParam("role") String role) {
        return management.setRole(actor(), user, Params.enumValue("role", role, Role.class));
    }

    @DELETE
    @Path("users/{user}/roles/{role}")
    @Operation(summary = "Revoke a platform or tenant role")
    @Allow({Role.PLATFORM_ADMIN})
    public User unsetRole(@PathParam("user") String user, @PathParam("role") String role) {
        return management.unsetRole(actor(), user, Params.enumValue("role", role, Role.class));
    }

    @GET
    @Path("accounts")
    @Operation(summary = "Accounts of a tenant (tenant=...) or of all tenants, with members")
    @Allow({Role.TENANT_ADMIN, Role.TENANT_FINANCE})
    public List<Account> accounts(@QueryParam("tenant") String tenant) {
        return management.accounts(callerTenantUnlessAdmin(tenant));
    }

    @POST
    @Path("accounts")
    @Operation(summary = "Create an account with its owner; it is created on every online cluster (tenant admins: "
            + "in their own tenant, the default)")
    @Allow({Role.TENANT_ADMIN})
    public Response createAccount(NewAccount body) {
        Params.body(body);
        return Response.status(201).entity(management.createAccount(actor(), body.name(),
                targetTenant(body.tenant()), body.owner(), body.comment())).build();
    }

    /**
     * The tenant a write goes to: whatever a platform admin names; for a tenant admin their own tenant, and naming
     * another one is refused (403) instead of being quietly redirected.
     */
    private String targetTenant(String requested) {
        if (Caller.isPlatformAdmin(security)) {
            return requested;
        }
        String own = callerTenantUnlessAdmin(requested);
        if (own == null) {
            throw Caller.forbidden();
        }
        return own;
    }

    @GET
    @Path("accounts/{account}")
    @Operation(summary = "One account with its members")
    @Allow({Role.ACCOUNT_OWNER, Role.ACCOUNT_ADMIN, Role.ACCOUNT_USER, Role.TENANT_ADMIN, Role.TENANT_FINANCE})
    public Account account(@PathParam("account") String account) {
        return management.account(account).orElseThrow(() -> ManagementException.notFound("account", account));
    }

    @POST
    @Path("accounts/{account}/members")
    @Operation(summary = "Add a user of the account's tenant to the account (role ADMIN or USER, default USER)")
    @Allow({Role.ACCOUNT_OWNER, Role.ACCOUNT_ADMIN, Role.TENANT_ADMIN})
    public Response addMember(@PathParam("account") String account, NewMember body) {
        Params.body(body);
        AccountRole role = body.role() == null ? null : Params.enumValue("role", body.role(), AccountRole.class);
        return Response.status(201).entity(management.addUserToAccount(actor(), account, body.user(), role)).build();
    }

    @DELETE
    @Path("accounts/{account}/members/{user}")
    @Operation(summary = "Remove a user from an account (not its owner)")
    @Allow({Role.ACCOUNT_OWNER, Role.ACCOUNT_ADMIN, Role.TENANT_ADMIN})
    public Response removeMember(@PathParam("account") String account, @PathParam("user") String user) {
        requireOutranks(account, user);
        management.removeUserFromAccount(actor(), account, user);
        return Response.noContent().build();
    }

    @PUT
    @Path("accounts/{account}/members/{user}/role")
    @Operation(summary = "Change a member's role in the account (ADMIN or USER)")
    @Allow({Role.ACCOUNT_OWNER, Role.TENANT_ADMIN})
    public Member setMemberRole(@PathParam("account") String account, @PathParam("user") String user,
                                RoleChange body) {
        Params.body(body);
        return management.setAccountRole(actor(), account, user,
                Params.enumValue("role", String.valueOf(body.role()), AccountRole.class));
    }

    @PUT
    @Path("accounts/{account}/whitelist")
    @Operation(summary = "Whitelist an account (never blocked for its balance), optionally until expiresAt")
    @Allow({Role.TENANT_ADMIN})
    public Account whitelist(@PathParam("account") String account, WhitelistRequest body) {
        WhitelistRequest b = body == null ? new WhitelistRequest(null, null) : body;
        return management.whitelist(actor(), account, b.expiresAt(), b.comment());
    }

    @DELETE
    @Path("accounts/{account}/whitelist")
    @Operation(summary = "Remove an account from the whitelist")
    @Allow({Role.TENANT_ADMIN})
    public Account dewhitelist(@PathParam("account") String account) {
        return management.dewhitelist(actor(), account);
    }

    @PUT
    @Path("accounts/{account}/block")
    @Operation(summary = "Block an account by hand on every cluster (whitelist does not lift a manual block)")
    @Allow({Role.TENANT_ADMIN})
    public Account block(@PathParam("account") String account) {
        return management.blockAccount(actor(), account);
    }

    @DELETE
    @Path("accounts/{account}/block")
    @Operation(summary = "Lift the manual block of an account (its balance may still keep it blocked)")
    @Allow({Role.TENANT_ADMIN})
    public Account unblock(@PathParam("account") String account) {
        return management.unblockAccount(actor(), account);
    }

    @PUT
    @Path("accounts/{account}/members/{user}/block")
    @Operation(summary = "Block a user in an account by hand")
    @Allow({Role.ACCOUNT_OWNER, Role.ACCOUNT_ADMIN, Role.TENANT_ADMIN})
    public Member blockUser(@PathParam("account") String account, @PathParam("user") String user) {
        requireOutranks(account, user);
        return management.blockUser(actor(), account, user);
    }

    @DELETE
    @Path("accounts/{account}/members/{user}/block")
    @Operation(summary = "Lift the manual block of a user in an account")
    @Allow({Role.ACCOUNT_OWNER, Role.ACCOUNT_ADMIN, Role.TENANT_ADMIN})
    public Member unblockUser(@PathParam("account") String account, @PathParam("user") String user) {
        requireOutranks(account, user);
        return management.unblockUser(actor(), account, user);
    }

    @POST
    @Path("block-sync")
    @Operation(summary = "Reconcile desired and actual block states now, on one cluster (cluster=...) or all; "
            + "answers what was changed")
    @Allow({Role.PLATFORM_ADMIN})
    public ClusterSync.Report reconcile(@QueryParam("cluster") String cluster) {
        Actor actor = actor();
        try {
            ClusterSync.Report report = sync.reconcile(blankToNull(cluster));
            audit.record(actor, "RECONCILE_BLOCKS", "CLUSTER", cluster == null ? "*" : cluster,
                    Map.of("changes", report.changes().size()), true, null);
            return report;
        } catch (RuntimeException e) {
            audit.record(actor, "RECONCILE_BLOCKS", "CLUSTER", cluster == null ? "*" : cluster, Map.of(), false,
                    e.getMessage());
            throw e;
        }
    }

    @GET
    @Path("import")
    @Operation(summary = "Accounts and users a cluster already has, and whether the platform knows each account "
            + "(platform admins: a cluster's accounts belong to no tenant until imported)")
    @Allow({Role.PLATFORM_ADMIN})
    public ImportPreview importPreview(@QueryParam("cluster") String cluster) {
        return new ImportPreview(cluster, importer().preview(blankToNull(cluster)));
    }

    @POST
    @Path("import")
    @Operation(summary = "Import chosen accounts of a cluster into a tenant (owner: the cluster's unless given; "
            + "whitelist: optional), creating missing users and members; running it again creates nothing (platform "
            + "admins)")
    @Allow({Role.PLATFORM_ADMIN})
    public ClusterImport.Report importAccounts(ImportRequest body) {
        Params.body(body);
        if (blankToNull(body.tenant()) == null) {
            throw ManagementException.invalid("tenant", "is required");
        }
        String tenant = callerTenantUnlessAdmin(body.tenant());
        return importer().importAccounts(actor(), blankToNull(body.cluster()), tenant, body.accounts());
    }

    private ClusterImport importer() {
        return new ClusterImport(clusters, management, audit);
    }

    @GET
    @Path("audit")
    @Produces({MediaType.APPLICATION_JSON, Csv.TYPE})
    @Operation(summary = "Audit log, newest first, filtered by actor, operation, targetType, target, result "
            + "(SUCCESS/FAILURE) and an inclusive time range from..to; format=csv streams every match as CSV")
    @Allow({Role.PLATFORM_ADMIN})
    public Response audit(@QueryParam("actor") String actor, @QueryParam("operation") String operation,
                          @QueryParam("targetType") String targetType, @QueryParam("target") String target,
                          @QueryParam("result") String result, @QueryParam("from") String from,
                          @QueryParam("to") String to, @QueryParam("offset") String offset,
                          @QueryParam("limit") String limit, @QueryParam("format") String format) {
        Integer off = Params.integer("offset", offset, 0, Integer.MAX_VALUE);
        Integer lim = Params.integer("limit", limit, 1, 10_000);
        Instant f = Params.instant("from", from);
        Instant t = Params.instant("to", to);
        java.util.function.BiFunction<Integer, Integer, AuditLog.Query> query = (o, l) -> new AuditLog.Query(
                blankToNull(actor), blankToNull(operation), blankToNull(targetType), blankToNull(target),
                blankToNull(result), f, t, o, l);
        if (!Csv.requested(format)) {
            return Response.ok(audit.query(query.apply(off == null ? 0 : off, lim == null ? 100 : lim)),
                    MediaType.APPLICATION_JSON_TYPE).build();
        }
        query.apply(0, 1); // bad filters answer 400 before the stream starts
        return Csv.response("audit.csv", List.of("id", "occurredAt", "actor", "sourceIp", "operation", "targetType",
                "target", "parameters", "result", "message"), out -> {
            int page = 1000;
            for (int o = off == null ? 0 : off; ; o += page) {
                List<AuditLog.Entry> entries = audit.query(query.apply(o, page));
                for (AuditLog.Entry e : entries) {
                    out.accept(List.of(e.id(), e.occurredAt(), e.actor(), nz(e.sourceIp()), e.operation(),
                            e.targetType(), nz(e.target()), nz(e.parameters()), e.result(), nz(e.message())));
                }
                if (entries.size() < page) {
                    return;
                }
            }
        });
    }

    private static Object nz(Object o) {
        return o == null ? "" : o;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
