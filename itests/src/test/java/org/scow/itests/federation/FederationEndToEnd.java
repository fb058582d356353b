package org.scow.itests.federation;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.Test;
import org.scow.federation.SignedRequests;

/** Center A using center B's cluster through its own platform, and B defending itself. Run by {@link FederationSuiteIT}. */
public class FederationEndToEnd {
    private static Api a() {
        return FederationSuiteIT.apiA;
    }

    private static Api b() {
        return FederationSuiteIT.apiB;
    }

    private static Map<String, Object> job(String user, String account, String script) {
        return Map.of("user", user, "name", "fed-e2e", "account", account, "partition", "debug", "nodes", 1,
                "coresPerNode", 1, "gpusPerNode", 0, "timeLimitMinutes", 10, "script", script,
                "workingDirectory", "/tmp");
    }

    @Test
    public void eachCenterShowsItsIdentityAndSeesItsPeerReachable() throws Exception {
        JsonNode center = a().get("/api/v1/federation/center").json();
        assertEquals("a", center.path("id").asText());
        assertEquals(FederationSuiteIT.a.publicKey(), center.path("publicKey").asText());
        Api.await("A sees B reachable", Duration.ofSeconds(30), () -> a().get("/api/v1/federation/peers").json()
                .path(0).path("reachability").path("reachable").asBoolean());
        Api.await("B sees A reachable", Duration.ofSeconds(30), () -> b().get("/api/v1/federation/peers").json()
                .path(0).path("reachability").path("reachable").asBoolean());
    }

    @Test
    public void financeStaffSeeThePeersTheySettleWithButNotTheGrants() throws Exception {
        String password = "Fed-Finance-1234";
        Api.Reply r = a().post("/api/v1/management/users", Map.of("userId", "fedfin", "name", "Federation finance",
                "tenant", "default"));
        assertTrue(r.toString(), r.status() == 201 || r.status() == 409);
        r = a().put("/api/v1/management/users/fedfin/roles/PLATFORM_FINANCE", Map.of());
        assertEquals(r.toString(), 200, r.status());
        r = a().post("/api/v1/auth/users", Map.of("user", "fedfin", "password", password));
        assertTrue(r.toString(), r.status() == 201 || r.status() == 409);
        Api finance = new Api(FederationSuiteIT.a.url());
        assertTrue("fedfin signs in", finance.login("fedfin", password));
        Api.Reply peers = finance.get("/api/v1/federation/peers");
        assertEquals(peers.toString(), 200, peers.status());
        assertEquals("b", peers.json().path(0).path("id").asText());
        assertEquals(200, finance.get("/api/v1/federation/settlement/statement?peer=b&from=2026-01-01T00:00:00Z"
                + "&to=2030-01-01T00:00:00Z").status());
        assertEquals("grants stay with the platform admin", 403, finance.get("/api/v1/federation/grants").status());
    }

    @Test
    public void aJobSubmittedAtARunsAtBUnderTheGrantAndIsAuditedOnBothSides() throws Exception {
        ensureProj();
        Api.Reply submitted = a().post("/api/v1/clusters/fedb/jobs", job("alice", "proj", "echo federated"));
        assertEquals(submitted.toString(), 201, submitted.status());
        String id = submitted.json().path("jobId").asText();
        Api.await("the job completes", Duration.ofSeconds(60), () -> "COMPLETED".equals(
                a().get("/api/v1/clusters/fedb/jobs/" + id).json().path("state").asText()));
        JsonNode atA = a().get("/api/v1/clusters/fedb/jobs/" + id).json();
        assertEquals("alice", atA.path("user").asText());
        assertEquals("proj", atA.path("account").asText());
        JsonNode atB = b().get("/api/v1/clusters/b1/jobs/" + id).json();
        assertEquals("B runs it as the grant's local user", "fa-alice", atB.path("user").asText());
        assertEquals("fa-proj", atB.path("account").asText());
        JsonNode listed = a().get("/api/v1/clusters/fedb/jobs?account=proj").json();
        assertTrue(listed.toString(), listed.path("jobs").toString().contains("\"" + id + "\""));

        JsonNode inAtB = b().get("/api/v1/federation/audit?peer=a&limit=200").json();
        assertTrue("B recorded A's submission as alice: " + inAtB, contains(inAtB, "IN", "alice", "POST",
                "/api/v1/federation/peer/clusters/b1/jobs", 201));
        JsonNode outAtA = a().get("/api/v1/federation/audit?peer=b&limit=200").json();
        assertTrue("A recorded its call: " + outAtA, contains(outAtA, "OUT", "alice", "POST",
                "/api/v1/federation/peer/clusters/b1/jobs", 201));
    }

