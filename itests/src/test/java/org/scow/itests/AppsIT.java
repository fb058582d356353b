package org.scow.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * Interactive apps on the default distribution's local Crane cluster, as Unix user alice: the shipped Jupyter app runs
 * as a real job, is reached through the platform's proxy (a page, its API and a kernel over a WebSocket), is refused to
 * bob, and ends when cancelled; apps an administrator drops into etc/apps that cannot start end with a message that
 * says why. Session files are read over the test login node of .ci/login-node-up.sh (127.0.0.1:2222). Needs Jupyter
 * and the desktop's parts on this machine (Debian: jupyter-notebook python3-ipykernel tigervnc-standalone-server
 * tigervnc-tools novnc websockify openbox).
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class AppsIT extends PlatformTestSupport {
    private static final String C = "/api/v1/clusters/local";
    private static final String S = "/api/v1/app-sessions";
    private static final String PASSWORD = "Apps-Alice-2026x";

    private ApiSession alice;
    private ApiSession bob;

    @Configuration
    public Option[] config() {
        return new Option[] {platform(
                editConfigurationFilePut("etc/org.scow.cluster-local.cfg", "loginNodes", "login0=127.0.0.1:2222"),
                editConfigurationFilePut("etc/org.scow.loginnode.cfg", "keyInstallerUser", "root"),
                systemProperty("scow.portal.web").value(System.getProperty("scow.portal.web")),
                systemProperty("scow.e2e.artifacts").value(System.getProperty("scow.e2e.artifacts")))};
    }

    @Test
    public void appsRunAsJobsBehindTheOwnersProxy() throws Exception {
        assertTrue("the test login node is not running on 127.0.0.1:2222: run .ci/login-node-up.sh as root",
                listening(2222));
        assertTrue("Jupyter is not installed (apt-get install jupyter-notebook python3-ipykernel)",
                Files.isExecutable(Path.of("/usr/bin/jupyter-notebook")));
        awaitRest();
        authorizePlatformKeyForRoot();
        // online once the driver is installed; usable once the embedded controller has written its credential
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
        Reply account = post(C + "/accounts", "{\"name\":\"appsit\",\"owner\":\"alice\"}");
        assertTrue(account.toString(), account.status() == 201 || account.status() == 409);
        alice = session("alice", PASSWORD);
        bob = session("bob", PASSWORD);
        assertEquals(alice.reply().toString(), 200, alice.reply().status());

        Reply apps = as(alice, "GET", "/api/v1/apps?cluster=local", null);
        assertEquals(apps.toString(), 200, apps.status());
        assertTrue(apps.toString(), apps.body().contains("\"id\":\"jupyter\"") && apps.body().contains("\"id\":\"vscode\"")
                && apps.body().contains("\"id\":\"desktop\""));
        Reply form = as(alice, "GET", "/api/v1/apps/jupyter/form?cluster=local", null);
        assertEquals(form.toString(), "appsit", field(form.json(), "account").get("value").asText());
        assertEquals(form.toString(), "debug", field(form.json(), "partition").get("value").asText());

        Reply bad = as(alice, "POST", S, "{\"app\":\"jupyter\",\"cluster\":\"local\",\"values\":{\"time\":\"soon\"}}");
        assertEquals(bad.toString(), 400, bad.status());
        assertEquals("time", bad.json().at("/details/field").asText());
        Reply notMine = as(bob, "POST", S, "{\"app\":\"jupyter\",\"cluster\":\"local\",\"values\":{\"account\":\"appsit\"}}");
        assertEquals(notMine.toString(), 400, notMine.status());
        assertEquals("account", notMine.json().at("/details/field").asText());

        jupyter();
        desktop();
        brokenApps();
        portalWalk();
    }

    /**
     * The apps page in Chromium (bundles/portal/web/e2e/apps.spec.ts): launch, watch, connect, end. Needs the portal's
     * npm packages (installed by the build without -Dportal.skipNpm).
     */
    private void portalWalk() throws Exception {
        java.io.File web = new java.io.File(System.getProperty("scow.portal.web"));
        if (!new java.io.File(web, "node_modules/.bin/playwright").canExecute()) {
            System.out.println("AppsIT: the portal walk is SKIPPED: no node_modules in " + web + " (build without "
                    + "-Dportal.skipNpm)");
            return;
        }
        java.io.File artifacts = new java.io.File(System.getProperty("scow.e2e.artifacts"), "apps");
        assertTrue(artifacts.mkdirs() || artifacts.isDirectory());
        java.io.File log = new java.io.File(artifacts, "e2e.log");
        ProcessBuilder pb = new ProcessBuilder("npx", "playwright", "test", "-c", "e2e/playwright.config.ts",
                "e2e/apps.spec.ts").directory(web).redirectErrorStream(true).redirectOutput(log);
        pb.environment().put("APPS_E2E", "1");
        pb.environment().put("BASE_URL", BASE);
        pb.environment().put("E2E_USER", "alice");
        pb.environment().put("E2E_USER_PASSWORD", PASSWORD);
        pb.environment().put("SCOW_ADMIN_USER", "admin");
        pb.environment().put("SCOW_ADMIN_PASSWORD", ADMIN_PASSWORD);
        pb.environment().put("E2E_ARTIFACTS", artifacts.getAbsolutePath());
        pb.environment().put("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        Process p = pb.start();
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            fail("the apps walk did not end within 10 minutes; see " + log);
        }
        String out = Files.readString(log.toPath());
        assertEquals("apps walk failed (" + log + "):\n" + out, 0, p.exitValue());
        assertTrue(out, out.contains("3 passed"));
    }

    private void jupyter() throws Exception {
        Reply launched = as(alice, "POST", S, "{\"app\":\"jupyter\",\"cluster\":\"local\",\"values\":{\"time\":\"10\"}}");
        assertEquals(launched.toString(), 201, launched.status());
        String id = launched.json().get("id").asText();
        String dir = launched.json().get("sessionDir").asText();
        assertEquals("/home/alice/scow/apps/" + id, dir);
        assertEquals("alice", Files.getOwner(Path.of(dir)).getName());
        JsonNode running = awaitState(id, "RUNNING", Duration.ofSeconds(180));
        assertTrue(running.toString(), running.get("timeLeftSeconds").asLong() > 0);
        assertEquals("alice", Files.getOwner(Path.of(dir, "connection")).getName());

        // the proxy is only for alice; the session itself too
        String base = "/proxy/" + id + "/";
        Reply connect = as(alice, "GET", S + "/" + id + "/connect", null);
        assertEquals(connect.toString(), 200, connect.status());
        String url = connect.json().get("url").asText();
        String token = connect.json().get("password").asText();
        assertEquals(base + "tree?token=" + token, url);
        Reply page = call("GET", url, null, alice.headers());
        assertEquals(page.toString().substring(0, Math.min(500, page.toString().length())), 200, page.status());
        assertTrue("a Jupyter page", page.body().contains("Jupyter"));
        Reply status = call("GET", base + "api/status", null, with(alice, "Authorization", "token " + token));
        assertEquals(status.toString(), 200, status.status());
        assertTrue(status.toString(), status.json().has("started"));
        assertEquals(403, call("GET", url, null, bob.headers()).status());
        assertEquals(403, call("GET", base + "api/status", null, with(bob, "Authorization", "token " + token)).status());
        assertEquals(401, call("GET", url, null).status());
        assertEquals(404, as(bob, "GET", S + "/" + id, null).status());
        assertEquals(404, as(bob, "DELETE", S + "/" + id, null).status());
        Reply crossSite = call("POST", base + "api/kernels", "{}", with(alice, "Authorization", "token " + token,
                "Origin", "http://evil.example.org"));
        assertEquals(crossSite.toString(), 403, crossSite.status());

        kernelOverWebSocket(base, token);
        URI ws = URI.create("ws://127.0.0.1:" + HTTP_PORT + base + "api/kernels/x/channels");
        assertEquals(403, handshakeStatus(HttpClient.newHttpClient().newWebSocketBuilder()
                .header("Cookie", bob.cookie()).header("Origin", BASE), ws));
        assertEquals(401, handshakeStatus(HttpClient.newHttpClient().newWebSocketBuilder().header("Origin", BASE), ws));

        Reply cancelled = as(alice, "DELETE", S + "/" + id, null);
        assertEquals(cancelled.toString(), 200, cancelled.status());
        JsonNode ended = awaitState(id, "ENDED", Duration.ofSeconds(60));
        assertEquals(ended.toString(), "cancelled by you", ended.get("message").asText());
        assertEquals("CANCELLED", ended.get("reason").asText());
        Reply gone = call("GET", base + "api/status", null, with(alice, "Authorization", "token " + token));
        assertEquals(gone.toString(), 410, gone.status());
        assertTrue(gone.toString(), gone.json().get("message").asText().contains("cancelled by you"));
        Reply mine = as(alice, "GET", S, null);
        assertEquals(id, mine.json().get(0).get("id").asText());
        Reply all = get(S + "/all?user=alice");
        assertEquals(all.toString(), id, all.json().get(0).get("id").asText());
    }

    /**
     * The shipped remote desktop (TigerVNC, openbox, noVNC served by websockify; the proxy strips its base path): the
     * noVNC page and the VNC server's greeting over a binary WebSocket, both through the proxy.
     */
    private void desktop() throws Exception {
        assertTrue("the desktop needs tigervnc-standalone-server tigervnc-tools novnc websockify openbox",
                Files.isExecutable(Path.of("/usr/bin/Xvnc")) && Files.isExecutable(Path.of("/usr/bin/websockify")));
        Reply launched = as(alice, "POST", S, "{\"app\":\"desktop\",\"cluster\":\"local\",\"values\":"
                + "{\"resolution\":\"1280x720\"}}");
        assertEquals(launched.toString(), 201, launched.status());
        String id = launched.json().get("id").asText();
        awaitState(id, "RUNNING", Duration.ofSeconds(120));
        Reply connect = as(alice, "GET", S + "/" + id + "/connect", null);
        String password = connect.json().get("password").asText();
        assertEquals(8, password.length());
        assertEquals("/proxy/" + id + "/vnc.html?autoconnect=true&resize=remote&path=proxy/" + id + "/websockify"
                + "&password=" + password, connect.json().get("url").asText());
        Reply page = call("GET", connect.json().get("url").asText(), null, alice.headers());
        assertEquals(200, page.status());
        assertTrue("the noVNC page", page.body().contains("noVNC"));
        LinkedBlockingQueue<byte[]> frames = new LinkedBlockingQueue<>();
        WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder().header("Cookie", alice.cookie())
                .header("Origin", BASE).subprotocols("binary")
                .buildAsync(URI.create("ws://127.0.0.1:" + HTTP_PORT + "/proxy/" + id + "/websockify"),
                        new WebSocket.Listener() {
                            @Override
                            public CompletionStage<?> onBinary(WebSocket w, java.nio.ByteBuffer data, boolean last) {
                                byte[] b = new byte[data.remaining()];
                                data.get(b);
                                frames.add(b);
                                w.request(1);
                                return null;
                            }
                        }).get(30, TimeUnit.SECONDS);
        assertEquals("binary", ws.getSubprotocol());
        byte[] greeting = frames.poll(30, TimeUnit.SECONDS);
        assertTrue("the VNC server's greeting", greeting != null
                && new String(greeting, java.nio.charset.StandardCharsets.US_ASCII).startsWith("RFB 003.008"));
        ws.sendClose(WebSocket.NORMAL_CLOSURE, "").get(10, TimeUnit.SECONDS);
        assertEquals(200, as(alice, "DELETE", S + "/" + id, null).status());
        assertEquals("cancelled by you", awaitState(id, "ENDED", Duration.ofSeconds(60)).get("message").asText());
    }

    /** Starts a kernel through the proxy and runs code in it over the kernel's WebSocket. */
    private void kernelOverWebSocket(String base, String token) throws Exception {
        Reply kernel = call("POST", base + "api/kernels", "{\"name\":\"python3\"}", with(alice, "Authorization",
                "token " + token, "Origin", BASE));
        assertEquals(kernel.toString(), 201, kernel.status());
        String kernelId = kernel.json().get("id").asText();
        LinkedBlockingQueue<String> messages = new LinkedBlockingQueue<>();
        WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder().header("Cookie", alice.cookie())
                .header("Origin", BASE)
                .buildAsync(URI.create("ws://127.0.0.1:" + HTTP_PORT + base + "api/kernels/" + kernelId
                        + "/channels?token=" + token), new WebSocket.Listener() {
                    private final StringBuilder text = new StringBuilder();

                    @Override
                    public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                        text.append(data);
                        if (last) {
                            messages.add(text.toString());
                            text.setLength(0);
                        }
                        w.request(1);
                        return null;
                    }
                }).get(30, TimeUnit.SECONDS);
        String request = """
                {"header":{"msg_id":"appsit-1","username":"alice","session":"appsit","msg_type":"execute_request",
                "version":"5.3","date":""},"parent_header":{},"metadata":{},"channel":"shell","buffers":[],
                "content":{"code":"print(6*7)","silent":false,"store_history":false,"user_expressions":{},
                "allow_stdin":false,"stop_on_error":true}}""";
        ws.sendText(request, true).get(10, TimeUnit.SECONDS);
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            String m = messages.poll(Math.max(1, end - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (m == null) {
                fail("no output of print(6*7) from the kernel within 60 s");
            }
            JsonNode j = JSON.readTree(m);
            if ("stream".equals(j.at("/header/msg_type").asText())) {
                assertEquals("42\n", j.at("/content/text").asText());
                break;
            }
        }
        ws.sendClose(WebSocket.NORMAL_CLOSURE, "").get(10, TimeUnit.SECONDS);
    }

    /** Apps an administrator adds as files: one whose script fails, one that never opens its port. */
    private void brokenApps() throws Exception {
        Path etcApps = Path.of(System.getProperty("karaf.etc"), "apps");
        Files.writeString(etcApps.resolve("broken.yaml"), """
                name: Broken
                type: web
                clusters: [local]
                beforeScript: PORT=$(scow_free_port)
                script: |
                  echo "my-server: command not found" >&2
                  exit 1
                connect: { path: / }
                """);
        Files.writeString(etcApps.resolve("silent.yaml"), """
                name: Silent
                type: web
                clusters: [local]
                startTimeoutSeconds: 10
                beforeScript: PORT=$(scow_free_port)
                script: exec sleep 600
                connect: { path: / }
                """);
        Files.writeString(etcApps.resolve("invalid.yaml"), "name: Invalid\ntype: web\nclusters: [local]\n");
        Reply listed = get("/api/v1/apps?cluster=local");
        assertTrue(listed.toString(), listed.body().contains("\"id\":\"broken\""));
        assertTrue(listed.toString(), listed.body().contains("invalid.yaml: beforeScript: is required"));

        Reply broken = as(alice, "POST", S, "{\"app\":\"broken\",\"cluster\":\"local\",\"values\":{}}");
        assertEquals(broken.toString(), 201, broken.status());
        String id = broken.json().get("id").asText();
        JsonNode ended = awaitState(id, "ENDED", Duration.ofSeconds(60));
        assertTrue(ended.toString(), ended.get("failed").asBoolean());
        assertTrue(ended.toString(), ended.get("message").asText().matches(
                "the app could not start: the app exited with status 1 before it opened port \\d+; .*"));
        assertTrue(ended.toString(), ended.get("logTail").asText().contains("my-server: command not found"));

        Reply again = as(alice, "POST", S + "/" + id + "/relaunch", null);
        assertEquals(again.toString(), 201, again.status());
        assertFalse(id.equals(again.json().get("id").asText()));
        assertEquals("broken", again.json().get("app").asText());
        assertEquals(broken.json().get("values"), again.json().get("values"));
        awaitState(again.json().get("id").asText(), "ENDED", Duration.ofSeconds(60));

        Reply silent = as(alice, "POST", S, "{\"app\":\"silent\",\"cluster\":\"local\",\"values\":{}}");
        assertEquals(silent.toString(), 201, silent.status());
        JsonNode timedOut = awaitState(silent.json().get("id").asText(), "ENDED", Duration.ofSeconds(90));
        assertTrue(timedOut.toString(), timedOut.get("message").asText().matches(
                "the app could not start: the app did not open port \\d+ within 10 seconds; .*"));

        // a platform admin may end anyone's session, and the owner is told who did
        Reply victim = as(alice, "POST", S, "{\"app\":\"silent\",\"cluster\":\"local\",\"values\":{}}");
        assertEquals(victim.toString(), 201, victim.status());
        Reply killed = delete(S + "/" + victim.json().get("id").asText());
        assertEquals(killed.toString(), 200, killed.status());
        JsonNode byAdmin = awaitState(victim.json().get("id").asText(), "ENDED", Duration.ofSeconds(60));
        assertEquals(byAdmin.toString(), "cancelled by an administrator", byAdmin.get("message").asText());
    }

    private JsonNode awaitState(String id, String state, Duration timeout) throws Exception {
        JsonNode[] last = new JsonNode[1];
        try {
            await("session " + id + " " + state, timeout, () -> {
                try {
                    last[0] = as(alice, "GET", S + "/" + id, null).json();
                    return state.equals(last[0].get("state").asText());
                } catch (Exception e) {
                    return false;
                }
            });
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; last: " + last[0], e);
        }
        return last[0];
    }

    private static JsonNode field(JsonNode form, String name) {
        for (JsonNode f : form.get("fields")) {
            if (name.equals(f.get("name").asText())) {
                return f;
            }
        }
        throw new AssertionError("no field " + name + " in " + form);
    }

    private static String[] with(ApiSession s, String... more) {
        String[] h = s.headers();
        String[] out = java.util.Arrays.copyOf(h, h.length + more.length);
        System.arraycopy(more, 0, out, h.length, more.length);
        return out;
    }

    private static Reply as(ApiSession s, String method, String path, String json) throws Exception {
        return call(method, path, json, s.headers());
    }

    private static int handshakeStatus(WebSocket.Builder builder, URI uri) throws Exception {
        try {
            builder.buildAsync(uri, new WebSocket.Listener() { }).get(30, TimeUnit.SECONDS).abort();
            fail("the WebSocket was accepted");
            return 0;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException h) {
                return h.getResponse().statusCode();
            }
            throw e;
        }
    }
}
