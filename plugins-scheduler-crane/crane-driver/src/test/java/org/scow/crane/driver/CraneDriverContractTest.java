package org.scow.crane.driver;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.scow.api.scheduler.ClusterConfig;
import org.scow.api.scheduler.SchedulerDriver;
import org.scow.api.scheduler.contract.ContractFixture;
import org.scow.api.scheduler.contract.SchedulerDriverContract;
import org.scow.crane.ctld.Clock;
import org.scow.crane.ctld.CtldConfig;
import org.scow.crane.protocol.Credential;
import org.scow.crane.protocol.CredentialFiles;
import org.scow.crane.server.CraneServer;

/**
 * The platform's adapter contract against a real cranectld: WAL on disk, gRPC on a free loopback port, the driver
 * authenticated with a proxy credential file, and jobs run as REAL processes by the local executor
 * ({@code LocalExecutor=true}): as the fixture's two Unix users (created with useradd when missing; the test runs as
 * root), in a shared working directory, inside cgroups when the machine allows them.
 */
public class CraneDriverContractTest extends SchedulerDriverContract {
    /** Unix accounts the contract's jobs run as. */
    static final String USER_A = "cranect-a";
    static final String USER_B = "cranect-b";
    private static final Path WORK_DIR = sharedWorkDir();
    private static final ContractFixture FIXTURE = new ContractFixture("crane", USER_A, USER_B, "cpu",
            WORK_DIR.toString(), ContractFixture.uniquePrefix("ct"), Duration.ofSeconds(30));

    private static CraneServer server;
    private static Path credentialFile;

    /** A directory both job users can write (0777); its parent /tmp is searchable by everyone. */
    private static Path sharedWorkDir() {
        try {
            Path d = Files.createTempDirectory(Path.of("/tmp"), "crane-contract-work");
            Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwxrwxrwx"));
            return d;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void ensureUnixUser(String name) throws Exception {
        if (new ProcessBuilder("id", "-u", name).start().waitFor() == 0) return;
        // ordinary accounts (uid from 1000 up): system accounts may not run jobs
        Process p = new ProcessBuilder("useradd", "--no-create-home", "--shell", "/bin/sh", name)
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) throw new IllegalStateException("useradd " + name + " failed (the test needs root): " + out);
    }

    @BeforeClass
    public static void startController() throws Exception {
        ensureUnixUser(USER_A);
        ensureUnixUser(USER_B);
        // the spool must be searchable by the job users: not under a 0700 temporary directory
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "crane-contract");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx--x--x"));
        CtldConfig cfg = CtldConfig.parse("""
                ClusterName=contract
                SchedulerIntervalMs=200
                MinPassGapMs=10
                LocalExecutor=true
                KillWait=2
                ListenPort=0
                Node name=cn[1-4] cpus=16 mem=64G
                Node name=g1 cpus=32 mem=256G gres=gpu:a100:4
                Partition name=cpu nodes=cn[1-4] default=yes priority=1 maxtime=7-0
                Partition name=gpu nodes=g1 priority=1 maxtime=2-0
                """);
        cfg.stateDir = dir.resolve("state");
        // machines set up by older versions of this test have them as system accounts (useradd --system)
        cfg.allowedSystemUsers = java.util.Set.of(USER_A, USER_B);
        server = CraneServer.start(cfg, Clock.SYSTEM);
        credentialFile = dir.resolve("platform.cred");
        // the platform acts as 'root' (a controller admin) and on behalf of users
        CredentialFiles.writeCredential(credentialFile,
                server.issue(Credential.Scope.PROXY, "root", Duration.ofHours(2)), null);
    }

    @AfterClass
    public static void stopController() throws InterruptedException {
        if (server == null) return;
        // closing the server leaves jobs running (a restart re-adopts them): end the suite's leftovers first
        for (long id : server.controller().runningJobIds(10_000)) server.controller().cancel("root", id);
        for (int i = 0; i < 3000 && server.localLauncher().executor().runningCount() > 0; i++) Thread.sleep(10);
        server.close();
    }

    /** The platform's proxy credential cannot run jobs as system accounts: refused as PERMISSION_DENIED, user named. */
    @org.junit.Test
    public void systemAccountsCannotSubmitThroughTheDriver() throws Exception {
        SchedulerDriver d = createDriver();
        for (String[] u : new String[][] {{"root", "(uid 0)"}, {"daemon", "(uid 1, below MinJobUid=1000)"}}) {
            try {
                d.submitJob(new org.scow.api.scheduler.JobSpec(u[0], "sys", "root", "cpu", null, 1, 1, 0, null, 10L,
                        "true", WORK_DIR.toString(), null, null, null));
                org.junit.Assert.fail("the driver submitted as " + u[0]);
            } catch (org.scow.api.scheduler.SchedulerException e) {
                org.junit.Assert.assertEquals(e.getMessage(), org.scow.api.scheduler.ErrorCode.PERMISSION_DENIED, e.code());
                org.junit.Assert.assertTrue(e.getMessage(), e.getMessage().contains("user '" + u[0] + "' is a system account " + u[1]));
            }
            try {
                d.submitScript(u[0], "#!/bin/sh\n#CBATCH --account=root\ntrue\n", WORK_DIR.toString());
                org.junit.Assert.fail("the driver submitted a script as " + u[0]);
            } catch (org.scow.api.scheduler.SchedulerException e) {
                org.junit.Assert.assertEquals(e.getMessage(), org.scow.api.scheduler.ErrorCode.PERMISSION_DENIED, e.code());
            }
        }
    }

    /** No silent failures: a real job whose working directory is missing ends FAILED, and its JobInfo says why. */
    @org.junit.Test
    public void aJobThatCannotStartSaysWhyInItsJobInfo() throws Exception {
        String account = newAccount();
        org.scow.api.scheduler.JobSpec s = spec(account, USER_A, uniqueJobName("nodir"), "true");
        String gone = WORK_DIR.resolve("gone").toString();
        String job = submit(new org.scow.api.scheduler.JobSpec(s.user(), s.name(), s.account(), s.partition(), null,
                1, 1, 0, null, 10L, s.script(), gone, null, null, java.util.List.of()));
        org.scow.api.scheduler.JobInfo info = awaitFinished(job);
        org.junit.Assert.assertEquals(org.scow.api.scheduler.JobState.FAILED, info.state());
        org.junit.Assert.assertTrue(String.valueOf(info.reason()), info.reason() != null
                && info.reason().startsWith("could not start: cd: ") && info.reason().contains(gone));
    }

    @Override
    protected SchedulerDriver createDriver() throws Exception {
        return new CraneDriverFactory().create(new ClusterConfig("crane-test", "Crane test", "crane", Map.of(
                "host", "127.0.0.1", "port", String.valueOf(server.port()),
                "credentialFile", credentialFile.toString(), "timeoutSeconds", "10")));
    }

    @Override
    protected ContractFixture fixture() {
        return FIXTURE;
    }

    @Override
    protected String scriptDirectives(String account, String partition, String jobName) {
        return "#CBATCH --account=" + account + "\n"
                + "#CBATCH --partition=" + partition + "\n"
                + "#CBATCH --job-name=" + jobName + "\n"
                + "#CBATCH --nodes=1\n"
                + "#CBATCH --time=10\n";
    }
}
