package org.scow.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import java.net.URLEncoder;
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

/** Login, sessions, CSRF, tokens, brute force and hostile input against the running platform, enforcement on. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class AuthSecurityIT extends PlatformTestSupport {
    private static final String PW = "victim-Pass-1234";

    @Configuration
    public Option[] config() {
        return new Option[] {platform(editConfigurationFilePut("etc/org.scow.auth.cfg", "enforce", "true"))};
    }

    @Before
    public void up() throws Exception {
        awaitRest();
        anonymous();
    }

    private static void deniedOrBad(Reply r) {
        assertTrue(r.toString(), r.status() >= 400 && r.status() < 500);
        assertFalse("no stack traces: " + r, r.body().contains("Exception") || r.body().contains("\tat "));
    }

    @Test
    public void eleventhWrongPasswordInAMinuteIsRefusedWithoutChecking() throws Exception {
        loginAdmin();
        Reply r = post("/api/v1/management/users", "{\"userId\":\"victim\",\"name\":\"Victim\",\"tenant\":\"default\"}");
        assertTrue(r.toString(), r.status() == 201 || r.status() == 409);
        r = post("/api/v1/auth/users", "{\"user\":\"victim\",\"password\":\"" + PW + "\"}");
        assertTrue(r.toString(), r.status() == 201 || r.status() == 409);
        anonymous();
        for (int i = 1; i <= 10; i++) {
            assertEquals("attempt " + i, 401, session("victim", "wrong-" + i).reply().status());
        }
        Reply eleventh = session("victim", PW).reply();
        assertEquals("even the right password is not checked: " + eleventh, 429, eleventh.status());
        assertTrue(eleventh.body(), eleventh.body().contains("try again later"));
        assertEquals("other users still log in", 200, session("admin", ADMIN_PASSWORD).reply().status());
        loginAdmin();
        String audit = get("/api/v1/auth/audit?user=victim").body();
        assertTrue(audit, audit.contains("LOGIN_FAILURE") && audit.contains("LOGIN_RATE_LIMITED"));
    }

    @Test
    public void sessionCookieIsHttpOnlyStrictAndNeedsCsrfForWrites() throws Exception {
        var http = java.net.http.HttpClient.newHttpClient();
        var resp = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(BASE + "/api/v1/auth/login"))
                .header("Content-Type", "application/json").POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                        "{\"user\":\"admin\",\"password\":\"" + ADMIN_PASSWORD + "\"}")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        String setCookie = resp.headers().firstValue("Set-Cookie").orElseThrow();
        assertTrue(setCookie, setCookie.contains("HttpOnly") && setCookie.contains("SameSite=Strict"));
        ApiSession s = session("admin", ADMIN_PASSWORD);
        assertEquals(200, call("GET", "/api/v1/auth/me", null, "Cookie", s.cookie()).status());
        Reply noCsrf = call("POST", "/api/v1/auth/tokens", "{\"name\":\"x\"}", "Cookie", s.cookie());
        assertEquals(noCsrf.toString(), 403, noCsrf.status());
        Reply wrongCsrf = call("POST", "/api/v1/auth/tokens", "{\"name\":\"x\"}", "Cookie", s.cookie(),
                "X-CSRF-Token", "forged");
        assertEquals(wrongCsrf.toString(), 403, wrongCsrf.status());
        // logout ends the session: the old cookie is then refused
        assertEquals(204, call("POST", "/api/v1/auth/logout", null, s.headers()).status());
        assertEquals(401, call("GET", "/api/v1/auth/me", null, "Cookie", s.cookie()).status());
    }

    @Test
    public void forgedAndMalformedCredentialsAre401() throws Exception {
        for (String cookie : List.of("SCOW_SESSION=forged", "SCOW_SESSION=00000000-0000-0000-0000-000000000000",
                "SCOW_SESSION=' OR 1=1 --", "SCOW_SESSION=" + "a".repeat(5000))) {
            Reply r = call("GET", "/api/v1/clusters", null, "Cookie", cookie);
            deniedOrBad(r);
        }
        for (String auth : List.of("Bearer", "Bearer ", "Bearer scow_short", "Bearer scow_" + "a".repeat(43),
                "Basic YWRtaW46YWRtaW4=", "Bearer ' OR '1'='1", "Bearer " + "x".repeat(10000))) {
            deniedOrBad(call("GET", "/api/v1/clusters", null, "Authorization", auth));
        }
        deniedOrBad(get("/api/v1/clusters"));
        assertEquals(200, get("/api/v1/health").status());
    }

    @Test
    public void injectionStringsInUserNamesAre4xx() throws Exception {
        for (String user : List.of("admin' --", "*)(uid=*))(|(uid=*", "admin\u0000", "../../etc/passwd",
                "x".repeat(5000), "<script>alert(1)</script>", "admin)(objectClass=*")) {
            String body = JSON.writeValueAsString(java.util.Map.of("user", user, "password", "whatever-1234"));
            deniedOrBad(post("/api/v1/auth/login", body));
        }
        loginAdmin();
        deniedOrBad(get("/api/v1/management/users/" + URLEncoder.encode("a' OR '1'='1", StandardCharsets.UTF_8)
                + "/roles"));
        deniedOrBad(post("/api/v1/auth/login", "not json"));
        deniedOrBad(post("/api/v1/auth/login", "{\"user\":\"admin\",\"password\":\"" + "p".repeat(100_000) + "\"}"));
    }

    @Test
    public void tokensAreShownOnceScopedAndRevocable() throws Exception {
        loginAdmin();
        Reply created = post("/api/v1/auth/tokens", "{\"name\":\"ci\",\"scope\":\"read\",\"days\":1}");
        assertEquals(created.toString(), 201, created.status());
        String secret = created.json().get("secret").asText();
        long id = created.json().at("/token/id").asLong();
        assertTrue(secret.startsWith("scow_"));
        assertFalse("listing never shows the secret", get("/api/v1/auth/tokens").body().contains(secret));
        Reply me = call("GET", "/api/v1/auth/me", null, "Authorization", "Bearer " + secret);
        assertEquals(me.toString(), 200, me.status());
        assertEquals("admin", me.json().get("user").asText());
        assertEquals("read tokens do not write", 403, call("POST", "/api/v1/management/tenants", "{}",
                "Authorization", "Bearer " + secret).status());
        assertEquals(200, delete("/api/v1/auth/tokens/" + id).status());
        assertEquals(401, call("GET", "/api/v1/auth/me", null, "Authorization", "Bearer " + secret).status());
        assertTrue(get("/api/v1/auth/audit").body().contains("TOKEN_USE"));
    }

    @Test
    public void everyAnswerCarriesSecurityHeadersAndDocsStillWork() throws Exception {
        var http = java.net.http.HttpClient.newHttpClient();
        for (String p : List.of("/api/v1/health", "/api/v1/clusters", "/api/v1/docs", "/api/v1/openapi.json")) {
            var r = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(BASE + p)).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertEquals(p, "nosniff", r.headers().firstValue("X-Content-Type-Options").orElse(null));
            assertEquals(p, "DENY", r.headers().firstValue("X-Frame-Options").orElse(null));
            assertEquals(p, "no-referrer", r.headers().firstValue("Referrer-Policy").orElse(null));
            if (!p.endsWith("/docs")) { // the API's answers are never cached; the docs page is static
                assertEquals(p, "no-store", r.headers().firstValue("Cache-Control").orElse(null));
            }
            assertNotNull(p, r.headers().firstValue("Content-Security-Policy").orElse(null));
        }
        assertEquals(200, get("/api/v1/docs").status());
        assertEquals(200, get("/api/v1/openapi.json").status());
    }

    @Test
    public void passwordChangeFollowsThePolicy() throws Exception {
        loginAdmin();
        post("/api/v1/management/users", "{\"userId\":\"pwuser\",\"name\":\"P\",\"tenant\":\"default\"}");
        post("/api/v1/auth/users", "{\"user\":\"pwuser\",\"password\":\"first-Pass-1234\"}");
        assertEquals(200, login("pwuser", "first-Pass-1234").status());
        assertEquals(400, post("/api/v1/auth/password",
                "{\"oldPassword\":\"first-Pass-1234\",\"newPassword\":\"short\"}").status());
        assertEquals(400, post("/api/v1/auth/password",
                "{\"oldPassword\":\"wrong-Pass-1234\",\"newPassword\":\"second-Pass-1234\"}").status());
        // the answer says which other credentials ended (none here: one session, no token)
        Reply changed = post("/api/v1/auth/password",
                "{\"oldPassword\":\"first-Pass-1234\",\"newPassword\":\"second-Pass-1234\"}");
        assertEquals(changed.toString(), 200, changed.status());
        assertEquals(0, changed.json().get("tokensRevoked").asInt());
        assertEquals(200, login("pwuser", "second-Pass-1234").status());
        loginAdmin();
        assertEquals(200, put("/api/v1/auth/users/pwuser/password", "{\"password\":\"third-Pass-1234\"}").status());
        assertEquals(200, login("pwuser", "third-Pass-1234").status());
    }

    @Test
    public void oversizeBodiesAre413AndChangeNothing() throws Exception {
        loginAdmin();
        String big = "{\"userId\":\"bigbody\",\"name\":\"" + "x".repeat(3 * 1024 * 1024) + "\",\"tenant\":\"default\"}";
        Reply withLength = post("/api/v1/management/users", big);
        assertEquals(withLength.toString().substring(0, Math.min(200, withLength.body().length())), 413,
                withLength.status());
        assertTrue(withLength.body(), withLength.body().contains("larger than"));
        // no Content-Length (chunked): refused while streaming
        ApiSession s = session("admin", ADMIN_PASSWORD);
        var http = java.net.http.HttpClient.newHttpClient();
        var chunked = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(BASE + "/api/v1/management/users"))
                .header("Content-Type", "application/json").headers(s.headers())
                .POST(java.net.http.HttpRequest.BodyPublishers.ofInputStream(
                        () -> new java.io.ByteArrayInputStream(big.getBytes(StandardCharsets.UTF_8))))
                .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(chunked.body(), 413, chunked.statusCode());
        assertEquals(404, get("/api/v1/management/users/bigbody").status());
    }

    @Test
    public void withoutTheSecurityFilterEveryResourceRefuses() throws Exception {
        org.osgi.framework.Bundle auth = java.util.Arrays.stream(bundleContext.getBundles())
                .filter(b -> "org.scow.auth".equals(b.getSymbolicName())).findFirst().orElseThrow();
        auth.stop();
        try {
            Reply r = anonymousGetUntil("/api/v1/clusters", 503);
            assertEquals(r.toString(), 503, r.status());
            assertTrue(r.body(), r.body().contains("scow-auth"));
            assertEquals(503, get("/api/v1/management/tenants").status());
        } finally {
            auth.start();
        }
        Reply back = anonymousGetUntil("/api/v1/clusters", 401);
        assertEquals(back.toString(), 401, back.status());
    }

    private Reply anonymousGetUntil(String path, int status) throws Exception {
        anonymous();
        long end = System.nanoTime() + java.time.Duration.ofSeconds(60).toNanos();
        Reply r = get(path);
        while (r.status() != status && System.nanoTime() < end) {
            Thread.sleep(250);
            r = get(path);
        }
        return r;
    }

    @Test
    public void withoutTheRoleDirectoryCallersAreToldToWaitNotRefused() throws Exception {
        loginAdmin();
        org.osgi.framework.Bundle management = java.util.Arrays.stream(bundleContext.getBundles())
                .filter(b -> "org.scow.management".equals(b.getSymbolicName())).findFirst().orElseThrow();
        management.stop();
        try {
            Reply r = get("/api/v1/clusters/itest/events");
            assertEquals(r.toString(), 503, r.status());
            assertTrue(r.body(), r.body().contains("starting"));
        } finally {
            management.start();
        }
        long end = System.nanoTime() + java.time.Duration.ofSeconds(60).toNanos();
        Reply r = get("/api/v1/clusters/itest/events");
        while (r.status() == 503 && System.nanoTime() < end) {
            Thread.sleep(250);
            r = get("/api/v1/clusters/itest/events");
        }
        assertTrue(r.toString(), r.status() != 403 && r.status() != 503);
    }

    @Test
    public void sessionsSurviveARestartOfTheAuthService() throws Exception {
        ApiSession s = session("admin", ADMIN_PASSWORD);
        assertEquals(200, call("GET", "/api/v1/auth/me", null, s.headers()).status());
        org.osgi.framework.Bundle auth = java.util.Arrays.stream(bundleContext.getBundles())
                .filter(b -> "org.scow.auth".equals(b.getSymbolicName())).findFirst().orElseThrow();
        auth.stop();
        auth.start();
        long end = System.nanoTime() + java.time.Duration.ofSeconds(60).toNanos();
        Reply me = call("GET", "/api/v1/auth/me", null, s.headers());
        while (me.status() != 200 && System.nanoTime() < end) {
            Thread.sleep(250);
            me = call("GET", "/api/v1/auth/me", null, s.headers());
        }
        assertEquals("the session is in the database, not in the stopped service: " + me, 200, me.status());
        // and the CSRF token came back with it
        assertEquals(204, call("POST", "/api/v1/auth/logout", "{}", s.headers()).status());
        assertEquals(401, call("GET", "/api/v1/auth/me", null, s.headers()).status());
    }
}
