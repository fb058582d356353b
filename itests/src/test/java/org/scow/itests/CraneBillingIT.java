package org.scow.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * Money against the distribution's real Crane cluster {@code local}: an account below its threshold cannot submit,
 * a payment lets it, a block lifted on the cluster behind the platform's back is restored by reconciliation, and a
 * finished job is charged once; then the reports of that money (statistics, CSV) and a job template of the user.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class CraneBillingIT extends PlatformTestSupport {
    private static final String C = "/api/v1/clusters/local";
    private static final String USER = "scowbill";
    private static final String ACCOUNT = "craneacct";
    private static final String JOB = """
            {"user":"%s","name":"paid","account":"%s","partition":"debug","nodes":1,"coresPerNode":1,
             "gpusPerNode":0,"timeLimitMinutes":5,"script":"sleep 2","workingDirectory":"/tmp"}"""
            .formatted(USER, ACCOUNT);

    @Configuration
    public Option[] config() {
        return new Option[] {platform()};
    }

    @Test
    public void moneyDecidesWhoMaySubmitOnCrane() throws Exception {
        awaitRest();
        ensureUnixUser(USER);
        await("local online", Duration.ofSeconds(60), CraneBillingIT::online);
        expect(201, post("/api/v1/management/users", "{\"userId\":\"" + USER + "\",\"tenant\":\"default\"}"));
        expect(201, post("/api/v1/management/accounts", "{\"name\":\"" + ACCOUNT + "\",\"tenant\":\"default\","
                + "\"owner\":\"" + USER + "\"}"));

        // balance 0 <= threshold 0: blocked on Crane, which refuses the job
        await("blocked on crane", Duration.ofSeconds(120), () -> blocked(true));
        Reply refused = post(C + "/jobs", JOB);
        assertEquals(refused.toString(), 422, refused.status());

        expect(201, post("/api/v1/billing/prices",
                "{\"cluster\":\"local\",\"partition\":\"debug\",\"price\":\"36\",\"amount\":\"CPUS\"}"));
        expect(200, post("/api/v1/billing/accounts/" + ACCOUNT + "/payments", "{\"amount\":\"50\",\"method\":\"cash\"}"));
        await("unblocked after the payment", Duration.ofSeconds(120), () -> blocked(false));

        Reply job = post(C + "/jobs", JOB);
        expect(201, job);
        String id = job.json().get("jobId").asText();
        await("job " + id + " completes", Duration.ofSeconds(90), () -> {
            try {
                return "COMPLETED".equals(get(C + "/jobs/" + id).json().get("state").asText());
            } catch (Exception e) {
                return false;
            }
        });
        await("job " + id + " charged", Duration.ofSeconds(60), () -> {
            try {
                post("/api/v1/billing/fetch?cluster=local", "");
                return balance().compareTo(new BigDecimal("50")) < 0;
            } catch (Exception e) {
                return false;
            }
        });
        BigDecimal charged = balance();
        expect(200, post("/api/v1/billing/fetch?cluster=local", ""));
        assertEquals("a second fetch charges nothing", charged, balance());
        Reply charges = get("/api/v1/billing/charges?account=" + ACCOUNT);
        assertEquals(charges.toString(), 1, charges.json().size());
        assertEquals(id, charges.json().get(0).get("jobId").asText());

        // the threshold blocks again; an unblock made directly on Crane is repaired by reconciliation
        expect(200, put("/api/v1/billing/accounts/" + ACCOUNT + "/threshold", "{\"threshold\":\"1000\"}"));
        await("blocked by the threshold", Duration.ofSeconds(120), () -> blocked(true));
        expect(200, delete(C + "/accounts/" + ACCOUNT + "/block"));
        assertTrue(blocked(false));
        Reply sync = post("/api/v1/management/block-sync?cluster=local", "");
        expect(200, sync);
        assertTrue(sync.body(), sync.body().contains("BLOCK_ACCOUNT"));
        assertTrue("reconciliation restored the block", blocked(true));
        assertEquals(422, post(C + "/jobs", JOB).status());

        // the money shows up in the reports
        String range = "from=" + Instant.now().minus(Duration.ofDays(1)) + "&to=" + Instant.now().plusSeconds(60);
        Reply stats = get("/api/v1/billing/statistics?" + range + "&account=" + ACCOUNT);
        expect(200, stats);
        assertEquals(ACCOUNT, stats.json().get("topAccounts").get(0).get("account").asText());
        assertEquals(1, stats.json().get("topAccounts").get(0).get("jobs").asInt());
        Reply csv = get("/api/v1/billing/charges?format=csv&account=" + ACCOUNT);
        expect(200, csv);
        assertNull("not JSON", csv.json());
        String[] lines = csv.body().split("\r\n");
        assertEquals("id,targetType,target,account,user,amount,kind,cluster,jobId,comment,chargedAt", lines[0]);
        assertEquals(2, lines.length);
        assertTrue(lines[1], lines[1].contains("," + ACCOUNT + ",") && lines[1].contains(",JOB,local," + id + ","));
        Reply audit = get("/api/v1/management/audit?format=csv&target=" + ACCOUNT);
        expect(200, audit);
        assertTrue(audit.body(), audit.body().startsWith("id,occurredAt,actor,sourceIp,operation"));
        assertTrue(audit.body(), audit.body().contains(",PAY,"));
        assertEquals(400, get("/api/v1/billing/payments?format=xml").status());
    }

    @Test
    public void aUserKeepsTheirOwnJobTemplates() throws Exception {
        awaitRest();
        Reply created = post("/api/v1/job-templates", """
                {"name":"hello","cluster":"local","spec":{"name":"hello","account":"a1","partition":"debug",
                 "nodes":1,"coresPerNode":1,"script":"echo \\"hi, there\\"","workingDirectory":"/tmp"}}""");
        expect(201, created);
        long id = created.json().get("id").asLong();
        assertEquals("echo \"hi, there\"", created.json().get("spec").get("script").asText());
        expect(409, post("/api/v1/job-templates", "{\"name\":\"hello\",\"cluster\":\"local\",\"spec\":{}}"));
        expect(400, post("/api/v1/job-templates", "{\"name\":\"big\",\"cluster\":\"local\",\"spec\":{\"script\":\""
                + "x".repeat(1024 * 1024 + 1) + "\"}}"));
        Reply renamed = put("/api/v1/job-templates/" + id, "{\"name\":\"hello2\"}");
        expect(200, renamed);
        assertEquals("hello2", renamed.json().get("name").asText());
        assertEquals("debug", renamed.json().get("spec").get("partition").asText());
        Reply list = get("/api/v1/job-templates");
        assertEquals(1, list.json().size());
        expect(204, delete("/api/v1/job-templates/" + id));
        expect(404, get("/api/v1/job-templates/" + id));
        assertFalse(get("/api/v1/job-templates").body().contains("hello2"));
    }

    private static void expect(int status, Reply r) {
        assertEquals(r.toString().substring(0, Math.min(400, r.toString().length())), status, r.status());
    }

    private static boolean online() {
        try {
            return get(C).json().get("online").asBoolean();
        } catch (Exception e) {
            return false;
        }
    }

    private static boolean blocked(boolean expected) {
        try {
            return get(C + "/accounts/" + ACCOUNT + "/block").json().get("blocked").asBoolean() == expected;
        } catch (Exception e) {
            return false;
        }
    }

    private static BigDecimal balance() throws Exception {
        return new BigDecimal(get("/api/v1/billing/accounts/" + ACCOUNT + "/balance").json().get("balance").asText());
    }

    private static void ensureUnixUser(String name) throws Exception {
        if (new ProcessBuilder("id", name).start().waitFor() != 0) {
            int rc = new ProcessBuilder("useradd", "--create-home", name).inheritIO().start().waitFor();
            assertEquals("useradd " + name + " (the itests run as root)", 0, rc);
        }
    }
}
