package org.scow.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import javax.inject.Inject;
import org.apache.karaf.features.FeaturesService;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * The shipped Jupyter app on the real Slurm 22.05 cluster of ../shared/peers/slurm-up.sh (users alice and bob in
 * account 'default'), through the Slurm driver: the session directory is created as alice over the test login node
 * (.ci/login-node-up.sh, 127.0.0.1:2222), the job runs on an emulated node (NodeName=c[1-4], NodeAddr=127.0.0.1, so
 * the apps' {@code nodeAddresses} sends the proxy there), a Jupyter page comes through /proxy/<session>/ for alice
 * only, and cancelling ends the card.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class AppsSlurmIT extends PlatformTestSupport {
    private static final String CFG = "etc/org.scow.cluster-slurm.cfg";
    private static final String C = "/api/v1/clusters/slurm";
    private static final String S = "/api/v1/app-sessions";
    private static final String PASSWORD = "Apps-Alice-2026x";

    @Inject
    private FeaturesService features;

    private ApiSession alice;

    @Configuration
    public Option[] config() {
        return new Option[] {platform(
                editConfigurationFilePut(CFG, "id", "slurm"),
                editConfigurationFilePut(CFG, "displayName", "Slurm on this host"),
                editConfigurationFilePut(CFG, "driver", "slurm"),
                editConfigurationFilePut(CFG, "driver.timeoutSeconds", "20"),
                editConfigurationFilePut(CFG, "loginNodes", "login0=127.0.0.1:2222"),
                editConfigurationFilePut("etc/org.scow.loginnode.cfg", "keyInstallerUser", "root"),
                editConfigurationFilePut("etc/org.scow.apps.cfg", "nodeAddresses", "slurm=127.0.0.1"))};
    }

    @Test
    public void jupyterOnSlurmBehindTheOwnersProxy() throws Exception {
        assertTrue("the test login node is not running on 127.0.0.1:2222: run .ci/login-node-up.sh as root",
                listening(2222));
        assertTrue("Slurm is not running on 127.0.0.1:6817: run ../shared/peers/slurm-up.sh", listening(6817));
        assertTrue("Jupyter is not installed (apt-get install jupyter-notebook python3-ipykernel)",
                Files.isExecutable(Path.of("/usr/bin/jupyter-notebook")));
        awaitRest();
        authorizePlatformKeyForRoot();
        features.installFeature("scow-scheduler-slurm");
        await("slurm answers", Duration.ofSeconds(90), () -> {
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
        alice = session("alice", PASSWORD);
        ApiSession bob = session("bob", PASSWORD);
        assertEquals(alice.reply().toString(), 200, alice.reply().status());

        Reply apps = call("GET", "/api/v1/apps?cluster=slurm", null, alice.headers());
        assertTrue(apps.toString(), apps.body().contains("\"id\":\"jupyter\""));
        Reply launched = call("POST", S, "{\"app\":\"jupyter\",\"cluster\":\"slurm\",\"values\":{\"time\":\"10\","
                + "\"account\":\"default\",\"partition\":\"debug\"}}", alice.headers());
        assertEquals(launched.toString(), 201, launched.status());
        String id = launched.json().get("id").asText();
        String dir = launched.json().get("sessionDir").asText();
        assertEquals("/home/alice/scow/apps/" + id, dir);
        assertEquals("alice", Files.getOwner(Path.of(dir)).getName());
        String jobId = launched.json().get("jobId").asText();
        assertTrue(launched.toString(), jobId.matches("\\d+"));

        JsonNode running = awaitState(id, "RUNNING", Duration.ofSeconds(240));
        assertTrue(running.toString(), running.get("message").asText().matches("running on c\\d+"));
        assertTrue(running.toString(), running.get("timeLeftSeconds").asLong() > 0);
        assertEquals("alice", Files.getOwner(Path.of(dir, "connection")).getName());
        Reply job = get(C + "/jobs/" + jobId);
        assertEquals(job.toString(), 200, job.status());
        assertEquals(job.toString(), "alice", job.json().get("user").asText());

        String base = "/proxy/" + id + "/";
        Reply connect = call("GET", S + "/" + id + "/connect", null, alice.headers());
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
        assertEquals(403, call("GET", base + "api/status", null, with(bob, "Authorization", "token " + token))
                .status());
        assertEquals(401, call("GET", url, null).status());

        Reply cancelled = call("DELETE", S + "/" + id, null, alice.headers());
        assertEquals(cancelled.toString(), 200, cancelled.status());
        JsonNode ended = awaitState(id, "ENDED", Duration.ofSeconds(90));
        assertEquals(ended.toString(), "cancelled by you", ended.get("message").asText());
        assertEquals("CANCELLED", ended.get("reason").asText());
        Reply gone = call("GET", base + "api/status", null, with(alice, "Authorization", "token " + token));
        assertEquals(gone.toString(), 410, gone.status());
    }

    private JsonNode awaitState(String id, String state, Duration timeout) throws Exception {
        JsonNode[] last = new JsonNode[1];
        try {
            await("session " + id + " " + state, timeout, () -> {
                try {
                    last[0] = call("GET", S + "/" + id, null, alice.headers()).json();
                    String now = last[0].get("state").asText();
                    if ("ENDED".equals(now) && !state.equals(now)) {
                        throw new AssertionError("session " + id + " ended before " + state + ": " + last[0]);
                    }
                    return state.equals(now);
                } catch (AssertionError e) {
                    throw e;
                } catch (Exception e) {
                    return false;
                }
            });
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; last: " + last[0], e);
        }
        return last[0];
    }

    private static String[] with(ApiSession s, String... more) {
        String[] h = s.headers();
        String[] out = java.util.Arrays.copyOf(h, h.length + more.length);
        System.arraycopy(more, 0, out, h.length, more.length);
        return out;
    }
}
