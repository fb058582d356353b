package org.scow.billing.rest;

import org.scow.rest.support.Authenticated;
import org.scow.rest.support.Allow;
import org.scow.rest.support.Caller;
import org.scow.rest.support.Csv;
import org.scow.api.security.Role;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import javax.servlet.http.HttpServletRequest;
import javax.ws.rs.Consumes;
import javax.ws.rs.DELETE;
import javax.ws.rs.GET;
import javax.ws.rs.HeaderParam;
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
import org.scow.billing.Adjustment;
import org.scow.billing.AmountStrategy;
import org.scow.billing.Balance;
import org.scow.billing.BillingService;
import org.scow.billing.Charge;
import org.scow.billing.Payment;
import org.scow.billing.Price;
import org.scow.billing.PriceChange;
import org.scow.billing.Scope;
import org.scow.billing.StatisticsReport;
import org.scow.billing.StoredJob;
import org.scow.billing.UserLimit;
import org.scow.management.Actor;
import org.scow.management.ManagementException;
import org.scow.management.ManagementService;
import org.scow.management.Model;
import org.scow.rest.support.ScowPrincipal;
import org.scow.api.security.UserRoles;
import java.util.Set;
import java.util.stream.Collectors;
import org.scow.rest.support.Params;

/**
 * Price tables, balances, payments, charges, thresholds, per-user charge limits and the job fetch loop. Money is a
 * JSON string or number with at most 4 decimals. The acting user is the authenticated caller; each method's access
 * rule is its {@code @Allow}/{@code @Authenticated} annotation.
 */
@Component(service = BillingResource.class)
@JaxrsResource
@JSONRequired
@Path("/api/v1/billing")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "billing", description = "Prices, balances, payments, charges and job charging. "
        + "Finance roles move money; account owners/admins see their account's balance and limits.")
public class BillingResource {
    @Reference
    private BillingService billing;
    @Reference
    private ManagementService management;

    @Context
    private HttpHeaders headers;
    @Context
    private HttpServletRequest request;
    @Context
    private javax.ws.rs.core.SecurityContext security;

    public record PaymentRequest(BigDecimal amount, String method, String comment) {
    }

    public record ChargeRequest(BigDecimal amount, String comment) {
    }

    public record ThresholdRequest(BigDecimal threshold) {
    }

    public record LimitRequest(BigDecimal limit) {
    }

    public record PriceChangeRequest(String tenant, String cluster, String partition, String qos, BigDecimal price,
                                     String amount, Instant from, Instant to, String comment) {
    }

    public record PriceRequest(String tenant, String cluster, String partition, String qos, BigDecimal price,
                               String amount, Instant validFrom, String comment) {
    }

    /**
     * Header of payments and charges: the same key again answers the first request's result and moves nothing. Keys
     * belong to the signed-in caller; a retrying client sends the key it chose for the first try.
     */
    static final String IDEMPOTENCY_KEY = "Idempotency-Key";

    private Actor actor() {
        String user = null;
        String ip = null;
        try {
            user = headers.getHeaderString("X-Scow-User");
            ip = request.getRemoteAddr();
        } catch (RuntimeException e) {
            // outside a request
        }
        user = org.scow.rest.support.Caller.userId(security, user);
        return new Actor(user, ip);
    }

    @GET
    @Path("prices")
    @Operation(summary = "Items of the default price table, or of a tenant's (tenant=...), history included")
    @Authenticated
    public List<Price> prices(@QueryParam("tenant") String tenant) {
        return billing.prices(blank(tenant));
    }

    @POST
    @Path("prices")
    @Operation(summary = "Add an immutable price item (tenant absent: the default table) valid from validFrom "
            + "(default now); amount is CPUS, GPUS, MAX_CPUS_MEM or MAX_GPUS_CPUS")
    @Allow({Role.PLATFORM_FINANCE})
    public Response addPrice(PriceRequest body) {
        Params.body(body);
        AmountStrategy amount = body.amount() == null ? null
                : Params.enumValue("amount", body.amount(), AmountStrategy.class);
        return Response.status(201).entity(billing.addPrice(actor(), blank(body.tenant()), body.cluster(),
                body.partition(), blank(body.qos()), body.price(), amount, body.validFrom(), body.comment())).build();
    }

    @GET
    @Path("prices/missing")
    @Operation(summary = "Partitions of online clusters without a default price (cluster/partition)")
    @Allow({Role.PLATFORM_FINANCE})
    public List<String> missingPrices() {
        return billing.missingDefaultPrices();
    }

