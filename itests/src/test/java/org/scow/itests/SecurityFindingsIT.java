package org.scow.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * The findings of the security review, each reproduced against the booted platform: a tenant admin made a job run as
 * root, set passwords of other tenants' users, wrote into other tenants and imported other users' accounts; password
 * changes left old sessions and tokens alive; money moved twice on a retry; an account admin acted on the owner;
 * some inputs answered 500.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class SecurityFindingsIT extends PlatformTestSupport {
    static final String PW = "findings-Pass-1234";
    private static boolean ready;

    @Configuration
    public Option[] config() {
        return enforcedWithTestDriver();
    }

    /**
     * Tenant {@code evilcorp} with its admin {@code eve}; in tenant {@code default} the user {@code victim} without a
     * password, account {@code vacc} owned by {@code vowner} with admin {@code vadmin} and user {@code vuser}.
     */
    @Before
    public void setUp() throws Exception {
        awaitRest();
        loginAdmin();
        if (ready) {
            return;
        }
        for (String u : List.of("eve", "victim", "vowner", "vadmin", "vuser", "pwuser")) {
            assertEquals(201, post("/api/v1/management/users", "{\"userId\":\"" + u + "\",\"tenant\":\"default\"}")
                    .status());
        }
        assertEquals(201, post("/api/v1/management/tenants", "{\"name\":\"evilcorp\",\"admin\":\"eve\"}").status());
        for (String u : List.of("eve", "vowner", "vadmin", "vuser", "pwuser")) {
            assertEquals(201, post("/api/v1/auth/users", "{\"user\":\"" + u + "\",\"password\":\"" + PW + "\"}")
                    .status());
        }
        assertEquals(201, post("/api/v1/management/accounts",
                "{\"name\":\"vacc\",\"tenant\":\"default\",\"owner\":\"vowner\"}").status());
        assertEquals(201, post("/api/v1/management/accounts/vacc/members", "{\"user\":\"vadmin\",\"role\":\"ADMIN\"}")
                .status());
        assertEquals(201, post("/api/v1/management/accounts/vacc/members", "{\"user\":\"vuser\",\"role\":\"USER\"}")
                .status());
        ready = true;
    }

    private static ApiSession as(String user) throws Exception {
        ApiSession s = session(user, PW);
        assertEquals(user + ": " + s.reply(), 200, s.reply().status());
        return s;
    }

    private static void refused(Reply r, int... statuses) {
        for (int s : statuses) {
            if (r.status() == s) {
                assertTrue("a JSON error: " + r, r.json() != null && r.json().has("message"));
                return;
            }
        }
        throw new AssertionError("expected one of " + java.util.Arrays.toString(statuses) + ": " + r);
    }

    /** Finding 1: a tenant admin made platform user root, gave it a password, and its job ran as uid 0. */
    @Test
    public void systemAccountsNeverBecomeUsersGetPasswordsOrRunJobs() throws Exception {
        String[] eve = as("eve").headers();
        refused(call("POST", "/api/v1/management/users", "{\"userId\":\"root\",\"tenant\":\"evilcorp\"}", eve), 422);
        refused(call("POST", "/api/v1/management/users", "{\"userId\":\"daemon\"}", eve), 422);
        refused(call("POST", "/api/v1/auth/users", "{\"user\":\"root\",\"password\":\"" + PW + "\"}", eve), 422);
        // not even the platform admin
        refused(post("/api/v1/management/users", "{\"userId\":\"root\",\"tenant\":\"default\"}"), 422);
        refused(post("/api/v1/management/users", "{\"userId\":\"bin\",\"tenant\":\"default\"}"), 422);
        Reply pw = post("/api/v1/auth/users", "{\"user\":\"root\",\"password\":\"" + PW + "\"}");
        refused(pw, 422);
        assertTrue(pw.body(), pw.body().contains("system account"));
        refused(put("/api/v1/auth/users/root/password", "{\"password\":\"" + PW + "\"}"), 422);
        assertEquals(401, session("root", PW).reply().status());
        for (String user : List.of("root", "daemon", "nobody")) {
            Reply job = post("/api/v1/clusters/itest/jobs", "{\"user\":\"" + user + "\",\"name\":\"x\",\"account\":"
                    + "\"vacc\",\"partition\":\"debug\",\"nodes\":1,\"coresPerNode\":1,\"gpusPerNode\":0,"
                    + "\"timeLimitMinutes\":1,\"script\":\"id\",\"workingDirectory\":\"/tmp\"}");
            refused(job, 422);
            assertTrue(job.body(), job.body().contains("SYSTEM_ACCOUNT"));
            refused(post("/api/v1/clusters/local/jobs/script", "{\"user\":\"" + user + "\",\"script\":"
                    + "\"#!/bin/sh\\nid\\n\",\"workingDirectory\":\"/tmp\"}"), 422);
        }
        assertEquals(404, get("/api/v1/management/users/root").status());
    }

    /** Finding 2: a tenant admin set the password of another tenant's user who had none, then signed in as them. */
    @Test
    public void tenantAdminsGivePasswordsOnlyInsideTheirTenant() throws Exception {
        String[] eve = as("eve").headers();
        refused(call("POST", "/api/v1/auth/users", "{\"user\":\"victim\",\"password\":\"" + PW + "\"}", eve), 404);
        assertEquals("the password was not set", 401, session("victim", PW).reply().status());
        refused(call("PUT", "/api/v1/auth/users/victim/password", "{\"password\":\"" + PW + "\"}", eve), 403);
        // nor to a name the platform does not know, nor to the platform admin
        refused(call("POST", "/api/v1/auth/users", "{\"user\":\"newcomer\",\"password\":\"" + PW + "\"}", eve), 404);
        refused(call("POST", "/api/v1/auth/users", "{\"user\":\"admin\",\"password\":\"" + PW + "\"}", eve), 404);
        // inside the tenant it works: a user eve created there
        assertEquals(201, call("POST", "/api/v1/management/users", "{\"userId\":\"evemate\"}", eve).status());
        assertEquals(201, call("POST", "/api/v1/auth/users", "{\"user\":\"evemate\",\"password\":\"" + PW + "\"}",
                eve).status());
        assertEquals(200, session("evemate", PW).reply().status());
    }

    /** Finding 3: a tenant admin created a user and an account in tenant default. */
    @Test
    public void tenantAdminWritesStayInsideTheirTenant() throws Exception {
        String[] eve = as("eve").headers();
        refused(call("POST", "/api/v1/management/users", "{\"userId\":\"planted\",\"tenant\":\"default\"}", eve), 403);
        refused(call("POST", "/api/v1/management/accounts",
                "{\"name\":\"plantedacc\",\"tenant\":\"default\",\"owner\":\"victim\"}", eve), 403);
        assertEquals(404, get("/api/v1/management/users/planted").status());
        assertEquals(404, get("/api/v1/management/accounts/plantedacc").status());
        // without a tenant the write lands in the caller's own tenant
        Reply own = call("POST", "/api/v1/management/users", "{\"userId\":\"evehire\"}", eve);
        assertEquals(own.toString(), 201, own.status());
        assertEquals("evilcorp", own.json().get("tenant").asText());
        // an owner from another tenant is refused too
        refused(call("POST", "/api/v1/management/accounts", "{\"name\":\"eveacc\",\"owner\":\"victim\"}", eve), 400);
    }

    /** Finding 4: a tenant admin listed every cluster account and adopted another user's into their tenant. */
    @Test
    public void importIsThePlatformAdminsDecision() throws Exception {
        String[] eve = as("eve").headers();
        refused(call("GET", "/api/v1/management/import?cluster=itest", null, eve), 403);
        refused(call("POST", "/api/v1/management/import", "{\"cluster\":\"itest\",\"tenant\":\"evilcorp\","
                + "\"accounts\":[{\"name\":\"vacc\"}]}", eve), 403);
        assertEquals(200, get("/api/v1/management/import?cluster=itest").status());
        assertEquals("default", get("/api/v1/management/accounts/vacc").json().get("tenant").asText());
    }

    /** Finding 5: a password change or reset left the user's other sessions and API tokens valid. */
    @Test
    public void aPasswordChangeEndsOtherSessionsAndTokens() throws Exception {
        ApiSession first = as("pwuser");
        ApiSession second = as("pwuser");
        Reply token = call("POST", "/api/v1/auth/tokens", "{\"name\":\"ci\",\"days\":1}", first.headers());
        assertEquals(token.toString(), 201, token.status());
        String bearer = "Bearer " + token.json().get("secret").asText();
        assertEquals(200, call("GET", "/api/v1/auth/me", null, "Authorization", bearer).status());

        String next = "findings-Next-5678";
        Reply changed = call("POST", "/api/v1/auth/password", "{\"oldPassword\":\"" + PW + "\",\"newPassword\":\""
                + next + "\"}", first.headers());
        assertEquals(changed.toString(), 200, changed.status());
        assertEquals(1, changed.json().get("sessionsEnded").asInt());
        assertEquals(1, changed.json().get("tokensRevoked").asInt());
        assertEquals("the changing session stays", 200, call("GET", "/api/v1/auth/me", null, first.headers()).status());
        assertEquals("other sessions end", 401, call("GET", "/api/v1/auth/me", null, second.headers()).status());
        assertEquals("tokens are revoked", 401, call("GET", "/api/v1/auth/me", null, "Authorization", bearer)
                .status());

        // an administrator's reset ends every session, the one that knew the old password included
        Reply reset = put("/api/v1/auth/users/pwuser/password", "{\"password\":\"" + PW + "\"}");
        assertEquals(reset.toString(), 200, reset.status());
        assertEquals(1, reset.json().get("sessionsEnded").asInt());
        assertEquals(401, call("GET", "/api/v1/auth/me", null, first.headers()).status());
        assertEquals(200, session("pwuser", PW).reply().status());
        // and a reset for a user without a password is no silent success
        refused(put("/api/v1/auth/users/no-such-user/password", "{\"password\":\"" + PW + "\"}"), 404);
    }

    /** Finding 6: a retried payment paid twice; finding 7: a huge amount overflowed the column (500). */
    @Test
    public void moneyMovesOncePerIdempotencyKeyAndStaysInRange() throws Exception {
        String path = "/api/v1/billing/accounts/vacc/payments";
        Reply before = get("/api/v1/billing/accounts/vacc/balance");
        java.math.BigDecimal start = before.json().get("balance").decimalValue();
        String body = "{\"amount\":25,\"method\":\"bank\",\"comment\":\"retried\"}";
        Reply first = post(path, body, "Idempotency-Key", "pay-vacc-0001");
        Reply retry = post(path, body, "Idempotency-Key", "pay-vacc-0001");
        assertEquals(first.toString(), 200, first.status());
        assertEquals(retry.toString(), 200, retry.status());
        assertEquals(first.json().get("balance").decimalValue(), retry.json().get("balance").decimalValue());
        assertEquals(0, start.add(java.math.BigDecimal.valueOf(25))
                .compareTo(get("/api/v1/billing/accounts/vacc/balance").json().get("balance").decimalValue()));
        refused(post(path, "{\"amount\":2500,\"method\":\"bank\"}", "Idempotency-Key", "pay-vacc-0001"), 422);
        Reply charge = post("/api/v1/billing/accounts/vacc/charges", "{\"amount\":5}", "Idempotency-Key", "c-1");
        Reply charge2 = post("/api/v1/billing/accounts/vacc/charges", "{\"amount\":5}", "Idempotency-Key", "c-1");
        assertEquals(charge.json().get("balance").decimalValue(), charge2.json().get("balance").decimalValue());
        assertEquals(0, start.add(java.math.BigDecimal.valueOf(20))
                .compareTo(get("/api/v1/billing/accounts/vacc/balance").json().get("balance").decimalValue()));

        Reply huge = post("/api/v1/billing/tenants/evilcorp/payments", "{\"amount\":999999999999999.9999}");
        assertEquals(huge.toString(), 200, huge.status());
        Reply over = post("/api/v1/billing/tenants/evilcorp/payments", "{\"amount\":999999999999999.9999}");
        refused(over, 400);
        assertEquals("amount", over.json().at("/details/field").asText());
        Reply beyond = post("/api/v1/billing/accounts/vacc/payments", "{\"amount\":1e20}");
        refused(beyond, 400);
        assertEquals("amount", beyond.json().at("/details/field").asText());
        // a field given twice pays neither amount
        Reply twice = post(path, "{\"amount\":1,\"amount\":1000}");
        refused(twice, 400);
        assertEquals("amount", twice.json().at("/details/field").asText());
    }

    /** Finding 8: an account ADMIN blocked the account OWNER and set the owner's charge limit. */
    @Test
    public void anAccountAdminCannotActOnTheOwner() throws Exception {
        String[] vadmin = as("vadmin").headers();
        String m = "/api/v1/management/accounts/vacc/members/";
        String l = "/api/v1/billing/accounts/vacc/users/";
        refused(call("PUT", m + "vowner/block", "{}", vadmin), 403);
        refused(call("PUT", l + "vowner/charge-limit", "{\"limit\":1}", vadmin), 403);
        refused(call("POST", l + "vowner/charge-limit/reset", "{}", vadmin), 403);
        refused(call("DELETE", m + "vowner", null, vadmin), 403);
        assertFalse(get("/api/v1/management/accounts/vacc").body().contains("\"blockedByAdmin\":true"));
        // plain users are the admin's to manage
        assertEquals(200, call("PUT", m + "vuser/block", "{}", vadmin).status());
        assertEquals(200, call("DELETE", m + "vuser/block", null, vadmin).status());
        assertEquals(200, call("PUT", l + "vuser/charge-limit", "{\"limit\":10}", vadmin).status());
        // the owner outranks the admin
        assertEquals(200, call("PUT", m + "vadmin/block", "{}", as("vowner").headers()).status());
        assertEquals(200, delete(m + "vadmin/block").status());
    }

    /** Finding 7: a body shorter than its Content-Length answered 500 after 30 s. */
    @Test
    public void aBodyShorterThanAnnouncedIsTheClientsError() throws Exception {
        try (Socket s = new Socket("127.0.0.1", HTTP_PORT)) {
            s.setSoTimeout(120_000);
            OutputStream out = s.getOutputStream();
            out.write(("POST /api/v1/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 100\r\n\r\n{\"user\":\"a").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            String status = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
            assertTrue(status, status.startsWith("HTTP/1.1 4"));
            assertFalse(status, status.contains("500"));
        }
    }

    /** Hygiene: scripts only from the platform's files; strict JSON; no coercion of numbers into names. */
    @Test
    public void strictInputAndNoInlineScripts() throws Exception {
        String csp = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(BASE + "/api/v1/health")).build(),
                java.net.http.HttpResponse.BodyHandlers.discarding()).headers()
                .firstValue("Content-Security-Policy").orElseThrow();
        String scripts = csp.replaceAll(".*script-src([^;]*);.*", "$1");
        assertFalse(csp, scripts.contains("unsafe-inline"));
        for (String name : List.of("true", "1.5", "7")) {
            Reply r = post("/api/v1/management/tenants", "{\"name\":" + name + "}");
            refused(r, 400);
            assertEquals("name", r.json().at("/details/field").asText());
        }
        Reply huge = post("/api/v1/management/users", "{\"userId\":\"" + "u".repeat(1_000_000) + "\"}");
        refused(huge, 400, 413);
        assertTrue("echoes at most a short piece: " + huge.body().length(), huge.body().length() < 1000);
        Reply java = post("/api/v1/auth/password", "[]");
        refused(java, 400);
        assertFalse(java.body(), java.body().matches("(?s).*(org\\.scow|java\\.|\\$).*"));
    }
}