    @Test
    public void blockingAtHomeBlocksAtBAndBsOwnBlockHolds() throws Exception {
        ensureProj();
        assertEquals(200, a().put("/api/v1/clusters/fedb/accounts/proj/block", Map.of()).status());
        assertTrue(b().get("/api/v1/clusters/b1/accounts/fa-proj/block").json().path("blocked").asBoolean());
        Api.Reply refused = a().post("/api/v1/clusters/fedb/jobs", job("alice", "proj", "echo no"));
        assertEquals(refused.toString(), 422, refused.status());
        assertEquals(200, a().delete("/api/v1/clusters/fedb/accounts/proj/block").status());
        assertTrue(!b().get("/api/v1/clusters/b1/accounts/fa-proj/block").json().path("blocked").asBoolean());

        long grant = grantId("proj");
        assertEquals(200, b().put("/api/v1/federation/grants/" + grant + "/block", null).status());
        try {
            Api.Reply blocked = a().post("/api/v1/clusters/fedb/jobs", job("alice", "proj", "echo no"));
            assertEquals("B refuses jobs under its blocked grant: " + blocked, 422, blocked.status());
            a().put("/api/v1/clusters/fedb/accounts/proj/block", Map.of());
            Api.Reply unblock = a().delete("/api/v1/clusters/fedb/accounts/proj/block");
            assertEquals("A cannot lift B's block: " + unblock, 403, unblock.status());
        } finally {
            b().delete("/api/v1/federation/grants/" + grant + "/block");
            a().delete("/api/v1/clusters/fedb/accounts/proj/block");
        }
    }

    /** A job submitted to the federation goes where the policy says, with the reasons, and is watched and cancelled at home. */
    @Test
    public void theFederationRoutesByPolicyAndTheHomeCenterWatchesAndCancels() throws Exception {
        ensureProj();
        Map<String, Object> toB = new java.util.HashMap<>(Map.of("user", "alice", "name", "routed",
                "account", "proj", "coresPerNode", 1, "timeLimitMinutes", 10, "script", "sleep 300",
                "workingDirectory", "/tmp", "preferredCenters", List.of("b", "a")));
        Api.Reply routed = a().post("/api/v1/federation/jobs", toB);
        assertEquals(routed.toString(), 201, routed.status());
        assertEquals("fedb", routed.json().path("cluster").asText());
        assertEquals("b", routed.json().path("center").asText());
        assertTrue(routed.toString(), routed.json().at("/decision/chosen/why").asText().contains("preference #1"));
        String fid = routed.json().path("federationJobId").asText();
        assertTrue(fid, fid.startsWith("a:fedb:"));
        Api.await("the routed job runs at B", Duration.ofSeconds(60), () -> "RUNNING".equals(
                a().get("/api/v1/federation/jobs/" + fid).json().at("/job/state").asText()));
        assertEquals(204, a().delete("/api/v1/federation/jobs/" + fid).status());
        String jobId = routed.json().path("jobId").asText();
        Api.await("cancelled at B", Duration.ofSeconds(60), () -> "CANCELLED".equals(
                b().get("/api/v1/clusters/b1/jobs/" + jobId).json().path("state").asText()));

        Map<String, Object> dataAtA = new java.util.HashMap<>(toB);
        dataAtA.put("preferredCenters", List.of());
        dataAtA.put("dataCenter", "a");
        Api.Reply dry = a().post("/api/v1/federation/jobs/route", dataAtA);
        assertEquals(dry.toString(), 200, dry.status());
        assertEquals("input data at A decides", "a1", dry.json().at("/chosen/cluster").asText());
        System.out.println("FIGURE routing decision time over A's a1 and B's b1 (remote): "
                + dry.json().path("decisionMicros").asLong() + " us");
    }

