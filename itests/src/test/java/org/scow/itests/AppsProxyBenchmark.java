package org.scow.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import com.fasterxml.jackson.databind.JsonNode;
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
 * The harness of benchmarks/apps-proxy.sh: the whole platform (the distribution, its proxy servlet) with the default
 * local cluster, an app that serves a 1 KiB page and echoes WebSocket messages (benchmarks/apps_proxy_bench.py
 * server) launched as alice, and the benchmark client run against the app directly and through /proxy/<session>/.
 * Measures launch to connected (POST until the first proxied 200) and writes every figure to
 * target/apps-proxy-bench.json. Not an *IT, so not part of the ordinary build (-Dit.test=AppsProxyBenchmark).
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class AppsProxyBenchmark extends PlatformTestSupport {
    private static final String C = "/api/v1/clusters/local";
    private static final String S = "/api/v1/app-sessions";
    private static final String PASSWORD = "Apps-Alice-2026x";

    @Configuration
    public Option[] config() {
        return new Option[] {platform(
                editConfigurationFilePut("etc/org.scow.cluster-local.cfg", "loginNodes", "login0=127.0.0.1:2222"),
                editConfigurationFilePut("etc/org.scow.loginnode.cfg", "keyInstallerUser", "root"),
                systemProperty("scow.benchmarks").value(System.getProperty("scow.benchmarks")),
                systemProperty("scow.bench.requests").value(System.getProperty("scow.bench.requests", "2000")))};
    }

    @Test
    public void benchmark() throws Exception {
        assertTrue("the test login node is not running on 127.0.0.1:2222: run .ci/login-node-up.sh as root",
                listening(2222));
        Path bench = Path.of(System.getProperty("scow.benchmarks"), "apps_proxy_bench.py").toAbsolutePath()
                .normalize();
        assertTrue(bench + " is missing", Files.isRegularFile(bench));
        awaitRest();
        authorizePlatformKeyForRoot();
        await("local answers", Duration.ofSeconds(90), () -> {
            try {
                return get(C + "/partitions").status() == 200;
            } catch (Exception e) {
                return false;
            }
        });
        Reply created = post("/api/v1/auth/users", "{\"user\":\"alice\",\"password\":\"" + PASSWORD + "\"}");
        assertTrue(created.toString(), created.status() == 201 || created.status() == 409);
        Reply account = post(C + "/accounts", "{\"name\":\"appsbench\",\"owner\":\"alice\"}");
        assertTrue(account.toString(), account.status() == 201 || account.status() == 409);
        ApiSession alice = session("alice", PASSWORD);
        // the app is alice's job: it runs the benchmark's server from the source tree (world-readable)
        assertTrue(bench + " must be readable by alice", Files.getPosixFilePermissions(bench)
                .contains(java.nio.file.attribute.PosixFilePermission.OTHERS_READ));
        Path etcApps = Path.of(System.getProperty("karaf.etc"), "apps");
        Path server = bench;
        Files.writeString(etcApps.resolve("bench.yaml"), "name: Bench\ntype: web\nclusters: [local]\n"
                + "proxy: relative\nstartTimeoutSeconds: 60\nbeforeScript: PORT=$(scow_free_port)\n"
                + "script: exec python3 " + server + " server --port \"$PORT\"\nconnect: { path: / }\n");
        await("the bench app is listed", Duration.ofSeconds(30), () -> {
            try {
                return call("GET", "/api/v1/apps?cluster=local", null, alice.headers()).body()
                        .contains("\"id\":\"bench\"");
            } catch (Exception e) {
                return false;
            }
        });

        long t0 = System.nanoTime();
        Reply launched = call("POST", S, "{\"app\":\"bench\",\"cluster\":\"local\",\"values\":{\"time\":\"10\"}}",
                alice.headers());
        assertEquals(launched.toString(), 201, launched.status());
        String id = launched.json().get("id").asText();
        String base = "/proxy/" + id + "/";
        long[] runningAt = {0};
        await("session " + id + " connected", Duration.ofSeconds(180), () -> {
            try {
                if (runningAt[0] == 0) {
                    JsonNode s = call("GET", S + "/" + id, null, alice.headers()).json();
                    if ("ENDED".equals(s.get("state").asText())) {
                        throw new AssertionError("the bench app ended: " + s);
                    }
                    if (!"RUNNING".equals(s.get("state").asText())) {
                        return false;
                    }
                    runningAt[0] = System.nanoTime();
                }
                return call("GET", base, null, alice.headers()).status() == 200;
            } catch (AssertionError e) {
                throw e;
            } catch (Exception e) {
                return false;
            }
        });
        long connected = System.nanoTime();
        String conn = Files.readString(Path.of(launched.json().get("sessionDir").asText(), "connection"));
        String port = conn.lines().filter(l -> l.startsWith("port=")).findFirst().orElseThrow().substring(5);

        Path out = Path.of(System.getProperty("scow.benchmarks"), "..", "itests", "target", "apps-proxy-bench.json")
                .normalize();
        Process p = new ProcessBuilder("python3", bench.toString(), "client",
                "--direct", "http://127.0.0.1:" + port + "/",
                "--proxy", BASE + base,
                "--cookie", alice.cookie(), "--origin", BASE,
                "--requests", System.getProperty("scow.bench.requests", "2000"))
                .redirectErrorStream(true).redirectOutput(out.toFile()).start();
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            fail("the benchmark client did not end within 10 minutes");
        }
        String result = Files.readString(out).trim();
        assertEquals(result, 0, p.exitValue());
        JsonNode figures = JSON.readTree(result);
        ((com.fasterxml.jackson.databind.node.ObjectNode) figures).put("launch_to_running_ms",
                TimeUnit.NANOSECONDS.toMillis(runningAt[0] - t0));
        ((com.fasterxml.jackson.databind.node.ObjectNode) figures).put("launch_to_connected_ms",
                TimeUnit.NANOSECONDS.toMillis(connected - t0));
        Files.writeString(out, figures.toString() + "\n");
        System.out.println("AppsProxyBenchmark: " + figures);

        assertEquals(200, call("DELETE", S + "/" + id, null, alice.headers()).status());
        await("session ended", Duration.ofSeconds(60), () -> {
            try {
                return "ENDED".equals(call("GET", S + "/" + id, null, alice.headers()).json().get("state").asText());
            } catch (Exception e) {
                return false;
            }
        });
        Files.deleteIfExists(etcApps.resolve("bench.yaml"));
    }
}
