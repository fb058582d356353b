package org.scow.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import java.math.BigDecimal;
import java.time.Duration;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * Management and billing in the booted platform, end to end through REST against a cluster (the in-memory driver):
 * an account without money is blocked on the cluster, a payment lets it submit, its finished job is charged exactly
 * once, and a block removed behind the platform's back is repaired by reconciliation.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ManagementBillingIT extends PlatformTestSupport {
    private static final String C = "/api/v1/clusters/itest";
    private static final String[] ADMIN = {"X-Scow-User", "admin"};
    private static final String JOB = """
            {"user":"alice","name":"paid","account":"physics","partition":"debug","nodes":1,"coresPerNode":2,
             "gpusPerNode":0,"timeLimitMinutes":10,"script":"true","workingDirectory":"/tmp"}""";

    @Configuration
    public Option[] config() {
        return new Option[] {platform(testDriver(),
                // jobs are charged per whole elapsed second: run them long enough to cost something
                editConfigurationFilePut("etc/org.scow.cluster-itest.cfg", "driver.jobDurationMs", "2000"))};
    }

    @Test
    public void moneyDecidesWhoMaySubmitAndJobsAreChargedOnce() throws Exception {
        awaitRest();
        await("itest online", Duration.ofSeconds(60), () -> online());
        assertTrue(get("/api/v1/management/tenants").body().contains("default"));
        expect(201, post("/api/v1/management/users", "{\"userId\":\"alice\",\"name\":\"Alice\",\"tenant\":\"default\"}",
                ADMIN));
        expect(201, post("/api/v1/management/accounts",
                "{\"name\":\"physics\",\"tenant\":\"default\",\"owner\":\"alice\"}", ADMIN));

        // balance 0 <= threshold 0: blocked on the cluster, submissions refused by the scheduler
        await("physics blocked on the cluster", Duration.ofSeconds(120), () -> clusterBlocked(true));
        expect(422, post(C + "/jobs", JOB));

        expect(201, post("/api/v1/billing/prices",
                "{\"cluster\":\"itest\",\"partition\":\"debug\",\"price\":\"1.5\",\"amount\":\"CPUS\"}", ADMIN));
        expect(200, post("/api/v1/billing/accounts/physics/payments", "{\"amount\":\"100.00\",\"method\":\"cash\"}",
                ADMIN));
        await("physics unblocked after payment", Duration.ofSeconds(120), () -> clusterBlocked(false));

        Reply job = post(C + "/jobs", JOB);
        expect(201, job);
        String id = job.json().get("jobId").asText();
        await("job completes", Duration.ofSeconds(30), () -> {
            try {
                return "COMPLETED".equals(get(C + "/jobs/" + id).json().get("state").asText());
            } catch (Exception e) {
                return false;
            }
        });

        expect(200, post("/api/v1/billing/fetch?cluster=itest", "", ADMIN));
        BigDecimal afterFirst = balance();
        assertTrue("charged: " + afterFirst, afterFirst.compareTo(new BigDecimal("100")) < 0);
        expect(200, post("/api/v1/billing/fetch?cluster=itest", "", ADMIN));
        assertEquals("a second fetch charges nothing", afterFirst, balance());

        // a threshold above the balance blocks; an unblock made directly on the cluster is repaired
        expect(200, put("/api/v1/billing/accounts/physics/threshold", "{\"threshold\":\"1000\"}"));
        await("physics blocked by threshold", Duration.ofSeconds(120), () -> clusterBlocked(true));
        expect(200, delete(C + "/accounts/physics/block"));
        assertFalse(get(C + "/accounts/physics/block").json().get("blocked").asBoolean());
        expect(200, post("/api/v1/management/block-sync", "", ADMIN));
        assertTrue("reconciliation restored the block", clusterBlocked(true));
    }

    /** Entity changes made by the repositories reach the database in the running platform (woven entities). */
    @Test
    public void changingAUsersTenantIsStored() throws Exception {
        awaitRest();
        expect(201, post("/api/v1/management/tenants", "{\"name\":\"chemistry\"}", ADMIN));
        expect(201, post("/api/v1/management/users", "{\"userId\":\"carol\",\"name\":\"Carol\",\"tenant\":\"default\"}",
                ADMIN));
        expect(200, put("/api/v1/management/users/carol/tenant", "{\"tenant\":\"chemistry\"}"));
        assertEquals("chemistry", get("/api/v1/management/users/carol").json().get("tenant").asText());
    }

    private static void expect(int status, Reply r) {
        assertEquals(r.toString(), status, r.status());
    }

    private static boolean online() {
        try {
            return get(C).json().get("online").asBoolean();
        } catch (Exception e) {
            return false;
        }
    }

    private static boolean clusterBlocked(boolean expected) {
        try {
            return get(C + "/accounts/physics/block").json().get("blocked").asBoolean() == expected;
        } catch (Exception e) {
            return false;
        }
    }

    private static BigDecimal balance() throws Exception {
        return new BigDecimal(get("/api/v1/billing/accounts/physics/balance").json().get("balance").asText());
    }
}
