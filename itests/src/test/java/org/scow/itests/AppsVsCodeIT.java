package org.scow.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * The shipped VS Code app (code-server) on the default distribution's local Crane cluster, as Unix user alice: the
 * session runs as a job, its password login (POST /login) goes through the proxy and leads to the editor's page,
 * bob gets 403, and in Chromium the editor's workbench is drawn (which needs its WebSocket through the proxy).
 * Needs code-server on this machine (.ci/install-code-server.sh) and the test login node of .ci/login-node-up.sh.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class AppsVsCodeIT extends PlatformTestSupport {
    private static final String C = "/api/v1/clusters/local";
    private static final String S = "/api/v1/app-sessions";
    private static final String PASSWORD = "Apps-Alice-2026x";

    @Configuration
    public Option[] config() {
        return new Option[] {platform(
                editConfigurationFilePut("etc/org.scow.cluster-local.cfg", "loginNodes", "login0=127.0.0.1:2222"),
                editConfigurationFilePut("etc/org.scow.loginnode.cfg", "keyInstallerUser", "root"),
                systemProperty("scow.portal.web").value(System.getProperty("scow.portal.web")),
                systemProperty("scow.e2e.artifacts").value(System.getProperty("scow.e2e.artifacts")))};
    }

    @Test
    public void vsCodeOpensThroughTheProxy() throws Exception {
        assertTrue("the test login node is not running on 127.0.0.1:2222: run .ci/login-node-up.sh as root",
                listening(2222));
        assertTrue("code-server is not installed: run .ci/install-code-server.sh as root",
                Files.isExecutable(Path.of("/usr/local/bin/code-server")));
        File web = new File(System.getProperty("scow.portal.web"));
        assertTrue("the portal's npm packages are missing in " + web + " (build it without -Dportal.skipNpm)",
                new File(web, "node_modules/.bin/playwright").canExecute());
        awaitRest();
        authorizePlatformKeyForRoot();
        await("local answers", Duration.ofSeconds(90), () -> {
            try {
                return get(C + "/partitions").status() == 200;
            } catch (Exception e) {
                return false;
            }
        });
        for (String u : new String[] {"alice", "bob"}) {
            Reply created = post("/api/v1/auth/users", "{\"user\":\"" + u + "\",\"password\":\"" + PASSWORD + "\"}");
            assertTrue(created.toString(), created.status() == 201 || created.status() == 409);
        }
        Reply account = post(C + "/accounts", "{\"name\":\"vscodeit\",\"owner\":\"alice\"}");
        assertTrue(account.toString(), account.status() == 201 || account.status() == 409);
        ApiSession alice = session("alice", PASSWORD);
        ApiSession bob = session("bob", PASSWORD);

        Reply launched = call("POST", S, "{\"app\":\"vscode\",\"cluster\":\"local\",\"values\":{\"time\":\"10\"}}",
                alice.headers());
        assertEquals(launched.toString(), 201, launched.status());
        String id = launched.json().get("id").asText();
        awaitRunning(alice, id);
        Reply connect = call("GET", S + "/" + id + "/connect", null, alice.headers());
        assertEquals(connect.toString(), "POST", connect.json().get("method").asText());
        assertEquals(connect.toString(), "/proxy/" + id + "/login", connect.json().get("url").asText());
        String password = connect.json().at("/form/password").asText();
        assertTrue(connect.toString(), password.length() >= 16);

        // the login form as the portal posts it: code-server answers with its own cookie and a relative redirect
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpResponse<String> login = http.send(HttpRequest.newBuilder(URI.create(BASE + "/proxy/" + id + "/login"))
                .header("Cookie", alice.cookie()).header("Origin", BASE)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("password="
                        + URLEncoder.encode(password, StandardCharsets.UTF_8)))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(login.body(), 302, login.statusCode());
        String appCookie = login.headers().allValues("Set-Cookie").stream()
                .filter(c -> c.startsWith("code-server-session=")).findFirst()
                .orElseThrow(() -> new AssertionError("no code-server cookie: " + login.headers().map()))
                .split(";", 2)[0];
        Reply root = call("GET", "/proxy/" + id + "/", null, "Cookie", alice.cookie() + "; " + appCookie);
        // code-server sends a signed-in browser on to the folder it opens, relative to the proxied path
        assertEquals(root.body(), 302, root.status());
        Reply editor = call("GET", "/proxy/" + id + "/?folder=/home/alice", null, "Cookie", alice.cookie() + "; "
                + appCookie);
        assertEquals(editor.body().substring(0, Math.min(400, editor.body().length())), 200, editor.status());
        assertTrue("the workbench page", editor.body().contains("workbench"));
        Reply bobsLogin = call("POST", "/proxy/" + id + "/login", null, "Cookie", bob.cookie(), "Origin", BASE);
        assertEquals(bobsLogin.toString(), 403, bobsLogin.status());
        assertEquals(403, call("GET", "/proxy/" + id + "/", null, "Cookie", bob.cookie() + "; " + appCookie).status());

        // and in Chromium through the portal (a second session; this one is ended first)
        assertEquals(200, call("DELETE", S + "/" + id, null, alice.headers()).status());
        File artifacts = new File(System.getProperty("scow.e2e.artifacts"), "apps-vscode");
        assertTrue(artifacts.mkdirs() || artifacts.isDirectory());
        File log = new File(artifacts, "e2e.log");
        ProcessBuilder pb = new ProcessBuilder("npx", "playwright", "test", "-c", "e2e/playwright.config.ts",
                "e2e/vscode.spec.ts").directory(web).redirectErrorStream(true).redirectOutput(log);
        pb.environment().put("APPS_E2E", "1");
        pb.environment().put("BASE_URL", BASE);
        pb.environment().put("E2E_USER", "alice");
        pb.environment().put("E2E_USER_PASSWORD", PASSWORD);
        pb.environment().put("E2E_ARTIFACTS", artifacts.getAbsolutePath());
        pb.environment().put("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        Process p = pb.start();
        if (!p.waitFor(8, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            fail("the VS Code walk did not end within 8 minutes; see " + log);
        }
        String out = Files.readString(log.toPath());
        assertEquals("VS Code walk failed (" + log + "):\n" + out, 0, p.exitValue());
        assertTrue(out, out.contains("1 passed"));
        assertTrue("the screenshot", new File(artifacts, "screenshots/apps-vscode-through-proxy.png").length() > 0);
    }

    private static void awaitRunning(ApiSession who, String id) throws Exception {
        JsonNode[] last = new JsonNode[1];
        try {
            await("session " + id + " RUNNING", Duration.ofSeconds(180), () -> {
                try {
                    last[0] = call("GET", S + "/" + id, null, who.headers()).json();
                    return "RUNNING".equals(last[0].get("state").asText());
                } catch (Exception e) {
                    return false;
                }
            });
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; last: " + last[0], e);
        }
    }
}