    /**
     * A's management creates an account on every cluster, B's included; A's billing blocks it while its balance is
     * not above the threshold and lifts the block after a payment: both decisions reach B's cluster.
     */
    @Test
    public void moneyBlockingAtHomeReachesB() throws Exception {
        Api.Reply user = a().post("/api/v1/management/users", Map.of("userId", "alice", "name", "Alice",
                "tenant", "default"));
        assertTrue(user.toString(), user.status() == 201 || user.status() == 409);
        Api.Reply account = a().post("/api/v1/management/accounts", Map.of("name", "physics", "tenant", "default",
                "owner", "alice"));
        assertEquals(account.toString(), 201, account.status());
        Api.await("physics blocked at B for lack of money at A", Duration.ofSeconds(120), () -> b()
                .get("/api/v1/clusters/b1/accounts/fa-physics/block").json().path("blocked").asBoolean());
        assertEquals(200, a().post("/api/v1/billing/accounts/physics/payments", Map.of("amount", "100.00",
                "method", "cash")).status());
        Api.await("physics unblocked at B after the payment at A", Duration.ofSeconds(120), () -> !b()
                .get("/api/v1/clusters/b1/accounts/fa-physics/block").json().path("blocked").asBoolean(true));
    }

    /**
     * B prices A's job with B's own table; A mirrors B's feed once, charges its own account, and both statements
     * agree to the cent; the CSV export lists the job.
     */
    @Test
    public void settlementAgreesOnBothSidesAndChargesTheHomeAccountOnce() throws Exception {
        Api.Reply user = a().post("/api/v1/management/users", Map.of("userId", "alice", "name", "Alice",
                "tenant", "default"));
        assertTrue(user.toString(), user.status() == 201 || user.status() == 409);
        Api.Reply account = a().post("/api/v1/management/accounts", Map.of("name", "physics", "tenant", "default",
                "owner", "alice"));
        assertTrue(account.toString(), account.status() == 201 || account.status() == 409);
        assertEquals(200, a().post("/api/v1/billing/accounts/physics/payments", Map.of("amount", "100.00",
                "method", "cash")).status());
        Api.await("physics usable at B", Duration.ofSeconds(120), () -> !b()
                .get("/api/v1/clusters/b1/accounts/fa-physics/block").json().path("blocked").asBoolean(true));
        Api.Reply price = b().post("/api/v1/billing/prices", Map.of("cluster", "b1", "partition", "debug",
                "price", "1.5", "amount", "CPUS"));
        assertTrue(price.toString(), price.status() == 201 || price.status() == 409);

        Api.Reply job = a().post("/api/v1/clusters/fedb/jobs", Map.of("user", "alice", "name", "settled",
                "account", "physics", "partition", "debug", "nodes", 1, "coresPerNode", 2, "gpusPerNode", 0,
                "timeLimitMinutes", 10, "script", "sleep 2", "workingDirectory", "/tmp"));
        assertEquals(job.toString(), 201, job.status());
        String id = job.json().path("jobId").asText();
        Api.await("the job completes at B", Duration.ofSeconds(60), () -> "COMPLETED".equals(
                a().get("/api/v1/clusters/fedb/jobs/" + id).json().path("state").asText()));
        java.math.BigDecimal before = balance();

        Api.Reply atB = b().post("/api/v1/federation/settlement/run", null);
        assertEquals(atB.toString(), 200, atB.status());
        Api.Reply atA = a().post("/api/v1/federation/settlement/run", null);
        assertEquals(atA.toString(), 200, atA.status());
        assertTrue(atA.toString(), atA.json().at("/b/mirrored").asInt() >= 1);
        Api.Reply again = a().post("/api/v1/federation/settlement/run", null);
        assertEquals("nothing is mirrored twice: " + again, 0, again.json().at("/b/mirrored").asInt());

        String period = "from=" + Instant.now().minusSeconds(86_400) + "&to=" + Instant.now().plusSeconds(3600);
        JsonNode sb = b().get("/api/v1/federation/settlement/statement?peer=a&" + period).json();
        JsonNode sa = a().get("/api/v1/federation/settlement/statement?peer=b&" + period).json();
        java.math.BigDecimal owedByA = new java.math.BigDecimal(sb.path("owedByPeer").asText());
        assertEquals("B's and A's statements agree to the cent: " + sb + " / " + sa, 0,
                owedByA.compareTo(new java.math.BigDecimal(sa.path("owedToPeer").asText())));
        assertEquals(sb.path("jobsOwedByPeer").asInt(), sa.path("jobsOwedToPeer").asInt());
        java.math.BigDecimal jobAmount = null;
        for (JsonNode e : sa.path("entries")) {
            if (e.path("jobId").asText().equals(id)) {
                jobAmount = new java.math.BigDecimal(e.path("amount").asText());
                assertEquals("physics", e.path("account").asText());
                assertTrue(e.toString(), e.path("note").isMissingNode() || e.path("note").isNull());
            }
        }
        assertTrue("the job is priced by B's table: " + sa, jobAmount != null && jobAmount.signum() > 0);
        assertEquals("A charged its account exactly the mirrored amount", 0,
                before.subtract(balance()).compareTo(jobAmount));

        Api.Reply csv = a().get("/api/v1/federation/settlement/statement?peer=b&format=csv&" + period);
        assertEquals(200, csv.status());
        assertTrue(csv.body(), csv.body().contains("OWED_TO_PEER") && csv.body().contains("," + id + ","));
    }