    @GET
    @Path("accounts/{account}/balance")
    @Operation(summary = "An account's balance and effective block threshold")
    @Allow({Role.ACCOUNT_OWNER, Role.ACCOUNT_ADMIN, Role.TENANT_ADMIN, Role.TENANT_FINANCE, Role.PLATFORM_FINANCE})
    public Balance accountBalance(@PathParam("account") String account) {
        return billing.balance(BillingService.ACCOUNT, account);
    }

    @GET
    @Path("tenants/{tenant}/balance")
    @Operation(summary = "A tenant's balance and its accounts' default threshold")
    @Allow({Role.TENANT_ADMIN, Role.TENANT_FINANCE, Role.PLATFORM_FINANCE})
    public Balance tenantBalance(@PathParam("tenant") String tenant) {
        return billing.balance(BillingService.TENANT, tenant);
    }

    @POST
    @Path("accounts/{account}/payments")
    @Operation(summary = "Top up an account; lifts its balance block at once if the balance rises above the threshold. "
            + "Send an Idempotency-Key header to make retries safe")
    @Allow({Role.TENANT_FINANCE, Role.PLATFORM_FINANCE})
    public Balance payAccount(@PathParam("account") String account, @HeaderParam(IDEMPOTENCY_KEY) String idempotencyKey,
                              PaymentRequest body) {
        Params.body(body);
        return billing.pay(actor(), BillingService.ACCOUNT, account, body.amount(), body.method(), body.comment(), idempotencyKey);
    }

    @POST
    @Path("tenants/{tenant}/payments")
    @Operation(summary = "Top up a tenant")
    @Allow({Role.PLATFORM_FINANCE})
    public Balance payTenant(@PathParam("tenant") String tenant, @HeaderParam(IDEMPOTENCY_KEY) String idempotencyKey,
                              PaymentRequest body) {
        Params.body(body);
        return billing.pay(actor(), BillingService.TENANT, tenant, body.amount(), body.method(), body.comment(), idempotencyKey);
    }

    @POST
    @Path("accounts/{account}/charges")
    @Operation(summary = "Charge an account by hand (Idempotency-Key: retries charge once)")
    @Allow({Role.TENANT_FINANCE, Role.PLATFORM_FINANCE})
    public Balance chargeAccount(@PathParam("account") String account, @HeaderParam(IDEMPOTENCY_KEY) String idempotencyKey,
                              ChargeRequest body) {
        Params.body(body);
        return billing.charge(actor(), BillingService.ACCOUNT, account, body.amount(), body.comment(), idempotencyKey);
    }

    @POST
    @Path("tenants/{tenant}/charges")
    @Operation(summary = "Charge a tenant by hand")
    @Allow({Role.PLATFORM_FINANCE})
    public Balance chargeTenant(@PathParam("tenant") String tenant, @HeaderParam(IDEMPOTENCY_KEY) String idempotencyKey,
                              ChargeRequest body) {
        Params.body(body);
        return billing.charge(actor(), BillingService.TENANT, tenant, body.amount(), body.comment(), idempotencyKey);
    }

    @PUT
    @Path("accounts/{account}/threshold")
    @Operation(summary = "An account's block threshold (null: its tenant's default)")
    @Allow({Role.TENANT_ADMIN, Role.TENANT_FINANCE})
    public Balance accountThreshold(@PathParam("account") String account, ThresholdRequest body) {
        Params.body(body);
        return billing.setAccountThreshold(actor(), account, body.threshold());
    }

    @PUT
    @Path("tenants/{tenant}/account-threshold")
    @Operation(summary = "The default block threshold of a tenant's accounts")
    @Allow({Role.TENANT_ADMIN, Role.TENANT_FINANCE})
    public Balance tenantThreshold(@PathParam("tenant") String tenant, ThresholdRequest body) {
        Params.body(body);
        return billing.setTenantAccountThreshold(actor(), tenant, body.threshold());
    }

