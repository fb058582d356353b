package org.scow.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * Every REST endpoint of the OpenAPI document × {anonymous, plain user, account user, account owner, tenant admin,
 * platform admin}, with enforcement on: a denied caller gets 401/403 (never a 2xx), an allowed one never gets
 * 401/403. An endpoint without a row in {@link #RULES} fails the test.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class AuthorizationMatrixIT extends PlatformTestSupport {
    static final String PW = "matrix-Pass-1234";
    static final List<String> CALLERS = List.of("anonymous", "plain", "auser", "aowner", "tadmin", "admin");

    /** Who may call each endpoint besides the platform admin: ALL, AUTH (signed in) or a list of callers. */
    static final Map<String, String> RULES = new LinkedHashMap<>();

    static {
        String v1 = "/api/v1";
        String c = v1 + "/clusters/{cluster}";
        // (the document leaves out itself and the docs pages: checked on their own below)
        rule("ALL", "GET " + v1 + "/health", "POST " + v1 + "/auth/login");
        rule("AUTH", "GET " + v1 + "/clusters", "GET " + c, "GET " + c + "/partitions", "GET " + c + "/usage",
                "GET " + c + "/nodes", "GET " + c + "/users/{user}/accounts", "GET " + c + "/jobs",
                "POST " + c + "/jobs", "POST " + c + "/jobs/script", "GET " + c + "/jobs/{jobId}",
                "DELETE " + c + "/jobs/{jobId}", "GET " + c + "/jobs/{jobId}/time-limit",
                "GET " + v1 + "/management/users/{user}", "GET " + v1 + "/management/users/{user}/roles",
                "GET " + v1 + "/billing/prices", "POST " + v1 + "/auth/logout", "GET " + v1 + "/auth/me",
                "POST " + v1 + "/auth/password", "POST " + v1 + "/auth/tokens", "GET " + v1 + "/auth/tokens",
                "DELETE " + v1 + "/auth/tokens/{id}");
        rule("ADMIN", "GET " + c + "/events", "GET " + c + "/accounts", "POST " + c + "/accounts",
                "DELETE " + c + "/accounts/{account}", "PUT " + c + "/accounts/{account}/block",
                "DELETE " + c + "/accounts/{account}/block", "PUT " + c + "/accounts/{account}/users/{user}",
                "DELETE " + c + "/accounts/{account}/users/{user}", "PUT " + c + "/accounts/{account}/users/{user}/block",
                "DELETE " + c + "/accounts/{account}/users/{user}/block", "DELETE " + c + "/users/{user}",
                "POST " + c + "/jobs/{jobId}/time-limit",
                "GET " + v1 + "/management/tenants", "POST " + v1 + "/management/tenants",
                "PUT " + v1 + "/management/users/{user}/tenant", "PUT " + v1 + "/management/users/{user}/roles/{role}",
                "DELETE " + v1 + "/management/users/{user}/roles/{role}", "POST " + v1 + "/management/block-sync",
                "GET " + v1 + "/management/audit",
                "POST " + v1 + "/billing/prices", "GET " + v1 + "/billing/prices/missing",
                "POST " + v1 + "/billing/accounts/{account}/payments", "POST " + v1 + "/billing/tenants/{tenant}/payments",
                "POST " + v1 + "/billing/accounts/{account}/charges", "POST " + v1 + "/billing/tenants/{tenant}/charges",
                "POST " + v1 + "/billing/fetch", "POST " + v1 + "/billing/price-changes",
                "GET " + v1 + "/billing/price-changes", "POST " + v1 + "/billing/price-changes/{id}/apply",
                "PUT " + v1 + "/auth/users/{user}/password", "GET " + v1 + "/auth/audit");
        rule("aowner,tadmin", "GET " + c + "/accounts/{account}/block", "GET " + c + "/accounts/{account}/users/{user}/block",
                "POST " + v1 + "/management/accounts/{account}/members",
                "DELETE " + v1 + "/management/accounts/{account}/members/{user}",
                "PUT " + v1 + "/management/accounts/{account}/members/{user}/role",
                "PUT " + v1 + "/management/accounts/{account}/members/{user}/block",
                "DELETE " + v1 + "/management/accounts/{account}/members/{user}/block",
                "GET " + v1 + "/billing/accounts/{account}/balance",
                "GET " + v1 + "/billing/accounts/{account}/users/{user}/charge-limit",
                "PUT " + v1 + "/billing/accounts/{account}/users/{user}/charge-limit",
                "DELETE " + v1 + "/billing/accounts/{account}/users/{user}/charge-limit",
                "POST " + v1 + "/billing/accounts/{account}/users/{user}/charge-limit/reset");
        rule("auser,aowner,tadmin", "GET " + v1 + "/management/accounts/{account}");
        // billing records and statistics: tenant roles see their tenant, account owners their accounts
        rule("aowner,tadmin", "GET " + v1 + "/billing/payments", "GET " + v1 + "/billing/charges",
                "GET " + v1 + "/billing/jobs", "GET " + v1 + "/billing/statistics");
        // a cluster's unclaimed accounts belong to no tenant: importing them is the platform admin's decision
        rule("ADMIN", "GET " + v1 + "/management/import", "POST " + v1 + "/management/import");
        rule("AUTH", "GET " + v1 + "/job-templates", "POST " + v1 + "/job-templates",
                "GET " + v1 + "/job-templates/{id}", "PUT " + v1 + "/job-templates/{id}",
                "DELETE " + v1 + "/job-templates/{id}");
        rule("tadmin", "GET " + v1 + "/management/users", "POST " + v1 + "/management/users",
                "GET " + v1 + "/management/accounts", "POST " + v1 + "/management/accounts",
                "PUT " + v1 + "/management/accounts/{account}/whitelist",
                "DELETE " + v1 + "/management/accounts/{account}/whitelist",
                "PUT " + v1 + "/management/accounts/{account}/block",
                "DELETE " + v1 + "/management/accounts/{account}/block",
                "GET " + v1 + "/billing/tenants/{tenant}/balance",
                "PUT " + v1 + "/billing/accounts/{account}/threshold",
                "PUT " + v1 + "/billing/tenants/{tenant}/account-threshold", "POST " + v1 + "/auth/users");
        // login nodes: files over SFTP and the login-node list (acting as the caller's own Unix user)
        String f = c + "/files";
        rule("AUTH", "GET " + c + "/login-nodes", "GET " + f + "/home", "GET " + f, "DELETE " + f,
                "GET " + f + "/content", "PUT " + f + "/content", "POST " + f + "/mkdir", "POST " + f + "/move",
                "POST " + f + "/copy", "POST " + f + "/uploads", "GET " + f + "/uploads/{id}",
                "PUT " + f + "/uploads/{id}", "DELETE " + f + "/uploads/{id}", "POST " + f + "/uploads/{id}/complete");
        // login-node desktops: the caller's own (run as their Unix user on the login node)
        String d = c + "/desktops";
        rule("AUTH", "GET " + d, "POST " + d, "DELETE " + d + "/{id}", "GET " + d + "/{id}/connect");
        // interactive apps: the caller's own sessions (acting as their Unix user); admins see and end everyone's
        String a = v1 + "/app-sessions";
        rule("AUTH", "GET " + v1 + "/apps", "GET " + v1 + "/apps/{id}/form", "POST " + a, "GET " + a,
                "GET " + a + "/{id}", "DELETE " + a + "/{id}", "POST " + a + "/{id}/relaunch", "GET " + a + "/{id}/connect");
        rule("ADMIN", "GET " + a + "/all");
    }

    private static void rule(String who, String... endpoints) {
        for (String e : endpoints) {
            RULES.put(e, who);
        }
    }

    static boolean allowed(String rule, String caller) {
        return caller.equals("admin") || rule.equals("ALL") || rule.equals("AUTH") && !caller.equals("anonymous")
                || Set.of(rule.split(",")).contains(caller);
    }

    @Configuration
    public Option[] config() {
        return enforcedWithTestDriver();
    }

    @Test
    public void everyEndpointAllowsExactlyItsRoles() throws Exception {
        setUpTenant();
        for (String p : List.of("/api/v1/openapi.json", "/api/v1/docs", "/api/v1/docs/swagger-ui.css")) {
            assertEquals(p + " is public", 200, call("GET", p, null).status());
        }
        JsonNode paths = get("/api/v1/openapi.json").json().get("paths");
        List<String> endpoints = new ArrayList<>();
        for (Iterator<String> it = paths.fieldNames(); it.hasNext();) {
            String p = it.next();
            for (Iterator<String> m = paths.get(p).fieldNames(); m.hasNext();) {
                String method = m.next().toUpperCase();
                if (Set.of("GET", "POST", "PUT", "DELETE", "PATCH").contains(method)) {
                    endpoints.add(method + " " + p);
                }
            }
        }
        Set<String> unruled = new TreeSet<>(endpoints);
        unruled.removeAll(RULES.keySet());
        assertTrue("endpoints without a rule in this test (add one, and an access annotation): " + unruled,
                unruled.isEmpty());
        Set<String> stale = new TreeSet<>(RULES.keySet());
        stale.removeAll(endpoints);
        assertTrue("rules for endpoints the document does not list: " + stale, stale.isEmpty());
        // logout ends the session: last
        endpoints.sort((a, b) -> Boolean.compare(a.endsWith("/auth/logout"), b.endsWith("/auth/logout")));

        Map<String, ApiSession> sessions = new LinkedHashMap<>();
        for (String caller : CALLERS) {
            if (!caller.equals("anonymous")) {
                ApiSession s = session(caller, caller.equals("admin") ? ADMIN_PASSWORD : PW);
                assertEquals(caller + ": " + s.reply(), 200, s.reply().status());
                sessions.put(caller, s);
            }
        }
        List<String> wrong = new ArrayList<>();
        int checks = 0;
        for (String caller : CALLERS) {
            String[] headers = caller.equals("anonymous") ? new String[0] : sessions.get(caller).headers();
            for (String e : endpoints) {
                String method = e.substring(0, e.indexOf(' '));
                String path = e.substring(e.indexOf(' ') + 1);
                boolean unsafe = !method.equals("GET");
                // reads name the caller themselves; writes name a user that does not exist, so allowed writes
                // change nothing that later checks depend on
                String user = unsafe || caller.equals("anonymous") ? "nobody" : caller;
                String url = path.replace("{cluster}", "itest").replace("{account}", "acc1")
                        .replace("{tenant}", "t1").replace("{user}", user).replace("{role}", "PLATFORM_FINANCE")
                        .replace("{jobId}", "999999").replace("{id}", "999999").replace("{file}", "index.html");
                String body = method.equals("POST") || method.equals("PUT") ? "{}" : null;
                if (e.endsWith("/auth/login")) {
                    body = "{\"user\":\"nobody\",\"password\":\"x\"}";
                }
                Reply reply;
                try {
                    reply = call(method, url, body, headers);
                } catch (java.io.IOException ex) {
                    wrong.add(caller + " " + e + " (" + url + ") -> " + ex);
                    assertTrue(String.join("\n", wrong), wrong.size() < 5);
                    Thread.sleep(1000);
                    continue;
                }
                checks++;
                boolean denied = reply.status() == 401 || reply.status() == 403;
                boolean ok = allowed(RULES.get(e), caller);
                if (e.endsWith("/auth/login")) {
                    ok = reply.status() != 403 && reply.status() < 500;
                    if (!ok) {
                        wrong.add(caller + " " + e + " -> " + reply);
                    }
                    continue;
                }
                if (ok && denied || !ok && !denied || reply.status() >= 500) {
                    wrong.add(caller + " " + e + " (" + url + ") expected " + (ok ? "allowed" : "denied") + " -> "
                            + reply.status() + " " + reply.body().substring(0, Math.min(160, reply.body().length())));
                }
            }
        }
        assertTrue(wrong.size() + " of " + checks + " checks wrong:\n" + String.join("\n", wrong), wrong.isEmpty());
    }

    @Test
    public void tenantAdminSeesTheTenantsJobsUsersOnlyTheirOwn() throws Exception {
        setUpTenant();
        // a job of auser in acc1 (tenant t1) and one of admin in an account of the default tenant
        Reply created = post("/api/v1/clusters/itest/accounts", "{\"name\":\"acc1\",\"owner\":\"aowner\"}");
        assertTrue(created.toString(), created.status() < 500);
        Reply member = put("/api/v1/clusters/itest/accounts/acc1/users/auser", "{}");
        assertTrue(member.toString(), member.status() < 300 || member.status() == 409);
        Reply other = post("/api/v1/management/accounts", "{\"name\":\"accdef\",\"tenant\":\"default\",\"owner\":\"admin\"}");
        assertTrue(other.toString(), other.status() == 201 || other.status() == 409);
        Reply def = post("/api/v1/clusters/itest/accounts", "{\"name\":\"accdef\",\"owner\":\"admin\"}");
        assertTrue(def.toString(), def.status() < 500);
        for (String a : List.of("acc1", "accdef")) { // no money needed: whitelisted
            Reply w = put("/api/v1/management/accounts/" + a + "/whitelist", "{\"comment\":\"matrix test\"}");
            assertEquals(w.toString(), 200, w.status());
        }
        String mine = submit("auser", "acc1");
        String foreign = submit("admin", "accdef");

        login("tadmin", PW);
        Reply seen = get("/api/v1/clusters/itest/jobs?pageSize=100");
        assertEquals(seen.toString(), 200, seen.status());
        assertTrue(seen.body(), seen.body().contains("\"" + mine + "\""));
        assertTrue(seen.body(), !seen.body().contains("\"" + foreign + "\""));
        assertEquals(200, get("/api/v1/clusters/itest/jobs/" + mine).status());
        assertEquals(403, get("/api/v1/clusters/itest/jobs/" + foreign).status());

        login("plain", PW);
        Reply plain = get("/api/v1/clusters/itest/jobs?pageSize=100");
        assertTrue(plain.body(), !plain.body().contains("\"" + mine + "\""));
        assertEquals(403, get("/api/v1/clusters/itest/jobs/" + mine).status());
        loginAdmin();
    }

    private String submit(String user, String account) throws Exception {
        long end = System.nanoTime() + java.time.Duration.ofSeconds(60).toNanos();
        Reply r;
        do { // the whitelisting reaches the cluster asynchronously
            r = post("/api/v1/clusters/itest/jobs", "{\"user\":\"" + user + "\",\"name\":\"vis\",\"account\":\""
                + account + "\",\"partition\":\"debug\",\"nodes\":1,\"coresPerNode\":1,\"gpusPerNode\":0,"
                + "\"timeLimitMinutes\":10,\"script\":\"echo hi\",\"workingDirectory\":\"/tmp\"}");
        } while (r.status() == 422 && System.nanoTime() < end && sleep(500));
        assertEquals(r.toString(), 201, r.status());
        return r.json().get("jobId").asText();
    }

    private static boolean sleep(long ms) throws InterruptedException {
        Thread.sleep(ms);
        return true;
    }

    private void awaitClusterOnline() throws Exception {
        long end = System.nanoTime() + java.time.Duration.ofSeconds(60).toNanos();
        while (!get("/api/v1/clusters/itest").body().contains("\"online\":true") && System.nanoTime() < end) {
            Thread.sleep(250);
        }
    }

    /** Tenant t1 with admin tadmin; account acc1 in t1 owned by aowner with member auser; plain in t1. */
    private void setUpTenant() throws Exception {
        awaitRest();
        loginAdmin();
        awaitClusterOnline();
        // tenant t1 with admin tadmin; account acc1 in t1 owned by aowner with member auser; plain in t1
        Reply r = post("/api/v1/management/tenants", "{\"name\":\"t1\"}");
        assertTrue(r.toString(), r.status() == 201 || r.status() == 409);
        for (String u : List.of("tadmin", "plain", "auser", "aowner")) {
            r = post("/api/v1/management/users", "{\"userId\":\"" + u + "\",\"name\":\"" + u + "\",\"tenant\":\"t1\"}");
            assertTrue(r.toString(), r.status() == 201 || r.status() == 409);
        }
        r = put("/api/v1/management/users/tadmin/roles/TENANT_ADMIN", "{}");
        assertEquals(r.toString(), 200, r.status());
        for (String u : List.of("tadmin", "plain", "auser", "aowner")) {
            r = post("/api/v1/auth/users", "{\"user\":\"" + u + "\",\"password\":\"" + PW + "\"}");
            assertTrue(r.toString(), r.status() == 201 || r.status() == 409);
        }
        r = post("/api/v1/management/accounts", "{\"name\":\"acc1\",\"tenant\":\"t1\",\"owner\":\"aowner\"}");
        assertTrue(r.toString(), r.status() == 201 || r.status() == 409);
        r = post("/api/v1/management/accounts/acc1/members", "{\"user\":\"auser\",\"role\":\"USER\"}");
        assertTrue(r.toString(), r.status() == 201 || r.status() == 409);
        assertEquals("t1", get("/api/v1/management/users/tadmin/roles").json().get("tenant").asText());
    }
}
