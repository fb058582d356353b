package org.scow.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
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
    private static final String CLI_USER = "scowcli";
    private static final String OTHER_USER = "scowcli2";

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

    /**
     * The distribution's commands (crane/bin) for a Unix user who never saw root: no credential file, no account set
     * up by anyone; the controller's credential service knows the caller from the kernel. Another user cannot act on
     * the job, and root (a system account) gets no credential.
     */
    @Test
    public void aUnixUserRunsTheCommandsWithNoRootStep() throws Exception {
        awaitRest();
        ensureUnixUser(CLI_USER);
        ensureUnixUser(OTHER_USER);
        await("local online", Duration.ofSeconds(60), () -> {
            try {
                return get(C).json().get("online").asBoolean();
            } catch (Exception e) {
                return false;
            }
        });
        Path bin = Path.of(System.getProperty("karaf.home"), "crane", "bin");
        // Pax Exam unpacks the archive itself and makes only the top bin/ executable; the tarball has them 0755
        try (var files = Files.list(bin)) {
            for (Path f : files.toList()) Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        Path work = Files.createTempDirectory(Path.of("/tmp"), "scow-commands-it");
        Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxrwxrwx"));
        try {
            Result submitted = run(CLI_USER, work, bin.resolve("cbatch").toString(), "--wrap", "hostname");
            assertEquals(submitted.toString(), 0, submitted.rc);
            assertTrue(submitted.toString(), submitted.out.startsWith("Submitted batch job "));
            String id = submitted.out.trim().substring("Submitted batch job ".length());

            Result queue = run(CLI_USER, work, bin.resolve("cqueue").toString());
            assertEquals(queue.toString(), 0, queue.rc);
            assertTrue(queue.toString(), queue.out.startsWith("JOBID") || queue.out.contains("JOBID"));

            // the other user cannot cancel the user's (held, so still live) job; its owner can
            Result held = run(CLI_USER, work, bin.resolve("cbatch").toString(), "--hold", "--parsable", "--wrap", "true");
            assertEquals(held.toString(), 0, held.rc);
            String heldId = held.out.trim();
            Result cancel = run(OTHER_USER, work, bin.resolve("ccancel").toString(), heldId);
            assertEquals(cancel.toString(), 1, cancel.rc);
            assertTrue(cancel.toString(), cancel.err.startsWith("ccancel: error: job " + heldId + ": "));
            Result own = run(CLI_USER, work, bin.resolve("ccancel").toString(), heldId);
            assertEquals(own.toString(), 0, own.rc);

            await("job " + id + " completes", Duration.ofSeconds(90), () -> {
                try {
                    Result acct = run(CLI_USER, work, bin.resolve("cacct").toString(), "-j", id, "-N", "-o",
                            "JobId,User,State");
                    return acct.rc == 0 && acct.out.trim().matches(id + "\\s+" + CLI_USER + "\\s+COMPLETED");
                } catch (Exception e) {
                    return false;
                }
            });
            Path out = work.resolve("Crane-" + id + ".out");
            String host = new String(new ProcessBuilder("hostname").start().getInputStream().readAllBytes()).trim();
            assertEquals(host, Files.readString(out).trim());
            assertEquals(CLI_USER, Files.getOwner(out).getName());

            // root is a system account: the credential service refuses it, and the command says so
            Result root = run("root", work, bin.resolve("cqueue").toString());
            assertEquals(root.toString(), 1, root.rc);
            assertTrue(root.toString(), root.err.contains("no credential for root (uid 0)"));
        } finally {
            try (var files = Files.walk(work)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    private record Result(int rc, String out, String err) {
    }

    /** Runs a command as {@code user} (setpriv, no shell) in {@code dir} with a plain environment. */
    private static Result run(String user, Path dir, String... command) throws Exception {
        java.util.List<String> cmd = new java.util.ArrayList<>(java.util.List.of("setpriv", "--reuid=" + user,
                "--regid=" + user, "--init-groups"));
        cmd.addAll(java.util.List.of(command));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
        pb.environment().clear();
        pb.environment().put("PATH", "/usr/local/bin:/usr/bin:/bin");
        pb.environment().put("HOME", user.equals("root") ? "/root" : "/home/" + user);
        pb.environment().put("USER", user);
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().put("CRANE_CDS_DIR", dir.resolve("cds-" + user).toString()); // start-up archives stay here
        Process p = pb.start();
        var err = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return new String(p.getErrorStream().readAllBytes());
            } catch (java.io.IOException e) {
                return e.toString();
            }
        });
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(String.join(" ", cmd) + " did not end", p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS));
        return new Result(p.exitValue(), out, err.get());
    }

    private static void ensureUnixUser(String name) throws Exception {
        if (new ProcessBuilder("id", name).start().waitFor() != 0) {
            int rc = new ProcessBuilder("useradd", "--create-home", name).inheritIO().start().waitFor();
            assertEquals("useradd " + name + " (the itests run as root)", 0, rc);
        }
    }
}
