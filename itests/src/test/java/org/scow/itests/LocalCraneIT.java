package org.scow.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * The default distribution's own cluster: the embedded Crane controller runs a real job, as its Unix user, submitted
 * through the REST API.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class LocalCraneIT extends PlatformTestSupport {
    private static final String C = "/api/v1/clusters/local";
    private static final String USER = "scowit";

    @Configuration
    public Option[] config() {
        return new Option[] {platform()};
    }

    @Test
    public void aRealJobRunsAsItsUserOnTheEmbeddedCluster() throws Exception {
        awaitRest();
        ensureUnixUser(USER);
        await("local online", Duration.ofSeconds(60), () -> {
            try {
                return get(C).json().get("online").asBoolean();
            } catch (Exception e) {
                return false;
            }
        });
        Reply account = post(C + "/accounts", "{\"name\":\"itlocal\",\"owner\":\"" + USER + "\"}");
        assertEquals(account.toString(), 201, account.status());

        Path out = Path.of("/tmp", "scow-localcrane-" + System.nanoTime() + ".out");
        Reply job = post(C + "/jobs", """
                {"user":"%s","name":"hello","account":"itlocal","partition":"debug","nodes":1,"coresPerNode":1,
                 "gpusPerNode":0,"timeLimitMinutes":5,"workingDirectory":"/tmp","stdout":"%s",
                 "script":"echo job=$CRANE_JOB_ID user=$(id -un)"}""".formatted(USER, out));
        assertEquals(job.toString(), 201, job.status());
        String id = job.json().get("jobId").asText();
        await("job " + id + " completes", Duration.ofSeconds(60), () -> {
            try {
                return "COMPLETED".equals(get(C + "/jobs/" + id).json().get("state").asText());
            } catch (Exception e) {
                return false;
            }
        });
        String text = Files.readString(out).trim();
        assertEquals("job=" + id + " user=" + USER, text);
        assertEquals(USER, Files.getOwner(out).getName());
        assertEquals(0, get(C + "/jobs/" + id).json().get("exitCode").asInt());
        Files.delete(out);
    }

    private static void ensureUnixUser(String name) throws Exception {
        if (new ProcessBuilder("id", name).start().waitFor() != 0) {
            int rc = new ProcessBuilder("useradd", "--create-home", name).inheritIO().start().waitFor();
            assertEquals("useradd " + name + " (the itests run as root)", 0, rc);
        }
    }
}