    /**
     * What the caller may read: platform admins and platform finance everything (narrowed by tenant, account or
     * user when given); tenant admins and tenant finance their tenant; account owners their accounts.
     */
    private Scope scope(String tenant, String account, String user) {
        tenant = blank(tenant);
        account = blank(account);
        user = blank(user);
        ScowPrincipal p = Caller.principal(security);
        UserRoles r = p == null ? null : p.roles();
        if (Caller.isPlatformAdmin(security) || r != null && r.platform().contains(Role.PLATFORM_FINANCE)) {
            if (account != null) {
                return new Scope(Set.of(account), Set.of(), user);
            }
            if (tenant != null) {
                String t = tenant;
                management.tenant(t).orElseThrow(() -> ManagementException.notFound("tenant", t));
                return new Scope(accountsOf(t), Set.of(t), user);
            }
            return new Scope(null, null, user);
        }
        if (r == null) {
            throw Caller.forbidden();
        }
        if (r.tenant() != null && (r.tenantRoles().contains(Role.TENANT_ADMIN)
                || r.tenantRoles().contains(Role.TENANT_FINANCE))) {
            if (tenant != null && !tenant.equals(r.tenant())) {
                throw Caller.forbidden();
            }
            if (account != null) {
                String a = account;
                if (!management.account(a).map(x -> x.tenant().equals(r.tenant())).orElse(false)) {
                    throw Caller.forbidden();
                }
                return new Scope(Set.of(a), Set.of(), user);
            }
            return new Scope(accountsOf(r.tenant()), Set.of(r.tenant()), user);
        }
        Set<String> owned = r.accounts().entrySet().stream().filter(e -> e.getValue() == Role.ACCOUNT_OWNER)
                .map(java.util.Map.Entry::getKey).collect(Collectors.toSet());
        if (tenant != null || account != null && !owned.contains(account) || owned.isEmpty()) {
            throw Caller.forbidden();
        }
        return new Scope(account != null ? Set.of(account) : owned, Set.of(), user);
    }

    private Set<String> accountsOf(String tenant) {
        return management.accounts(tenant).stream().map(Model.Account::name).collect(Collectors.toSet());
    }

    @GET
    @Path("payments")
    @Produces({MediaType.APPLICATION_JSON, Csv.TYPE})
    @Operation(summary = "Payments in the caller's scope, newest first, by targetType (ACCOUNT/TENANT), target, "
            + "tenant, account and time range from..to; format=csv streams every match as CSV")
    @Allow({Role.PLATFORM_FINANCE, Role.TENANT_FINANCE, Role.TENANT_ADMIN, Role.ACCOUNT_OWNER})
    public Response payments(@QueryParam("targetType") String targetType, @QueryParam("target") String target,
                             @QueryParam("tenant") String tenant, @QueryParam("account") String account,
                             @QueryParam("from") String from, @QueryParam("to") String to,
                             @QueryParam("offset") String offset, @QueryParam("limit") String limit,
                             @QueryParam("format") String format) {
        Scope scope = scope(tenant, account, null);
        Instant f = Params.instant("from", from);
        Instant t = Params.instant("to", to);
        PageQuery<Payment> page = (o, l) -> billing.payments(scope, blank(targetType), blank(target),
                f, t, o, l);
        return listOrCsv(format, offset, limit, page, "payments.csv", List.of("id", "targetType", "target", "amount",
                "method", "comment", "actor", "sourceIp", "paidAt"), p -> List.of(p.id(), p.targetType(), p.target(),
                p.amount().toPlainString(), nz(p.method()), nz(p.comment()), p.actor(), nz(p.sourceIp()), p.paidAt()));
    }

    @GET
    @Path("charges")
    @Produces({MediaType.APPLICATION_JSON, Csv.TYPE})
    @Operation(summary = "Charges (kind JOB, MANUAL, ADJUSTMENT) in the caller's scope, newest first, by targetType, "
            + "target, tenant, account, user and time range from..to; format=csv streams every match as CSV")
    @Allow({Role.PLATFORM_FINANCE, Role.TENANT_FINANCE, Role.TENANT_ADMIN, Role.ACCOUNT_OWNER})
    public Response charges(@QueryParam("targetType") String targetType, @QueryParam("target") String target,
                            @QueryParam("tenant") String tenant, @QueryParam("account") String account,
                            @QueryParam("user") String user, @QueryParam("from") String from,
                            @QueryParam("to") String to, @QueryParam("offset") String offset,
                            @QueryParam("limit") String limit, @QueryParam("format") String format) {
        Scope scope = scope(tenant, account, user);
        Instant f = Params.instant("from", from);
        Instant t = Params.instant("to", to);
        PageQuery<Charge> page = (o, l) -> billing.charges(scope, blank(targetType), blank(target), f,
                t, o, l);
        return listOrCsv(format, offset, limit, page, "charges.csv", List.of("id", "targetType", "target", "account",
                "user", "amount", "kind", "cluster", "jobId", "comment", "chargedAt"), c -> List.of(c.id(),
                c.targetType(), c.target(), nz(c.account()), nz(c.user()), c.amount().toPlainString(), c.kind(),
                nz(c.cluster()), nz(c.jobId()), nz(c.comment()), c.chargedAt()));
    }

