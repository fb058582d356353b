package org.scow.itests.federation;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.FixMethodOrder;
import org.junit.Test;
import org.junit.runners.MethodSorters;

/**
 * Three centers on this machine, each its own Karaf from the distribution with its own ports, data directory and
 * database: A's user works through A only; B and C each grant A an account on their own local Crane cluster (the
 * embedded controller and node, on a port of its own) and price it with their own table (B dearer than C). One scenario, in order, because each step builds on the last:
 * <ol>
 * <li>100 jobs routed from A by policy, each to the center the test predicts from the job (input data at B: B;
 * price weighed: C, the cheaper; preference for C: C), with the reason shown;</li>
 * <li>A blocks its account at home: B refuses A's submissions, then lets them through again;</li>
 * <li>C is killed with jobs running: A reports them as unreachable, and new work preferring C goes to B;</li>
 * <li>C comes back (its ledger survives; its in-memory jobs do not), A restarts in the middle of a settlement pass;</li>
 * <li>A's, B's and C's statements agree to the cent, every finished job is in them once, and A's account was
 * charged exactly what A mirrored.</li>
 * </ol>
 */
@FixMethodOrder(MethodSorters.NAME_ASCENDING)
public class ThreeCenterIT {
    private static final String PASSWORD = "fed3-Admin-pw1";
    private static final Duration BOOT = Duration.ofMinutes(6);
    /** The Unix user B and C run alice's jobs as (created when missing: the itests run as root). */
    private static final String LOCAL_USER = "fedalice";
    private static Path workDir;
    private static CenterProcess a;
    private static CenterProcess b;
    private static CenterProcess c;
    private static Api apiA;
    private static Api apiB;
    private static Api apiC;

    @BeforeClass
    public static void startCenters() throws Throwable {
        try {
            boot();
        } catch (Throwable t) {
            stopCenters();
            throw t;
        }
    }

    private static void boot() throws Throwable {
        Path work = Path.of("target", "federation3").toAbsolutePath();
        a = new CenterProcess("a", 38100, work);
        b = new CenterProcess("b", 38200, work);
        c = new CenterProcess("c", 38300, work);
        a.trust(b);
        a.trust(c);
        b.trust(a);
        c.trust(a);
        // each its own Crane controller and node on this machine; 16 cores, more than the jobs in flight
        b.craneCluster("b1", 38211, 16);
        c.craneCluster("c1", 38311, 16);
        unixUser(LOCAL_USER);
        workDir = Files.createDirectories(work.resolve("jobs"));
        chown(workDir, LOCAL_USER);
        a.config("org.scow.cluster-fedb", Map.of("id", "fedb", "displayName", "B's b1, from A", "driver", "remote",
                "driver.peer", "b", "driver.cluster", "b1"));
        a.config("org.scow.cluster-fedc", Map.of("id", "fedc", "displayName", "C's c1, from A", "driver", "remote",
                "driver.peer", "c", "driver.cluster", "c1"));
        for (CenterProcess p : List.of(a, b, c)) {
            // settlement passes run when the test says, not under it
            p.config("org.scow.federation", Map.of("centerId", p.id, "centerName", "Center " + p.id, "url", p.url(),
                    "probeIntervalSeconds", "2", "settleIntervalSeconds", "3600"));
        }
        b.start(PASSWORD, "scow-federation");
        c.start(PASSWORD, "scow-federation");
        a.start(PASSWORD, "scow-federation", "scow-scheduler-remote");
        apiA = new Api(a.url());
        apiB = new Api(b.url());
        apiC = new Api(c.url());
        Api.await("B signs in its admin", BOOT, () -> b.alive() && apiB.login("admin", PASSWORD));
        Api.await("C signs in its admin", BOOT, () -> c.alive() && apiC.login("admin", PASSWORD));
        Api.await("A signs in its admin", BOOT, () -> a.alive() && apiA.login("admin", PASSWORD));
        Api.await("b1 online", BOOT, () -> apiB.get("/api/v1/clusters/b1").json().path("online").asBoolean());
        Api.await("c1 online", BOOT, () -> apiC.get("/api/v1/clusters/c1").json().path("online").asBoolean());
        grant(apiB, "b1", "fa");
        grant(apiC, "c1", "fc");
        price(apiB, "b1", "2.0");
        price(apiC, "c1", "1.0");
        Api.await("fedb online at A", BOOT, () -> apiA.get("/api/v1/clusters/fedb").json().path("online")
                .asBoolean());
        Api.await("fedc online at A", BOOT, () -> apiA.get("/api/v1/clusters/fedc").json().path("online")
                .asBoolean());
        Api.Reply user = apiA.post("/api/v1/management/users", Map.of("userId", "alice", "name", "Alice",
                "tenant", "default"));
        assertTrue(user.toString(), user.status() == 201 || user.status() == 409);
        Api.Reply account = apiA.post("/api/v1/management/accounts", Map.of("name", "physics",
                "tenant", "default", "owner", "alice"));
        assertTrue(account.toString(), account.status() == 201 || account.status() == 409);
        assertEquals(200, apiA.post("/api/v1/billing/accounts/physics/payments", Map.of("amount", "1000.00",
                "method", "cash")).status());
        Api.await("physics usable at B", Duration.ofMinutes(2), () -> !apiB
                .get("/api/v1/clusters/b1/accounts/fa-physics/block").json().path("blocked").asBoolean(true));
        Api.await("physics usable at C", Duration.ofMinutes(2), () -> !apiC
                .get("/api/v1/clusters/c1/accounts/fc-physics/block").json().path("blocked").asBoolean(true));
    }