    private static java.math.BigDecimal balance() throws Exception {
        return new java.math.BigDecimal(a().get("/api/v1/billing/accounts/physics/balance").json().path("balance")
                .asText());
    }

    @Test
    public void outsideItsGrantAPeerSeesNothingAndCanTouchNothing() throws Exception {
        Api.Reply own = b().post("/api/v1/clusters/b1/accounts", Map.of("name", "b-own", "owner", "carol"));
        assertTrue(own.toString(), own.status() == 201 || own.status() == 409);
        assertEquals(404, a().put("/api/v1/clusters/fedb/accounts/b-own/block", Map.of()).status());
        assertTrue(!b().get("/api/v1/clusters/b1/accounts/b-own/block").json().path("blocked").asBoolean());
        assertEquals(403, a().post("/api/v1/clusters/fedb/accounts", Map.of("name", "other", "owner", "alice"))
                .status());
        Api.Reply mallory = a().post("/api/v1/clusters/fedb/jobs", job("mallory", "proj", "echo"));
        assertEquals(mallory.toString(), 404, mallory.status());
        JsonNode accounts = a().get("/api/v1/clusters/fedb/accounts").json();
        assertTrue(accounts.toString(), !accounts.toString().contains("b-own"));
    }

    /**
     * B lends A at most the grant's credit limit (ct*: 100): a job that could cost more at its whole time limit
     * under B's own prices is refused with the limit named; a small one runs.
     */
    @Test
    public void bRefusesJobsBeyondTheGrantsCreditLimit() throws Exception {
        Api.Reply account = a().post("/api/v1/clusters/fedb/accounts", Map.of("name", "ct-credit", "owner",
                "alice"));
        assertTrue(account.toString(), account.status() == 201 || account.status() == 409);
        Api.Reply price = b().post("/api/v1/billing/prices", Map.of("cluster", "b1", "partition", "debug",
                "price", "1.5", "amount", "CPUS"));
        assertTrue(price.toString(), price.status() == 201 || price.status() == 409);

        Map<String, Object> big = new java.util.HashMap<>(job("alice", "ct-credit", "echo big"));
        big.put("timeLimitMinutes", 6000); // 100 CPU-hours at 1.5 a CPU-hour: 150
        big.put("partition", "debug");
        Api.Reply refused = a().post("/api/v1/clusters/fedb/jobs", big);
        assertEquals(refused.toString(), 422, refused.status());
        assertTrue(refused.body(), refused.body().contains("credit limit of 100 ")
                && refused.body().contains("'ct-credit'"));
        Map<String, Object> small = new java.util.HashMap<>(job("alice", "ct-credit", "echo small"));
        small.put("timeLimitMinutes", 1);
        Api.Reply ran = a().post("/api/v1/clusters/fedb/jobs", small);
        assertEquals(ran.toString(), 201, ran.status());
    }