    @GET
    @Path("jobs")
    @Produces({MediaType.APPLICATION_JSON, Csv.TYPE})
    @Operation(summary = "Fetched jobs with their charges in the caller's scope, by cluster, tenant, account, user "
            + "and end-time range from..to; format=csv streams every match as CSV")
    @Allow({Role.PLATFORM_FINANCE, Role.TENANT_FINANCE, Role.TENANT_ADMIN, Role.ACCOUNT_OWNER})
    public Response jobs(@QueryParam("cluster") String cluster, @QueryParam("tenant") String tenant,
                         @QueryParam("account") String account, @QueryParam("user") String user,
                         @QueryParam("from") String from, @QueryParam("to") String to,
                         @QueryParam("offset") String offset, @QueryParam("limit") String limit,
                         @QueryParam("format") String format) {
        Scope scope = scope(tenant, account, user);
        Instant f = Params.instant("from", from);
        Instant t = Params.instant("to", to);
        PageQuery<StoredJob> page = (o, l) -> billing.jobs(scope, blank(cluster), null, f, t, o, l);
        return listOrCsv(format, offset, limit, page, "jobs.csv", List.of("cluster", "jobId", "account", "tenant",
                "user", "partition", "qos", "state", "endTime", "elapsedSeconds", "accountCharge", "tenantCharge",
                "chargeState"), j -> List.of(j.cluster(), j.jobId(), nz(j.account()), nz(j.tenant()), nz(j.user()),
                nz(j.partition()), nz(j.qos()), j.state(), j.endTime(), j.elapsedSeconds(),
                j.accountCharge().toPlainString(), j.tenantCharge().toPlainString(), j.chargeState()));
    }

    @GET
    @Path("statistics")
    @Operation(summary = "Per UTC day in [from, to) (default: the last 30 days, at most 366): account charges, "
            + "payments, jobs, core-hours, new users and accounts; and the top accounts by charges. Scoped like "
            + "the records: platform roles everything (or tenant=/account=/user=), tenant roles their tenant, "
            + "account owners their accounts")
    @Allow({Role.PLATFORM_FINANCE, Role.TENANT_FINANCE, Role.TENANT_ADMIN, Role.ACCOUNT_OWNER})
    public StatisticsReport statistics(@QueryParam("from") String from, @QueryParam("to") String to,
                                               @QueryParam("tenant") String tenant,
                                               @QueryParam("account") String account,
                                               @QueryParam("user") String user, @QueryParam("top") String top) {
        Instant t = Params.instant("to", to);
        Instant f = Params.instant("from", from);
        Instant end = t != null ? t : Instant.now();
        Integer n = Params.integer("top", top, 1, 100);
        return billing.statistics(scope(tenant, account, user),
                f != null ? f : end.minus(java.time.Duration.ofDays(30)), end, n == null ? 10 : n);
    }

    @POST
    @Path("price-changes")
    @Operation(summary = "Change a price retroactively for the charged jobs of one key that ended in [from, to): "
            + "adds ADJUSTMENT charge records for the differences (old records stay); tenant absent: default table")
    @Allow({Role.PLATFORM_FINANCE})
    public Response changePrice(PriceChangeRequest body) {
        Params.body(body);
        AmountStrategy amount = body.amount() == null ? null
                : Params.enumValue("amount", body.amount(), AmountStrategy.class);
        return Response.status(201).entity(billing.changePriceRetroactively(actor(), blank(body.tenant()),
                body.cluster(), body.partition(), blank(body.qos()), body.price(), amount, body.from(), body.to(),
                body.comment())).build();
    }

    @GET
    @Path("price-changes")
    @Operation(summary = "Retroactive price changes, newest first")
    @Allow({Role.PLATFORM_FINANCE})
    public List<PriceChange> priceChanges() {
        return billing.priceChanges();
    }

