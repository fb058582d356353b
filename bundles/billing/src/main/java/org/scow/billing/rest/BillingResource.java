package org.scow.billing.rest;

import org.scow.rest.support.Authenticated;
import org.scow.rest.support.Allow;
import org.scow.rest.support.Caller;
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
import org.scow.billing.internal.AmountStrategy;
import org.scow.billing.internal.BillingComponent;
import org.scow.billing.internal.BillingStore;
import org.scow.billing.internal.BillingStore.Balance;
import org.scow.management.Actor;
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
    private BillingComponent billing;

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

    public record PriceRequest(String tenant, String cluster, String partition, String qos, BigDecimal price,
                               String amount, Instant validFrom, String comment) {
    }

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

    private BillingStore store() {
        return billing.store();
    }

    @GET
    @Path("prices")
    @Operation(summary = "Items of the default price table, or of a tenant's (tenant=...), history included")
    @Authenticated
    public List<BillingStore.Price> prices(@QueryParam("tenant") String tenant) {
        return store().prices(blank(tenant));
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
        return Response.status(201).entity(store().addPrice(actor(), blank(body.tenant()), body.cluster(),
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
        return store().balance(BillingStore.ACCOUNT, account);
    }

    @GET
    @Path("tenants/{tenant}/balance")
    @Operation(summary = "A tenant's balance and its accounts' default threshold")
    @Allow({Role.TENANT_ADMIN, Role.TENANT_FINANCE, Role.PLATFORM_FINANCE})
    public Balance tenantBalance(@PathParam("tenant") String tenant) {
        return store().balance(BillingStore.TENANT, tenant);
    }

    @POST
    @Path("accounts/{account}/payments")
    @Operation(summary = "Top up an account; lifts its balance block at once if the balance rises above the threshold")
    @Allow({Role.TENANT_FINANCE, Role.PLATFORM_FINANCE})
    public Balance payAccount(@PathParam("account") String account, PaymentRequest body) {
        Params.body(body);
        return store().pay(actor(), BillingStore.ACCOUNT, account, body.amount(), body.method(), body.comment());
    }

    @POST
    @Path("tenants/{tenant}/payments")
    @Operation(summary = "Top up a tenant")
    @Allow({Role.PLATFORM_FINANCE})
    public Balance payTenant(@PathParam("tenant") String tenant, PaymentRequest body) {
        Params.body(body);
        return store().pay(actor(), BillingStore.TENANT, tenant, body.amount(), body.method(), body.comment());
    }

    @POST
    @Path("accounts/{account}/charges")
    @Operation(summary = "Charge an account by hand")
    @Allow({Role.TENANT_FINANCE, Role.PLATFORM_FINANCE})
    public Balance chargeAccount(@PathParam("account") String account, ChargeRequest body) {
        Params.body(body);
        return store().charge(actor(), BillingStore.ACCOUNT, account, body.amount(), body.comment());
    }

    @POST
    @Path("tenants/{tenant}/charges")
    @Operation(summary = "Charge a tenant by hand")
    @Allow({Role.PLATFORM_FINANCE})
    public Balance chargeTenant(@PathParam("tenant") String tenant, ChargeRequest body) {
        Params.body(body);
        return store().charge(actor(), BillingStore.TENANT, tenant, body.amount(), body.comment());
    }

    @PUT
    @Path("accounts/{account}/threshold")
    @Operation(summary = "An account's block threshold (null: its tenant's default)")
    @Allow({Role.TENANT_ADMIN, Role.TENANT_FINANCE})
    public Balance accountThreshold(@PathParam("account") String account, ThresholdRequest body) {
        Params.body(body);
        return store().setAccountThreshold(actor(), account, body.threshold());
    }

    @PUT
    @Path("tenants/{tenant}/account-threshold")
    @Operation(summary = "The default block threshold of a tenant's accounts")
    @Allow({Role.TENANT_ADMIN, Role.TENANT_FINANCE})
    public Balance tenantThreshold(@PathParam("tenant") String tenant, ThresholdRequest body) {
        Params.body(body);
        return store().setTenantAccountThreshold(actor(), tenant, body.threshold());
    }

    @GET
    @Path("payments")
    @Operation(summary = "Payments, newest first, by targetType (ACCOUNT/TENANT), target and time range from..to")
    @Allow({Role.PLATFORM_FINANCE})
    public List<BillingStore.Payment> payments(@QueryParam("targetType") String targetType,
                                               @QueryParam("target") String target, @QueryParam("from") String from,
                                               @QueryParam("to") String to, @QueryParam("limit") String limit) {
        return store().payments(blank(targetType), blank(target), Params.instant("from", from),
                Params.instant("to", to), lim(limit));
    }

    @GET
    @Path("charges")
    @Operation(summary = "Charges, newest first, by targetType (ACCOUNT/TENANT), target and time range from..to")
    @Allow({Role.PLATFORM_FINANCE})
    public List<BillingStore.Charge> charges(@QueryParam("targetType") String targetType,
                                             @QueryParam("target") String target, @QueryParam("from") String from,
                                             @QueryParam("to") String to, @QueryParam("limit") String limit) {
        return store().charges(blank(targetType), blank(target), Params.instant("from", from),
                Params.instant("to", to), lim(limit));
    }

    @GET
    @Path("jobs")
    @Operation(summary = "Fetched jobs with their charges, by cluster, account and end-time range from..to")
    @Allow({Role.PLATFORM_FINANCE})
    public List<BillingStore.StoredJob> jobs(@QueryParam("cluster") String cluster,
                                             @QueryParam("account") String account, @QueryParam("from") String from,
                                             @QueryParam("to") String to, @QueryParam("limit") String limit) {
        return store().jobs(blank(cluster), blank(account), Params.instant("from", from), Params.instant("to", to),
                lim(limit));
    }

    @GET
    @Path("accounts/{account}/users/{user}/charge-limit")
    @Operation(summary = "A user's job-charge limit in an account and what they used")
    @Allow({Role.ACCOUNT_OWNER, Role.ACCOUNT_ADMIN, Role.TENANT_ADMIN})
    public BillingStore.UserLimit limit(@PathParam("account") String account, @PathParam("user") String user) {
        return store().userLimit(account, user);
    }

    @PUT
    @Path("accounts/{account}/users/{user}/charge-limit")
    @Operation(summary = "Set a user's job-charge limit in an account (blocked there once used reaches it)")
    @Allow({Role.ACCOUNT_OWNER, Role.ACCOUNT_ADMIN, Role.TENANT_ADMIN})
    public BillingStore.UserLimit setLimit(@PathParam("account") String account, @PathParam("user") String user,
                                           LimitRequest body) {
        Params.body(body);
        return store().setUserLimit(actor(), account, user, body.limit());
    }

    @DELETE
    @Path("accounts/{account}/users/{user}/charge-limit")
    @Operation(summary = "Remove a user's job-charge limit (unblocks them if it blocked them)")
    @Allow({Role.ACCOUNT_OWNER, Role.ACCOUNT_ADMIN, Role.TENANT_ADMIN})
    public BillingStore.UserLimit cancelLimit(@PathParam("account") String account, @PathParam("user") String user) {
        return store().cancelUserLimit(actor(), account, user);
    }

    @POST
    @Path("accounts/{account}/users/{user}/charge-limit/reset")
    @Operation(summary = "Reset what a user used against their limit to zero")
    @Allow({Role.ACCOUNT_OWNER, Role.ACCOUNT_ADMIN, Role.TENANT_ADMIN})
    public BillingStore.UserLimit resetLimit(@PathParam("account") String account, @PathParam("user") String user) {
        return store().resetUserUsage(actor(), account, user);
    }

    @POST
    @Path("fetch")
    @Operation(summary = "Fetch and charge finished jobs now, on one cluster (cluster=...) or all online ones")
    @Allow({Role.PLATFORM_ADMIN})
    public List<Object> fetch(@QueryParam("cluster") String cluster) {
        return billing.fetchNow(blank(cluster));
    }

    private static String blank(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    private static int lim(String limit) {
        Integer l = Params.integer("limit", limit, 1, 10_000);
        return l == null ? 100 : l;
    }
}
