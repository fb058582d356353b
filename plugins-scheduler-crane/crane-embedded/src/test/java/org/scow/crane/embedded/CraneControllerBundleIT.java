package org.scow.crane.embedded;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.apache.felix.framework.Felix;
import org.junit.Test;
import org.scow.crane.protocol.Credential;
import org.scow.crane.protocol.CredentialSocket;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.scow.api.scheduler.ClusterConfig;
import org.scow.api.scheduler.JobInfo;
import org.scow.api.scheduler.JobState;
import org.scow.api.scheduler.Partition;
import org.scow.api.scheduler.SchedulerDriver;
import org.scow.crane.driver.CraneDriverFactory;

/**
 * The packaged bundle {@code org.scow.crane.embedded} in a plain Felix framework with only SCR, Config Admin and
 * the JDK: it resolves with its embedded libraries, SCR activates the component from the {@code org.scow.crane.ctld}
 * configuration, the platform driver reaches it with the {@code platform.cred} it wrote, a submitted job really runs
 * as its Unix user, and after stopping and restarting the bundle the controller recovers that job from its WAL.
 */
public class CraneControllerBundleIT {
    private static final String JOB_USER = "cranetest";

    @Test
    public void componentRunsAnEmbeddedControllerThatRunsRealJobsAndSurvivesARestart() throws Exception {
        ensureUnixUser(JOB_USER);
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "crane-embedded-it");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x")); // job users reach the spool
        Path state = dir.resolve("crane");
        Path work = dir.resolve("work");
        Files.createDirectories(work);
        Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxrwxrwx"));
        int port = freePort();

