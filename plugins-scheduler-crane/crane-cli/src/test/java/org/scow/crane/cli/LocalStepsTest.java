package org.scow.crane.cli;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.After;
import org.junit.Test;
import org.scow.crane.ctld.Clock;
import org.scow.crane.ctld.CtldConfig;
import org.scow.crane.protocol.Credential;
import org.scow.crane.protocol.CredentialFiles;
import org.scow.crane.server.CraneServer;

/**
 * Job steps on a single-machine cluster ({@code LocalExecutor=true}, as the embedded controller runs): every node's
 * share of a step runs on this machine, in the controller's process, with real processes.
 */
public class LocalStepsTest {
    private CraneServer server;

    @After
    public void stop() {
        if (server != null) server.close();
    }

    @Test
    public void crunRunsStepsOnASingleMachineCluster() throws Exception {
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "crane-local-steps");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path work = Files.createDirectories(dir.resolve("work"));
        CtldConfig cfg = CtldConfig.parse("ClusterName=one\nNode name=lsn[1-2] cpus=2 mem=1G\n"
                + "Partition name=p nodes=lsn[1-2] default=yes priority=1 maxtime=1-0\n");
        cfg.stateDir = dir.resolve("state");
        cfg.listenPort = 0;
        cfg.schedulerIntervalMs = 100;
        cfg.minPassGapMs = 0;
        cfg.localExecutor = true;
        cfg.cgroups = "off"; // the executor's job groups would be shared with other tests (job ids restart at 1)
        cfg.killWaitSec = 1;
        cfg.allowRootJobs = true; // the test's own user (root) runs the tasks: an explicit opt-in
        byte[] key = new byte[32];
        Arrays.fill(key, (byte) 5);
        server = CraneServer.start(cfg, Clock.SYSTEM, key);
        String user = System.getProperty("user.name");
        Path cred = dir.resolve("cred");
        CredentialFiles.writeCredential(cred, server.issue(Credential.Scope.USER, user, Duration.ofHours(1)), null);
        Files.writeString(dir.resolve("empty.conf"), "# empty\n");
        Map<String, String> env = new HashMap<>(Map.of("USER", user, "HOME", dir.toString(), "PATH", "/usr/bin:/bin",
                "CRANE_CONTROLLER", "127.0.0.1:" + server.port(), "CRANE_CREDENTIAL", cred.toString(),
                "CRANE_CONF", dir.resolve("empty.conf").toString()));
        assertEquals(0, StepsTest.runIn(env, work, "", "cacctmgr", "add", "account", "phys").exit());
        assertEquals(0, StepsTest.runIn(env, work, "", "cacctmgr", "add", "user", user, "Account=phys").exit());

        StepsTest.Result r = StepsTest.runIn(env, work, "to task zero\n", "crun", "-N2", "-n3", "-l", "sh", "-c",
                "read x; echo node=$CRANE_NODEID rank=$CRANE_PROCID in=$x");
        assertEquals(r.toString(), 0, r.exit());
        assertEquals(r.toString(), List.of("0: node=0 rank=0 in=to task zero", "1: node=0 rank=1 in=", "2: node=1 rank=2 in="),
                r.out().lines().sorted().toList());
        r = StepsTest.runIn(env, work, "", "crun", "-N2", "sh", "-c", "exit $((CRANE_NODEID + 4))");
        assertEquals(r.toString(), 5, r.exit());
        r = StepsTest.runIn(env, work, "", "cacct", "-o", "JobId,JobName,State,ExitCode", "-F");
        assertTrue(r.toString(), r.out().matches("(?s).*\\d+\\.0\\s+sh\\s+COMPLETED\\s+0.*"));
        assertTrue(r.toString(), r.out().matches("(?s).*\\d+\\.0\\s+sh\\s+FAILED\\s+5.*"));
    }
}