    private static void grant(Api at, String cluster, String prefix) throws Exception {
        // B and C both run alice's jobs as the same Unix user of this machine: their jobs share one working
        // directory, where B's and C's job 5 write the same Crane-5.out
        Map<String, Object> g = Map.of("peer", "a", "cluster", cluster, "peerAccount", "physics",
                "localAccount", prefix + "-physics", "users", Map.of("alice", LOCAL_USER),
                "creditLimit", "1000");
        // a boot-time refresh may restart the federation bundle once more: wait for the grant, not for a time
        Api.await("grant at " + cluster, Duration.ofMinutes(2), () -> {
            Api.Reply r = at.post("/api/v1/federation/grants", g);
            if (r.status() != 201 && r.status() != 404) {
                throw new AssertionError("grant " + g + ": " + r);
            }
            return r.status() == 201;
        });
    }

    private static void unixUser(String name) throws Exception {
        if (new ProcessBuilder("id", name).start().waitFor() != 0) {
            int rc = new ProcessBuilder("useradd", "--create-home", name).inheritIO().start().waitFor();
            assertEquals("useradd " + name + " (the itests run as root)", 0, rc);
        }
    }

    private static void chown(Path dir, String user) throws Exception {
        int rc = new ProcessBuilder("chown", "-R", user, dir.toString()).inheritIO().start().waitFor();
        assertEquals("chown " + dir, 0, rc);
    }

    private static void price(Api at, String cluster, String price) throws Exception {
        Api.Reply r = at.post("/api/v1/billing/prices", Map.of("cluster", cluster, "partition", "debug",
                "price", price, "amount", "CPUS"));
        assertEquals(r.toString(), 201, r.status());
    }

    @AfterClass
    public static void stopCenters() throws InterruptedException {
        for (CenterProcess p : new CenterProcess[] {a, b, c}) {
            if (p != null) {
                p.stop();
            }
        }
    }

    private static Map<String, Object> job(String name, String script) {
        Map<String, Object> j = new HashMap<>(Map.of("user", "alice", "name", name, "account", "physics",
                "coresPerNode", 1, "timeLimitMinutes", 60, "script", "#!/bin/bash\n" + script + "\n",
                "workingDirectory", workDir.toString()));
        return j;
    }

    /** A routed job: its federation id, its center and its id there. */
    private record Routed(String fid, String center, String jobId) {
    }

    private static Routed submit(Map<String, Object> job) throws Exception {
        Api.Reply r = apiA.post("/api/v1/federation/jobs", job);
        assertEquals(r.toString(), 201, r.status());
        return new Routed(r.json().path("federationJobId").asText(), r.json().path("center").asText(),
                r.json().path("jobId").asText());
    }