    @POST
    @Path("price-changes/{id}/apply")
    @Operation(summary = "Apply a retroactive price change again, e.g. to jobs charged since; adds nothing for jobs "
            + "it already adjusted")
    @Allow({Role.PLATFORM_FINANCE})
    public Adjustment applyPriceChange(@PathParam("id") String id) {
        long n;
        try {
            n = Long.parseLong(id.trim());
        } catch (NumberFormatException e) {
            throw ManagementException.invalid("id", "must be a whole number, was '" + id + "'");
        }
        return billing.applyPriceChange(actor(), n);
    }

    /** One page of records at (offset, limit). */
    private interface PageQuery<T> {
        List<T> page(int offset, int limit);
    }

    private static <T> Response listOrCsv(String format, String offset, String limit, PageQuery<T> query,
                                          String filename, List<String> header,
                                          java.util.function.Function<T, List<?>> row) {
        Integer off = Params.integer("offset", offset, 0, Integer.MAX_VALUE);
        if (!Csv.requested(format)) {
            return Response.ok(query.page(off == null ? 0 : off, lim(limit)), MediaType.APPLICATION_JSON_TYPE)
                    .build();
        }
        query.page(0, 1); // bad filters answer 400 before the stream starts
        int start = off == null ? 0 : off;
        return Csv.response(filename, header, out -> {
            int size = 1000;
            for (int o = start; ; o += size) {
                List<T> rows = query.page(o, size);
                rows.forEach(r -> out.accept(row.apply(r)));
                if (rows.size() < size) {
                    return;
                }
            }
        });
    }

    private static Object nz(Object o) {
        return o == null ? "" : o;
    }

    @GET
    @Path("accounts/{account}/users/{user}/charge-limit")
    @Operation(summary = "A user's job-charge limit in an account and what they used")
    @Allow({Role.ACCOUNT_OWNER, Role.ACCOUNT_ADMIN, Role.TENANT_ADMIN})
    public UserLimit limit(@PathParam("account") String account, @PathParam("user") String user) {
        return billing.userLimit(account, user);
    }

    @PUT
    @Path("accounts/{account}/users/{user}/charge-limit")
    @Operation(summary = "Set a user's job-charge limit in an account (blocked there once used reaches it)")
    @Allow({Role.ACCOUNT_OWNER, Role.ACCOUNT_ADMIN, Role.TENANT_ADMIN})
    public UserLimit setLimit(@PathParam("account") String account, @PathParam("user") String user,
                                           LimitRequest body) {
        Params.body(body);
        requireOutranks(account, user);
        return billing.setUserLimit(actor(), account, user, body.limit());
    }

    @DELETE
    @Path("accounts/{account}/users/{user}/charge-limit")
    @Operation(summary = "Remove a user's job-charge limit (unblocks them if it blocked them)")
    @Allow({Role.ACCOUNT_OWNER, Role.ACCOUNT_ADMIN, Role.TENANT_ADMIN})
    public UserLimit cancelLimit(@PathParam("account") String account, @PathParam("user") String user) {
        requireOutranks(account, user);
        return billing.cancelUserLimit(actor(), account, user);
    }

    @POST
    @Path("accounts/{account}/users/{user}/charge-limit/reset")
    @Operation(summary = "Reset what a user used against their limit to zero")
    @Allow({Role.ACCOUNT_OWNER, Role.ACCOUNT_ADMIN, Role.TENANT_ADMIN})
    public UserLimit resetLimit(@PathParam("account") String account, @PathParam("user") String user) {
        requireOutranks(account, user);
        return billing.resetUserUsage(actor(), account, user);
    }

    @POST
    @Path("fetch")
    @Operation(summary = "Fetch and charge finished jobs now, on one cluster (cluster=...) or all online ones")
    @Allow({Role.PLATFORM_ADMIN})
    public List<Object> fetch(@QueryParam("cluster") String cluster) {
        return billing.fetchNow(blank(cluster));
    }

    /** An account admin sets no limit on the account's owner or another admin. */
    private void requireOutranks(String account, String user) {
        Model.Account a = management.account(account).orElseThrow(() -> ManagementException.notFound("account",
                account));
        Role target = a.members().stream().filter(m -> m.userId().equals(user)).findFirst()
                .map(m -> switch (m.role()) {
                    case OWNER -> Role.ACCOUNT_OWNER;
                    case ADMIN -> Role.ACCOUNT_ADMIN;
                    case USER -> Role.ACCOUNT_USER;
                }).orElse(null);
        Caller.requireOutranks(security, account, a.tenant(), target);
    }

    private static String blank(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    private static int lim(String limit) {
        Integer l = Params.integer("limit", limit, 1, 10_000);
        return l == null ? 100 : l;
    }
}
