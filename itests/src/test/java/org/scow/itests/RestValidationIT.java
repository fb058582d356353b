package org.scow.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.features;

import java.io.File;
import java.time.Duration;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/** Bad input to every endpoint gets a 4xx JSON error that names the field, and changes nothing. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class RestValidationIT extends PlatformTestSupport {
    private static final String C = "/api/v1/clusters/itest";
    private static final String GOOD_JOB = """
            {"user":"alice","name":"ok","account":"valid","partition":"debug","nodes":1,"coresPerNode":1,
             "gpusPerNode":0,"script":"true","workingDirectory":"/tmp"}""";

    @Configuration
    public Option[] config() {
        return new Option[] {platform(
                features(new File(System.getProperty("scow.itest.features")).toURI().toString(),
                        "scow-scheduler-test"))};
    }

    @Before
    public void online() throws Exception {
        awaitRest();
        await("itest online", Duration.ofSeconds(60), () -> {
            try {
                return get(C).json().get("online").asBoolean();
            } catch (Exception e) {
                return false;
            }
        });
        if (get(C + "/accounts/valid/block").status() == 404) {
            assertEquals(201, post(C + "/accounts", "{\"name\":\"valid\",\"owner\":\"alice\"}").status());
        }
    }

    /**
     * Asserts a JSON error with this status that names {@code field}: a 400 names the bad field in details.field and
     * at the start of its message; other statuses carry the missing thing as a details key. Null: nothing to name.
     */
    private static void rejects(Reply r, int status, String field) {
        assertEquals(r.toString(), status, r.status());
        assertTrue(r.toString(), r.json() != null && r.json().hasNonNull("code") && r.json().hasNonNull("message"));
        assertFalse("no stack traces: " + r, r.body().contains("Exception") || r.body().contains("\tat "));
        if (field != null && status == 400) {
            assertEquals(r.toString(), field, r.json().at("/details/field").asText());
            assertTrue(r.toString(), r.json().get("message").asText().startsWith(field));
        } else if (field != null) {
            assertTrue(r.toString(), r.json().get("details").has(field));
        }
    }

    @Test
    public void jobListingParameters() throws Exception {
        rejects(get(C + "/jobs?page=0"), 400, "page");
        rejects(get(C + "/jobs?pageSize=5000"), 400, "pageSize");
        rejects(get(C + "/jobs?page=two"), 400, "page");
        rejects(get(C + "/jobs?state=SLEEPING"), 400, "state");
        rejects(get(C + "/jobs?submittedFrom=yesterday"), 400, "submittedFrom");
        rejects(get(C + "/jobs?endedFrom=2026-02-01T00:00:00Z&endedTo=2026-01-01T00:00:00Z"), 400, "endedFrom");
        rejects(get(C + "/jobs?sort=-colour"), 400, "sort");
        rejects(get(C + "/jobs?fields=jobId,colour"), 400, "fields");
        rejects(get(C + "/jobs?user=bad%20name"), 400, "user");
        rejects(get(C + "/jobs?account=%3Brm"), 400, "account");
        assertEquals(200, get(C + "/jobs?state=running,pending&sort=-submitTime&page=1&pageSize=10&fields=name")
                .status());
    }

    @Test
    public void jobSubmission() throws Exception {
        rejects(post(C + "/jobs", "{\"user\":"), 400, null);
        rejects(post(C + "/jobs", ""), 400, null);
        rejects(post(C + "/jobs", GOOD_JOB.replace("\"name\":\"ok\"", "\"colour\":\"red\"")), 400, "colour");
        rejects(post(C + "/jobs", GOOD_JOB.replace("\"nodes\":1", "\"nodes\":\"x\"")), 400, "nodes");
        rejects(post(C + "/jobs", GOOD_JOB.replace("\"nodes\":1", "\"nodes\":0")), 400, "nodes");
        rejects(post(C + "/jobs", GOOD_JOB.replace("\"coresPerNode\":1", "\"coresPerNode\":-4")), 400,
                "coresPerNode");
        rejects(post(C + "/jobs", GOOD_JOB.replace("\"partition\":\"debug\",", "")), 400, "partition");
        rejects(post(C + "/jobs", GOOD_JOB.replace("valid", "a;rm -rf /")), 400, "account");
        rejects(post(C + "/jobs", GOOD_JOB.replace("\"/tmp\"", "\"tmp\"")), 400, "workingDirectory");
        rejects(post(C + "/jobs", GOOD_JOB.replace("\"/tmp\"", "\"/tmp\",\"stdout\":\"o\\n#SBATCH --uid=0\"")), 400,
                "stdout");
        rejects(post(C + "/jobs", GOOD_JOB.replace("\"true\"", "\"  \"")), 400, "script");
        rejects(post(C + "/jobs", GOOD_JOB.replace("\"ok\"", "\"\"")), 400, "name");
        rejects(post(C + "/jobs", GOOD_JOB.replace("\"gpusPerNode\":0",
                "\"gpusPerNode\":0,\"extraOptions\":[\"--a\\n--b\"]")), 400, "extraOptions");
        rejects(post(C + "/jobs", GOOD_JOB.replace("debug", "nosuchpartition")), 422, "reason");
        rejects(post(C + "/jobs/script", "{\"script\":\"#!/bin/sh\\ntrue\",\"workingDirectory\":\"/tmp\"}"), 400,
                "user");
        rejects(post(C + "/jobs/script", "{\"user\":\"alice\",\"script\":\"\",\"workingDirectory\":\"/tmp\"}"), 400,
                "script");
        rejects(post(C + "/jobs/script", "{\"user\":\"alice\",\"script\":\"true\",\"workingDirectory\":\"x\"}"), 400,
                "workingDirectory");
        assertEquals("nothing was submitted by the bad requests", 0,
                get(C + "/jobs?account=valid").json().get("totalCount").asInt());
    }

    @Test
    public void jobOperations() throws Exception {
        rejects(delete(C + "/jobs/12345"), 400, "user");
        rejects(delete(C + "/jobs/12345?user=alice"), 404, "jobId");
        rejects(get(C + "/jobs/12345"), 404, "jobId");
        rejects(get(C + "/jobs/12345/time-limit"), 404, "jobId");
        rejects(post(C + "/jobs/12345/time-limit", "{\"deltaMinutes\":0}"), 400, "deltaMinutes");
        rejects(post(C + "/jobs/12345/time-limit", "{}"), 400, "deltaMinutes");
        rejects(post(C + "/jobs/12345/time-limit", "{\"deltaMinutes\":\"soon\"}"), 400, "deltaMinutes");
    }

    @Test
    public void clusterQueries() throws Exception {
        rejects(get(C + "/partitions?account=valid"), 400, "user");
        rejects(get(C + "/partitions?account=valid&user=a%20b"), 400, "user");
        rejects(get(C + "/events?limit=0"), 400, "limit");
        rejects(get(C + "/events?limit=many"), 400, "limit");
        rejects(get("/api/v1/clusters/nope/usage"), 404, null);
        assertEquals(200, get(C + "/nodes?name=").status());
    }

    @Test
    public void accountsAndUsers() throws Exception {
        rejects(post(C + "/accounts", "{}"), 400, "name");
        rejects(post(C + "/accounts", "{\"name\":\"a b\",\"owner\":\"alice\"}"), 400, "name");
        rejects(post(C + "/accounts", "{\"name\":\"ok2\"}"), 400, "owner");
        rejects(post(C + "/accounts", "{\"name\":\"valid\",\"owner\":\"alice\"}"), 409, null);
        rejects(put(C + "/accounts/valid/block", "{\"partitions\":[\"bad name\"]}"), 400, "partitions");
        rejects(put(C + "/accounts/valid/block", "{\"partitions\":\"debug\"}"), 400, "partitions");
        rejects(put(C + "/accounts/ghost/block", "{}"), 404, "account");
        rejects(delete(C + "/accounts/valid/block?partition=bad%20x"), 400, "partition");
        rejects(get(C + "/accounts/bad%20name/block"), 400, "account");
        rejects(put(C + "/accounts/bad%20name/users/bob", ""), 400, "account");
        rejects(put(C + "/accounts/valid/users/alice", ""), 409, null);
        rejects(get(C + "/accounts/valid/users/b%20b/block"), 400, "user");
        rejects(get(C + "/users/b%20b/accounts"), 400, "user");
        rejects(delete(C + "/users/b%20b"), 400, "user");
        rejects(delete(C + "/accounts/a%20b"), 400, "account");
        assertFalse("the failed block requests changed nothing",
                get(C + "/accounts/valid/block").json().get("blocked").asBoolean());
    }
}