    @Test
    public void step1RouteBlockCrashRestartAndSettleToTheCent() throws Exception {
        long started = System.nanoTime();
        // 1. 100 jobs, each where the policy must send it
        Map<String, List<String>> ranAt = new HashMap<>(Map.of("b", new ArrayList<>(), "c", new ArrayList<>()));
        List<Routed> all = new ArrayList<>();
        List<Long> decisionMicros = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            // 2 s each: long enough to cost something at a 1-second resolution
            Map<String, Object> j = job("routed-" + i, "sleep 2");
            String expected;
            String because;
            switch (i % 3) {
                case 0 -> {
                    j.put("dataCenter", "b");
                    expected = "b";
                    because = "input data here";
                }
                case 1 -> {
                    j.put("minutesPerPriceUnit", 10);
                    expected = "c"; // 1 CPU-hour: C asks 1.0, B 2.0 under their own tables
                    because = "(c's own table)";
                }
                default -> {
                    j.put("preferredCenters", List.of("c", "b"));
                    expected = "c";
                    because = "preference #1";
                }
            }
            Api.Reply r = apiA.post("/api/v1/federation/jobs", j);
            assertEquals(r.toString(), 201, r.status());
            assertEquals("job " + i + ": " + r.json().path("decision"), expected, r.json().path("center").asText());
            assertTrue(r.json().at("/decision/chosen/why").asText(),
                    r.json().at("/decision/chosen/why").asText().contains(because));
            decisionMicros.add(r.json().at("/decision/decisionMicros").asLong());
            Routed routed = new Routed(r.json().path("federationJobId").asText(), expected,
                    r.json().path("jobId").asText());
            all.add(routed);
            ranAt.get(expected).add(routed.jobId());
            // the next decision sees an empty queue: a job still pending would (rightly) push the estimated start
            Api.await(routed.fid() + " leaves the queue", Duration.ofSeconds(60), () -> !"PENDING".equals(apiA
                    .get("/api/v1/federation/jobs/" + routed.fid()).json().at("/job/state").asText()));
        }
        for (Routed r : all) {
            Api.await(r.fid() + " completes", Duration.ofSeconds(60), () -> "COMPLETED".equals(apiA
                    .get("/api/v1/federation/jobs/" + r.fid()).json().at("/job/state").asText()));
        }
        decisionMicros.sort(null);
        System.out.printf("FIGURE routing decision time, 3 centers (A routing over B's and C's clusters, quotes "
                + "included), n=100: median %d us, p90 %d us%n", decisionMicros.get(50), decisionMicros.get(90));

        // 2. a block at home holds at B
        assertEquals(200, apiA.put("/api/v1/clusters/fedb/accounts/physics/block", Map.of()).status());
        assertTrue(apiB.get("/api/v1/clusters/b1/accounts/fa-physics/block").json().path("blocked").asBoolean());
        Map<String, Object> toB = job("blocked", "true");
        toB.put("dataCenter", "b");
        Api.Reply refused = apiA.post("/api/v1/federation/jobs", toB);
        assertTrue("B refuses the blocked account's job: " + refused, refused.status() == 422
                || refused.status() == 403);
        assertEquals(200, apiA.delete("/api/v1/clusters/fedb/accounts/physics/block").status());
        assertTrue(!apiB.get("/api/v1/clusters/b1/accounts/fa-physics/block").json().path("blocked").asBoolean());
        Routed afterUnblock = submit(toB);
        assertEquals("b", afterUnblock.center());
        ranAt.get("b").add(afterUnblock.jobId());