        Map<String, String> props = new HashMap<>();
        props.put(Constants.FRAMEWORK_STORAGE, dir.resolve("felix").toString());
        props.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        Felix felix = new Felix(props);
        felix.start();
        try {
            BundleContext ctx = felix.getBundleContext();
            Path it = Path.of(System.getProperty("crane.it.bundles"));
            for (String b : List.of("org.osgi.util.function.jar", "org.osgi.util.promise.jar",
                    "org.osgi.service.component.jar",
                    "org.apache.felix.configadmin.jar", "org.apache.felix.scr.jar")) {
                ctx.installBundle(it.resolve(b).toUri().toString()).start();
            }
            Dictionary<String, Object> cfg = new Hashtable<>();
            cfg.put("stateDir", state.toString());
            cfg.put("port", port);
            cfg.put("nodeName", "itnode");
            cfg.put("cpus", 2);
            cfg.put("memory", "2G");
            cfg.put("gpus", 0);
            cfg.put("killWaitSeconds", 1);
            cfg.put("allowedSystemUsers", JOB_USER); // a system account (useradd --system): an explicit opt-in
            configure(ctx, "org.scow.crane.ctld", cfg);

            Bundle bundle = ctx.installBundle(Path.of(System.getProperty("crane.controller.bundle")).toUri().toString());
            bundle.start();
            assertEquals(Bundle.ACTIVE, bundle.getState());
            assertEquals("org.scow.crane.embedded", bundle.getSymbolicName());
            Path cred = state.resolve("platform.cred");
            waitFor("the component to start and write " + cred, () -> Files.exists(cred) && listening(port));
            credentialServiceAnswersByUid(state, dir);

            String jobId;
            try (SchedulerDriver driver = driver(port, cred)) {
                List<Partition> parts = driver.partitions();
                assertEquals("debug", parts.get(0).name());
                assertEquals(2, parts.get(0).cores());
                driver.createAccount("itacct", JOB_USER); // the owner becomes a member
                jobId = driver.submitScript(JOB_USER, "#!/bin/sh\n#CBATCH -A itacct\n#CBATCH -t 5\n"
                        + "echo \"$(id -un) $CRANE_JOB_PARTITION $CRANE_JOB_NODELIST\"\n", work.toString()).jobId();
                String id = jobId;
                waitFor("job " + jobId + " to finish", () -> state(driver, id).isFinished());
                JobInfo done = driver.getJob(jobId);
                assertEquals(JobState.COMPLETED, done.state());
                assertEquals(JOB_USER + " debug itnode\n", Files.readString(work.resolve("Crane-" + jobId + ".out")));
            }

            bundle.stop();
            assertFalse("the port is closed after deactivation", listening(port));
            bundle.start();
            waitFor("the component to restart", () -> listening(port));
            try (SchedulerDriver driver = driver(port, cred)) {
                assertEquals("the job survived the restart", JobState.COMPLETED, driver.getJob(jobId).state());
            }
            assertTrue("WAL on disk", Files.list(state).anyMatch(p -> p.getFileName().toString().startsWith("wal-")));
        } finally {
            felix.stop();
            felix.waitForStop(20_000);
        }
    }

    /**
     * The credential service inside OSGi (JNA embedded in the bundle): alice, an ordinary user, gets her own
     * credential, signed with the controller's key; root (this test) gets a refusal.
     */
    private static void credentialServiceAnswersByUid(Path state, Path dir) throws Exception {
        Path socket = state.resolve("auth.sock");
        assertEquals("rw-rw-rw-", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)));
        var refused = org.junit.Assert.assertThrows(CredentialSocket.Refused.class, () -> CredentialSocket.fetch(socket, 10_000));
        assertTrue(refused.getMessage(), refused.getMessage().startsWith("no credential for root (uid 0)"));
        Path classes = dir.resolve("client");
        for (String c : List.of("CredentialSocket", "CredentialSocket$Refused")) {
            Path f = classes.resolve("org/scow/crane/protocol/" + c + ".class");
            Files.createDirectories(f.getParent());
            try (var in = CredentialSocket.class.getResourceAsStream(c + ".class")) {
                Files.write(f, in.readAllBytes());
            }
        }
        Process p = new ProcessBuilder("setpriv", "--reuid=alice", "--regid=alice", "--clear-groups",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", classes.toString(),
                CredentialSocket.class.getName(), socket.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes()).trim();
        assertTrue(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS));
        Credential c = Credential.verify(out, org.scow.crane.protocol.CredentialFiles.loadOrCreateKey(state.resolve("auth.key")),
                System.currentTimeMillis() / 1000);
        assertEquals("alice", c.principal());
        assertEquals(Credential.Scope.USER, c.scope());
    }

    private static JobState state(SchedulerDriver d, String id) {
        try {
            return d.getJob(id).state();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static SchedulerDriver driver(int port, Path cred) throws Exception {
        return new CraneDriverFactory().create(new ClusterConfig("local", "Local", "crane", Map.of(
                "host", "127.0.0.1", "port", String.valueOf(port), "credentialFile", cred.toString())));
    }

    /** Config Admin through reflection: its API classes in the framework are not the test class path's. */
    private static void configure(BundleContext ctx, String pid, Dictionary<String, Object> props) throws Exception {
        String name = "org.osgi.service.cm.ConfigurationAdmin";
        // getAllServiceReferences: the system bundle's class path may hold another copy of the cm API, which would
        // make getServiceReference hide the service as "not assignable"
        waitFor("Config Admin", () -> references(ctx, name) != null);
        ServiceReference<?> ref = references(ctx, name)[0];
        Object admin = ctx.getService(ref);
        Object config = admin.getClass().getMethod("getConfiguration", String.class, String.class).invoke(admin, pid, null);
        config.getClass().getMethod("update", Dictionary.class).invoke(config, props);
    }

    private static ServiceReference<?>[] references(BundleContext ctx, String name) {
        try {
            return ctx.getAllServiceReferences(name, null);
        } catch (org.osgi.framework.InvalidSyntaxException e) {
            throw new AssertionError(e);
        }
    }

    private static boolean listening(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static void waitFor(String what, BooleanSupplier cond) throws InterruptedException {
        for (int i = 0; i < 600; i++) {
            if (cond.getAsBoolean()) return;
            Thread.sleep(100);
        }
        fail("timed out waiting for " + what);
    }

    private static void ensureUnixUser(String name) throws Exception {
        if (new ProcessBuilder("id", "-u", name).start().waitFor() == 0) return;
        Process p = new ProcessBuilder("useradd", "--system", "--no-create-home", "--shell", "/bin/sh", name)
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) throw new IllegalStateException("useradd " + name + " failed (the test needs root): " + out);
    }
}
