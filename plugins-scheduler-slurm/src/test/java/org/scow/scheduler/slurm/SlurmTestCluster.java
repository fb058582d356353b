package org.scow.scheduler.slurm;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.scow.api.scheduler.ClusterConfig;
import org.scow.api.scheduler.SchedulerDriver;

/**
 * The real Slurm the integration tests run against, described by system properties whose defaults match
 * {@code shared/peers/slurm-up.sh} (set by failsafe from the pom's {@code slurm.*} properties):
 * {@code slurm.binDir}, {@code slurm.cluster}, {@code slurm.users} (two Unix users that may run jobs),
 * {@code slurm.partition}, {@code slurm.workDir}, {@code slurm.upScript}, {@code slurm.downScript}.
 */
final class SlurmTestCluster {
    static final String BIN_DIR = System.getProperty("slurm.binDir", "/usr/bin");
    static final String CLUSTER = System.getProperty("slurm.cluster", "local");
    static final List<String> USERS = List.of(System.getProperty("slurm.users", "alice,bob").split(","));
    static final String USER_A = USERS.get(0);
    static final String USER_B = USERS.get(1);
    static final String PARTITION = System.getProperty("slurm.partition", "debug");
    static final String WORK_DIR = System.getProperty("slurm.workDir", "/tmp");
    static final String UP_SCRIPT = System.getProperty("slurm.upScript", "/work/shared/peers/slurm-up.sh");
    static final String DOWN_SCRIPT = System.getProperty("slurm.downScript", "/work/shared/peers/slurm-down.sh");

    private SlurmTestCluster() {
    }

    static Map<String, String> settings() {
        Map<String, String> s = new HashMap<>();
        s.put("mode", "local");
        s.put("binDir", BIN_DIR);
        s.put("cluster", CLUSTER);
        s.put("timeoutSeconds", "30");
        return s;
    }

    static SchedulerDriver driver(Map<String, String> overrides) throws Exception {
        Map<String, String> s = settings();
        s.putAll(overrides);
        return new SlurmDriverFactory().create(new ClusterConfig("it", "Slurm IT", "slurm", s));
    }

    /** Fails (never skips) the test when slurmctld does not answer: these tests exist to prove the real thing. */
    static void requireSlurm() throws Exception {
        Result ping = run(Duration.ofSeconds(30), Map.of(), BIN_DIR + "/scontrol", "ping");
        if (ping.code != 0 || !ping.out.contains("UP")) {
            fail("no Slurm cluster answers (scontrol ping: " + ping.out.strip() + ")."
                    + " Start one with: SLURM_USERS=\"" + String.join(" ", USERS) + "\" " + UP_SCRIPT);
        }
    }

    /** slurm-down.sh (MariaDB, which may serve others, stays up) and slurm-up.sh: a full Slurm restart. */
    static void restartSlurm() throws Exception {
        Result down = run(Duration.ofMinutes(3), Map.of(), DOWN_SCRIPT, "--keep-db");
        assertEquals("slurm-down.sh failed: " + down.out, 0, down.code);
        Result up = run(Duration.ofMinutes(5), Map.of("SLURM_USERS", String.join(" ", USERS)), UP_SCRIPT);
        assertEquals("slurm-up.sh failed: " + up.out, 0, up.code);
        requireSlurm();
    }

    record Result(int code, String out) {
    }

    /**
     * Runs a command with its output in a file, not a pipe: the up script starts daemons that could inherit a pipe
     * and keep it open forever.
     */
    static Result run(Duration timeout, Map<String, String> env, String... argv) throws Exception {
        Path log = Files.createTempFile("slurm-it", ".log");
        try {
            ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(log.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            pb.environment().putAll(env);
            Process p;
            try {
                p = pb.start();
            } catch (IOException e) {
                return new Result(-1, e.getMessage());
            }
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                return new Result(-1, "timed out after " + timeout);
            }
            return new Result(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