    /** B signs its answers to A over A's nonce; A's router prices B's cluster with B's own quote. */
    @Test
    public void bSignsItsAnswersAndQuotesItsOwnPrices() throws Exception {
        String path = "/api/v1/federation/peer/clusters/b1/partitions";
        Map<String, String> call = signed(FederationSuiteIT.a.keys, "a", "GET", path);
        HttpResponse<String> answer = raw("GET", path, call);
        assertEquals(200, answer.statusCode());
        assertEquals("b", answer.headers().firstValue(SignedRequests.RESPONDER).orElse(null));
        java.security.PublicKey bKey = FederationSuiteIT.b.keys.getPublic();
        String signature = answer.headers().firstValue(SignedRequests.SIGNATURE).orElseThrow();
        assertTrue("B's signature over A's nonce and the body verifies", SignedRequests.verifies(bKey,
                SignedRequests.responseCanonical(200, "b", call.get(SignedRequests.NONCE),
                        SignedRequests.utf8(answer.body())), signature));
        assertTrue("and binds the answer to that call", !SignedRequests.verifies(bKey,
                SignedRequests.responseCanonical(200, "b", "0".repeat(32), SignedRequests.utf8(answer.body())),
                signature));

        Api.Reply price = b().post("/api/v1/billing/prices", Map.of("cluster", "b1", "partition", "debug",
                "price", "1.5", "amount", "CPUS"));
        assertTrue(price.toString(), price.status() == 201 || price.status() == 409);
        Api.Reply dry = a().post("/api/v1/federation/jobs/route", Map.of("user", "alice", "account", "proj",
                "coresPerNode", 1, "timeLimitMinutes", 60, "minutesPerPriceUnit", 1));
        assertEquals(dry.toString(), 200, dry.status());
        boolean priced = false;
        for (JsonNode o : dry.json().path("options")) {
            if (o.path("cluster").asText().equals("fedb") && o.path("partition").asText().equals("debug")) {
                priced = o.path("why").asText().contains("(b's own table)") && o.path("estimatedPrice").isNumber();
            }
        }
        assertTrue("B's cluster is priced by B: " + dry, priced);
    }

    @Test
    public void unsignedBadlySignedReplayedAndStrangerCallsAre401() throws Exception {
        String path = "/api/v1/federation/peer/clusters/b1/partitions";
        assertEquals(401, raw("GET", path, Map.of()).statusCode());
        Map<String, String> good = signed(FederationSuiteIT.a.keys, "a", "GET", path);
        assertEquals(200, raw("GET", path, good).statusCode());
        assertEquals("a replay is refused", 401, raw("GET", path, good).statusCode());
        Map<String, String> other = signed(FederationSuiteIT.a.keys, "a", "GET", path);
        assertEquals("signed for another path", 401, raw("GET", path + "?account=x&user=y", other).statusCode());
        KeyPair stranger = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        assertEquals(401, raw("GET", path, signed(stranger, "a", "GET", path)).statusCode());
        assertEquals(401, raw("GET", path, signed(stranger, "z", "GET", path)).statusCode());
        String notGranted = "/api/v1/federation/peer/clusters/nosuch/partitions";
        assertEquals(404, raw("GET", notGranted, signed(FederationSuiteIT.a.keys, "a", "GET", notGranted))
                .statusCode());
        JsonNode audit = b().get("/api/v1/federation/audit?limit=500").json();
        assertTrue("refusals are audited: " + audit, audit.toString().contains("replayed"));
    }

