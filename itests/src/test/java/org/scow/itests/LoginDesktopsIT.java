package org.scow.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * Desktops on the local cluster's login node (the test login node of .ci/login-node-up.sh, 127.0.0.1:2222), as Unix
 * user alice: created with a window manager from the configured list, their Xvnc runs as alice (never root), the
 * per-user maximum (2 here) is refused with a clear message, bob gets 403 from the proxy and cannot end them, the
 * browser shows the desktop through noVNC (Chromium, desktops.spec.ts), and ending one ends its Xvnc process.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class LoginDesktopsIT extends PlatformTestSupport {
    private static final String D = "/api/v1/clusters/local/desktops";
    private static final String PASSWORD = "Desk-Alice-2026x";

    @Configuration
    public Option[] config() {
        return new Option[] {platform(
                editConfigurationFilePut("etc/org.scow.cluster-local.cfg", "loginNodes", "login0=127.0.0.1:2222"),
                editConfigurationFilePut("etc/org.scow.loginnode.cfg", "keyInstallerUser", "root"),
                editConfigurationFilePut("etc/org.scow.desktops.cfg", "maxPerUser", "2"),
                editConfigurationFilePut("etc/org.scow.desktops.cfg", "geometry", "1280x720"),
                systemProperty("scow.portal.web").value(System.getProperty("scow.portal.web")),
                systemProperty("scow.e2e.artifacts").value(System.getProperty("scow.e2e.artifacts")))};
    }

    @Test
    public void desktopsOnTheLoginNode() throws Exception {
        assertTrue("the test login node is not running on 127.0.0.1:2222: run .ci/login-node-up.sh as root",
                listening(2222));
        assertTrue("desktops need tigervnc-standalone-server tigervnc-tools novnc websockify openbox (.ci/prepare.sh)",
                Files.isExecutable(Path.of("/usr/bin/Xvnc")) && Files.isExecutable(Path.of("/usr/bin/websockify")));
        File web = new File(System.getProperty("scow.portal.web"));
        assertTrue("the portal's npm packages are missing in " + web + " (build it without -Dportal.skipNpm)",
                new File(web, "node_modules/.bin/playwright").canExecute());
        awaitRest();
        authorizePlatformKeyForRoot();
        for (String u : new String[] {"alice", "bob"}) {
            Reply created = post("/api/v1/auth/users", "{\"user\":\"" + u + "\",\"password\":\"" + PASSWORD + "\"}");
            assertTrue(created.toString(), created.status() == 201 || created.status() == 409);
        }
        ApiSession alice = session("alice", PASSWORD);
        ApiSession bob = session("bob", PASSWORD);
        Reply before = call("GET", D, null, alice.headers());
        assertEquals(before.toString(), 200, before.status());
        for (JsonNode d : before.json().get("desktops")) { // left by an earlier run
            call("DELETE", D + "/" + d.get("id").asText(), null, alice.headers());
        }

        Reply overview = call("GET", D, null, alice.headers());
        assertEquals(overview.toString(), 200, overview.status());
        assertEquals(overview.toString(), 2, overview.json().get("maxPerUser").asInt());
        assertEquals(overview.toString(), 0, overview.json().get("desktops").size());
        List<String> wms = new ArrayList<>();
        overview.json().get("windowManagers").forEach(w -> wms.add(w.get("id").asText()));
        assertTrue("openbox is installed here: " + overview, wms.contains("openbox"));
        assertFalse("Xfce is not installed here, so it is not offered: " + overview,
                Files.exists(Path.of("/usr/bin/startxfce4")) || wms.contains("xfce"));

        Reply unknown = call("POST", D, "{\"windowManager\":\"kde\"}", alice.headers());
        assertEquals(unknown.toString(), 400, unknown.status());
        assertEquals("windowManager", unknown.json().at("/details/field").asText());
        assertTrue(unknown.toString(), unknown.json().get("message").asText().contains("'kde' is not offered"));
        Reply missing = call("POST", D, "{}", alice.headers());
        assertEquals(missing.toString(), 400, missing.status());
        assertEquals("windowManager", missing.json().at("/details/field").asText());
        assertEquals(401, call("POST", D, "{\"windowManager\":\"openbox\"}").status());

        Reply first = call("POST", D, "{\"windowManager\":\"openbox\"}", alice.headers());
        assertEquals(first.toString(), 201, first.status());
        String id = first.json().get("id").asText();
        int display = first.json().get("display").asInt();
        long xvnc = xvnc(display);
        assertEquals("Xvnc runs as the user", "alice", Files.getOwner(Path.of("/proc/" + xvnc)).getName());
        Reply second = call("POST", D, "{\"windowManager\":\"openbox\"}", alice.headers());
        assertEquals(second.toString(), 201, second.status());
        Reply third = call("POST", D, "{\"windowManager\":\"openbox\"}", alice.headers());
        assertEquals(third.toString(), 409, third.status());
        assertEquals("DESKTOP_LIMIT", third.json().get("code").asText());
        assertTrue(third.toString(), third.json().get("message").asText()
                .startsWith("you already have 2 desktops on cluster local, the most one user may have"));
        assertEquals(2, call("GET", D, null, alice.headers()).json().get("desktops").size());

        // only alice reaches them
        Reply connect = call("GET", D + "/" + id + "/connect", null, alice.headers());
        assertEquals(connect.toString(), 200, connect.status());
        String url = connect.json().get("url").asText();
        assertTrue(url, url.startsWith("/proxy/" + id + "/vnc.html?autoconnect=true&resize=remote&path=proxy/" + id
                + "/websockify&password="));
        Reply page = call("GET", url, null, alice.headers());
        assertEquals(200, page.status());
        assertTrue("the noVNC page", page.body().contains("noVNC"));
        assertEquals(403, call("GET", url, null, bob.headers()).status());
        assertEquals(401, call("GET", url, null).status());
        assertEquals(404, call("GET", D + "/" + id + "/connect", null, bob.headers()).status());
        assertEquals(404, call("DELETE", D + "/" + id, null, bob.headers()).status());
        assertTrue("bob's attempt left it running", running(xvnc));

        // in Chromium: open the first one (its pixels through the proxy), end the second from the page
        long secondXvnc = xvnc(second.json().get("display").asInt());
        File artifacts = new File(System.getProperty("scow.e2e.artifacts"), "desktops");
        assertTrue(artifacts.mkdirs() || artifacts.isDirectory());
        File log = new File(artifacts, "e2e.log");
        ProcessBuilder pb = new ProcessBuilder("npx", "playwright", "test", "-c", "e2e/playwright.config.ts",
                "e2e/desktops.spec.ts").directory(web).redirectErrorStream(true).redirectOutput(log);
        pb.environment().put("DESKTOPS_E2E", "1");
        pb.environment().put("DESKTOP_DISPLAY", Integer.toString(display));
        pb.environment().put("BASE_URL", BASE);
        pb.environment().put("E2E_USER", "alice");
        pb.environment().put("E2E_USER_PASSWORD", PASSWORD);
        pb.environment().put("E2E_ARTIFACTS", artifacts.getAbsolutePath());
        pb.environment().put("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        Process p = pb.start();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            fail("the desktops walk did not end within 5 minutes; see " + log);
        }
        String out = Files.readString(log.toPath());
        assertEquals("desktops walk failed (" + log + "):\n" + out, 0, p.exitValue());
        assertTrue(out, out.contains("1 passed"));
        assertTrue(new File(artifacts, "screenshots/desktops-novnc-through-proxy.png").length() > 0);
        assertFalse("ending a desktop in the page ends its Xvnc", running(secondXvnc));

        Reply killed = call("DELETE", D + "/" + id, null, alice.headers());
        assertEquals(killed.toString(), 200, killed.status());
        assertFalse("ending a desktop ends its Xvnc", running(xvnc));
        assertEquals(0, call("GET", D, null, alice.headers()).json().get("desktops").size());
        assertEquals(404, call("GET", url, null, alice.headers()).status());
        assertEquals(404, call("DELETE", D + "/" + id, null, alice.headers()).status());
    }

    /** The Xvnc process of a display (Debian's Xvnc is a link to Xtigervnc: it is known by its argv[0]). */
    private static long xvnc(int display) throws IOException {
        String prefix = "Xvnc\0:" + display + "\0";
        try (var dirs = Files.list(Path.of("/proc"))) {
            for (Path d : dirs.filter(x -> x.getFileName().toString().matches("\\d+")).toList()) {
                try {
                    if (new String(Files.readAllBytes(d.resolve("cmdline")), StandardCharsets.UTF_8)
                            .startsWith(prefix)) {
                        return Long.parseLong(d.getFileName().toString());
                    }
                } catch (IOException e) {
                    // ended while we looked
                }
            }
        }
        throw new AssertionError("no Xvnc process for display :" + display);
    }

    /** Running, not merely not yet reaped (this container's first process does not reap orphans). */
    private static boolean running(long pid) throws IOException {
        Path status = Path.of("/proc/" + pid + "/status");
        try {
            return !Files.readString(status).matches("(?s).*\\nState:\\s*Z.*");
        } catch (IOException e) {
            return false;
        }
    }
}
