package org.scow.crane.driver;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;
import org.scow.api.scheduler.ClusterConfig;
import org.scow.api.scheduler.JobFilter;
import org.scow.api.scheduler.JobInfo;
import org.scow.api.scheduler.JobQuery;
import org.scow.api.scheduler.JobState;
import org.scow.api.scheduler.SchedulerDriver;
import org.scow.crane.ctld.Clock;
import org.scow.crane.ctld.Controller;
import org.scow.crane.ctld.CtldConfig;
import org.scow.crane.ctld.model.JobRequest;
import org.scow.crane.protocol.Credential;
import org.scow.crane.protocol.CredentialFiles;
import org.scow.crane.server.CraneServer;

/**
 * A pending job that the backfill plan holds a reservation for carries the plan's start through the driver
 * ({@link JobInfo#expectedStart()}), which the portal shows on queued session cards; running jobs and jobs the plan
 * does not place carry none.
 */
public class ExpectedStartTest {
    private static final long T0 = System.currentTimeMillis() / 1000;
    private static CraneServer server;
    private static SchedulerDriver driver;
    private static Path dir;
    private static long running;
    private static long waiting;

    @BeforeClass
    public static void start() throws Exception {
        CraneDriverContractTest.ensureUnixUser(CraneDriverContractTest.USER_A);
        dir = Files.createTempDirectory("crane-expected-start");
        CtldConfig cfg = CtldConfig.parse("""
                ClusterName=plan
                ListenPort=0
                SchedulerIntervalMs=3600000
                Node name=cn1 cpus=4 mem=8G
                Partition name=cpu nodes=cn1 default=yes maxtime=1-0
                """);
        cfg.stateDir = dir.resolve("state");
        cfg.allowedSystemUsers = Set.of(CraneDriverContractTest.USER_A);
        server = CraneServer.start(cfg, new Clock.Manual(T0));
        Controller c = server.controller();
        c.addAccount("root", "plan", null, null, null);
        c.addUser("root", CraneDriverContractTest.USER_A, "plan");
        String user = CraneDriverContractTest.USER_A;
        running = c.submit("root", new JobRequest(user, "plan").name("fills").time("60").cpusPerTask(4)).jobId();
        waiting = c.submit("root", new JobRequest(user, "plan").name("waits").time("10").cpusPerTask(4)).jobId();
        c.schedule();
        Path cred = dir.resolve("platform.cred");
        CredentialFiles.writeCredential(cred, server.issue(Credential.Scope.PROXY, "root", Duration.ofHours(1)), null);
        driver = new CraneDriverFactory().create(new ClusterConfig("plan", "Plan", "crane", Map.of(
                "host", "127.0.0.1", "port", String.valueOf(server.port()), "credentialFile", cred.toString())));
    }

    @AfterClass
    public static void stop() throws Exception {
        if (server != null) server.close();
        if (dir != null) FeedPagingTest.deleteTree(dir);
    }

    private static JobInfo job(long id) throws Exception {
        return driver.queryJobs(JobQuery.of(JobFilter.ALL.withJobId(String.valueOf(id)))).jobs().get(0);
    }

    @Test
    public void pendingJobCarriesThePlannedStartRunningJobNone() throws Exception {
        JobInfo first = job(running);
        assertEquals(JobState.RUNNING, first.state());
        assertNull("a running job has no expected start", first.expectedStart());
        JobInfo second = job(waiting);
        assertEquals(JobState.PENDING, second.state());
        // the whole node is busy until the first job's 60-minute limit ends
        assertEquals(Instant.ofEpochSecond(T0 + 3600), second.expectedStart());
    }
}