        // 3. C dies with jobs running; they are reported unreachable and new work goes to B
        Api.Reply charged = apiC.post("/api/v1/federation/settlement/run", null);
        assertEquals(charged.toString(), 200, charged.status());
        int chargedAtC = charged.json().at("/a/charged").asInt();
        assertEquals("C charged every job it finished for A", ranAt.get("c").size(), chargedAtC);
        List<Routed> doomed = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Map<String, Object> j = job("doomed-" + i, "sleep 600");
            j.put("preferredCenters", List.of("c"));
            Routed r = submit(j);
            assertEquals("c", r.center());
            doomed.add(r);
        }
        for (Routed r : doomed) {
            Api.await(r.fid() + " runs at C", Duration.ofSeconds(60), () -> "RUNNING".equals(apiA
                    .get("/api/v1/federation/jobs/" + r.fid()).json().at("/job/state").asText()));
        }
        c.kill();
        for (Routed r : doomed) {
            Api.await(r.fid() + " reported unreachable", Duration.ofSeconds(60), () -> {
                Api.Reply gone = apiA.get("/api/v1/federation/jobs/" + r.fid());
                return gone.status() == 503 && (gone.body().contains("'c'") || gone.body().contains("fedc"));
            });
        }
        Map<String, Object> preferC = job("rerouted", "true");
        preferC.put("preferredCenters", List.of("c", "b"));
        Api.Reply rerouted = apiA.post("/api/v1/federation/jobs", preferC);
        assertEquals(rerouted.toString(), 201, rerouted.status());
        assertEquals("with C gone, work preferring C goes to B: " + rerouted, "b",
                rerouted.json().path("center").asText());
        for (JsonNode o : rerouted.json().at("/decision/options")) {
            assertTrue("C is no option while dead: " + o, !o.path("center").asText().equals("c"));
        }
        Routed r2 = new Routed(rerouted.json().path("federationJobId").asText(), "b",
                rerouted.json().path("jobId").asText());
        ranAt.get("b").add(r2.jobId());
        for (Routed r : List.of(afterUnblock, r2)) {
            Api.await(r.fid() + " completes", Duration.ofSeconds(60), () -> "COMPLETED".equals(apiA
                    .get("/api/v1/federation/jobs/" + r.fid()).json().at("/job/state").asText()));
        }

        // 4. C comes back (ledger on disk); B charges; A restarts in the middle of its settlement pass
        c.launch(PASSWORD);
        Api.await("C back", BOOT, () -> c.alive() && apiC.login("admin", PASSWORD));
        long chargeStarted = System.nanoTime();
        Api.Reply atB = apiB.post("/api/v1/federation/settlement/run", null);
        assertEquals(atB.toString(), 200, atB.status());
        System.out.printf("FIGURE settlement at the running center: B priced and recorded %d jobs of A in %.0f ms "
                + "(one pass: read the cluster's finished jobs, price, record)%n", atB.json().at("/a/charged").asInt(),
                (System.nanoTime() - chargeStarted) / 1e6);
        assertEquals("B charged every job it ran for A", ranAt.get("b").size(), atB.json().at("/a/charged")
                .asInt());
        BigDecimal before = balance();
        CompletableFuture<HttpResponse<String>> interrupted = Api.HTTP.sendAsync(HttpRequest.newBuilder(
                URI.create(a.url() + "/api/v1/federation/settlement/run")).timeout(Duration.ofSeconds(60))
                .header("Cookie", apiA.cookie()).header("X-CSRF-Token", apiA.csrf())
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        a.stop();
        interrupted.handle((r, e) -> null).join(); // answered or cut off: either way the pass is over
        a.launch(PASSWORD);
        Api.await("A back", BOOT, () -> a.alive() && apiA.login("admin", PASSWORD));
        long[] feed = new long[2]; // charges mirrored by the pass that completed, its duration in ns
        Api.await("A mirrors both peers' feeds after its restart", Duration.ofMinutes(2), () -> {
            long t = System.nanoTime();
            Api.Reply run = apiA.post("/api/v1/federation/settlement/run", null);
            feed[0] = run.json() == null ? 0 : run.json().at("/b/mirrored").asInt() + run.json().at("/c/mirrored")
                    .asInt();
            feed[1] = System.nanoTime() - t;
            return run.status() == 200 && run.json().at("/b/mirrorError").isMissingNode()
                    && run.json().at("/c/mirrorError").isMissingNode();
        });
        if (feed[0] > 0) {
            System.out.printf("FIGURE settlement feed, A mirroring B's and C's signed feeds after its restart: %d "
                    + "charges in %.0f ms, %.0f jobs/s (charged at home, recorded)%n", feed[0], feed[1] / 1e6,
                    feed[0] / (feed[1] / 1e9));
        }
        Api.Reply again = apiA.post("/api/v1/federation/settlement/run", null);
        assertEquals("nothing is mirrored twice: " + again, 0, again.json().at("/b/mirrored").asInt()
                + again.json().at("/c/mirrored").asInt());

        // 5. statements agree to the cent; every job once; A charged exactly what it mirrored
        String period = "from=" + Instant.now().minusSeconds(86_400) + "&to=" + Instant.now().plusSeconds(3600);
        BigDecimal mirrored = BigDecimal.ZERO;
        for (Object[] peer : new Object[][] {{"b", apiB}, {"c", apiC}}) {
            String id = (String) peer[0];
            JsonNode theirs = ((Api) peer[1]).get("/api/v1/federation/settlement/statement?peer=a&" + period).json();
            JsonNode ours = apiA.get("/api/v1/federation/settlement/statement?peer=" + id + "&" + period).json();
            BigDecimal owed = new BigDecimal(theirs.path("owedByPeer").asText());
            assertEquals(id + "'s and A's statements agree to the cent: " + theirs + " / " + ours, 0,
                    owed.compareTo(new BigDecimal(ours.path("owedToPeer").asText())));
            assertTrue("jobs cost money at " + id + ": " + theirs, owed.signum() > 0);
            Set<String> seen = new HashSet<>();
            for (JsonNode e : ours.path("entries")) {
                assertTrue("charged once: " + e, seen.add(e.path("cluster").asText() + " " + e.path("jobId")
                        .asText()));
                assertTrue("charged at home: " + e, e.path("note").isMissingNode() || e.path("note").isNull());
            }
            assertEquals("every job " + id + " finished for A is in A's statement once",
                    new HashSet<>(ranAt.get(id)), jobIds(ours));
            assertEquals(jobIds(theirs), jobIds(ours));
            mirrored = mirrored.add(owed);
        }
        assertEquals("A charged its account exactly what it mirrored: before the last pass " + before
                + ", now " + balance() + ", mirrored " + mirrored, 0,
                new BigDecimal("1000.00").subtract(balance()).compareTo(mirrored));
        System.out.printf("FIGURE three-center scenario: %d jobs settled (B %d, C %d) in %.0f s wall time%n",
                ranAt.get("b").size() + ranAt.get("c").size(), ranAt.get("b").size(), ranAt.get("c").size(),
                (System.nanoTime() - started) / 1e9);
    }

    /**
     * The portal at A in Chromium (Playwright, e2e/federation.spec.ts): alice submits to the federation and sees where
     * the job went and why; A's admin reads the statement with B and exports it as CSV.
     */
    @Test
    public void step2PortalWalkOfAFederatedSubmission() throws Exception {
        Api.await("fedb and fedc online at A", BOOT, () -> apiA.get("/api/v1/clusters/fedb").json().path("online")
                .asBoolean() && apiA.get("/api/v1/clusters/fedc").json().path("online").asBoolean());
        java.io.File web = new java.io.File(System.getProperty("scow.portal.web"));
        java.io.File artifacts = new java.io.File(System.getProperty("scow.e2e.artifacts"), "federation");
        assertTrue(artifacts.mkdirs() || artifacts.isDirectory());
        java.io.File log = new java.io.File(artifacts, "e2e.log");
        ProcessBuilder pb = new ProcessBuilder("npm", "run", "e2e").directory(web).redirectErrorStream(true)
                .redirectOutput(log);
        pb.environment().put("BASE_URL", a.url());
        pb.environment().put("SCOW_ADMIN_USER", "admin");
        pb.environment().put("SCOW_ADMIN_PASSWORD", PASSWORD);
        pb.environment().put("E2E_ARTIFACTS", artifacts.getAbsolutePath());
        pb.environment().put("E2E_FEDERATION", "1");
        pb.environment().put("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        Process p = pb.start();
        if (!p.waitFor(10, java.util.concurrent.TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("the federation walk did not end within 10 minutes; see " + log);
        }
        String out = java.nio.file.Files.readString(log.toPath());
        System.out.println(out);
        assertEquals("federation walk failed (log " + log + "):\n" + out, 0, p.exitValue());
    }

    private static Set<String> jobIds(JsonNode statement) {
        Set<String> ids = new HashSet<>();
        statement.path("entries").forEach(e -> ids.add(e.path("jobId").asText()));
        return ids;
    }

    private static BigDecimal balance() throws Exception {
        return new BigDecimal(apiA.get("/api/v1/billing/accounts/physics/balance").json().path("balance").asText());
    }
}