    /** Added latency of a remote-driver call, seen from A's REST API: partitions of a1 (local) and fedb (B's). */
    @Test
    public void remoteCallLatency() throws Exception {
        int n = 40;
        List<Long> local = new ArrayList<>();
        List<Long> remote = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            local.add(time("/api/v1/clusters/a1/partitions"));
            remote.add(time("/api/v1/clusters/fedb/partitions"));
        }
        Collections.sort(local);
        Collections.sort(remote);
        System.out.printf("FIGURE remote-driver latency via A's REST (partitions, n=%d): local median %.2f ms p90 "
                + "%.2f ms; remote median %.2f ms p90 %.2f ms; added median %.2f ms%n", n, local.get(n / 2) / 1e6,
                local.get(n * 9 / 10) / 1e6, remote.get(n / 2) / 1e6, remote.get(n * 9 / 10) / 1e6,
                (remote.get(n / 2) - local.get(n / 2)) / 1e6);
    }

    private static long time(String path) throws Exception {
        long t = System.nanoTime();
        Api.Reply r = a().get(path);
        long d = System.nanoTime() - t;
        assertEquals(r.toString(), 200, r.status());
        return d;
    }

    private static void ensureProj() throws Exception {
        Api.Reply r = a().post("/api/v1/clusters/fedb/accounts", Map.of("name", "proj", "owner", "alice"));
        assertTrue(r.toString(), r.status() == 201 || r.status() == 409);
    }

    private static long grantId(String peerAccount) throws Exception {
        for (JsonNode g : b().get("/api/v1/federation/grants?peer=a").json()) {
            if (g.path("peerAccount").asText().equals(peerAccount)) {
                return g.path("id").asLong();
            }
        }
        throw new AssertionError("no grant for " + peerAccount);
    }

    private static boolean contains(JsonNode audit, String direction, String actor, String method, String path,
                                    int status) {
        for (JsonNode e : audit) {
            if (e.path("direction").asText().equals(direction) && e.path("actor").asText().equals(actor)
                    && e.path("method").asText().equals(method) && e.path("path").asText().equals(path)
                    && e.path("status").asInt() == status) {
                return true;
            }
        }
        return false;
    }

    private static Map<String, String> signed(KeyPair keys, String center, String method, String path)
            throws Exception {
        String date = Instant.now().toString();
        byte[] n = new byte[16];
        ThreadLocalRandom.current().nextBytes(n);
        String nonce = HexFormat.of().formatHex(n);
        Signature s = Signature.getInstance("Ed25519");
        s.initSign(keys.getPrivate());
        s.update(SignedRequests.utf8(SignedRequests.canonical(method, path, center, "alice", date, nonce, null)));
        return Map.of(SignedRequests.CENTER, center, SignedRequests.USER, "alice", SignedRequests.DATE, date,
                SignedRequests.NONCE, nonce, SignedRequests.SIGNATURE, Base64.getEncoder().encodeToString(s.sign()));
    }

    private static HttpResponse<String> raw(String method, String path, Map<String, String> headers)
            throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(FederationSuiteIT.b.url() + path))
                .timeout(Duration.ofSeconds(30)).method(method, HttpRequest.BodyPublishers.noBody());
        headers.forEach(r::header);
        return Api.HTTP.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }
}
