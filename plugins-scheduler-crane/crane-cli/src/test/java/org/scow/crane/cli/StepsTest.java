package org.scow.crane.cli;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;
import org.scow.crane.ctld.Clock;
import org.scow.crane.ctld.CtldConfig;
import org.scow.crane.craned.CranedConfig;
import org.scow.crane.craned.NodeDaemon;
import org.scow.crane.protocol.Credential;
import org.scow.crane.protocol.CredentialFiles;
import org.scow.crane.server.CraneServer;

/**
 * Job steps end to end with real processes: a cranectld with node daemons, two craned (stepn1, stepn2) in this JVM whose
 * tasks are real processes (as the test's user, root here, with AllowRootJobs), and the commands both in-process and
 * as real processes (bin/crun, bin/calloc... launchers on this test's class path) where signals, a terminal or a
 * batch job are involved.
 */
public class StepsTest {
    private static final byte[] KEY = new byte[32];
    private static final String USER = System.getProperty("user.name");
    private static Path dir;
    private static Path bin;
    private static Path work;
    private static CraneServer server;
    private static final List<NodeDaemon> daemons = new ArrayList<>();

    record Result(int exit, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    @BeforeClass
    public static void startCluster() throws Exception {
        Arrays.fill(KEY, (byte) 9);
        dir = Files.createTempDirectory(Path.of("/tmp"), "crane-steps-test");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        work = Files.createDirectories(dir.resolve("work"));
        bin = Files.createDirectories(dir.resolve("bin"));
        // node names of this test's own: craned's job cgroups live under crane/<node>, and other tests use cn1...
        CtldConfig cfg = CtldConfig.parse("ClusterName=steps\nNode name=stepn[1-2] cpus=2 mem=1G\n"
                + "Partition name=debug nodes=stepn[1-2] default=yes priority=1 maxtime=1-0\n");
        cfg.stateDir = dir.resolve("state");
        cfg.listenPort = 0;
        cfg.schedulerIntervalMs = 100;
        cfg.minPassGapMs = 0;
        cfg.nodeDaemons = true;
        cfg.nodeTimeoutSec = 30;
        cfg.allowRootJobs = true; // tasks run as the test's own user (root): an explicit opt-in
        server = CraneServer.start(cfg, Clock.SYSTEM, KEY);
        for (String node : List.of("stepn1", "stepn2")) {
            CranedConfig c = new CranedConfig();
            c.nodeName = node;
            c.controllerPort = server.port();
            c.credential = server.issue(Credential.Scope.NODE, node, Duration.ofHours(1));
            c.spoolDir = dir.resolve("spool-" + node).toString();
            c.cpus = 2;
            c.memMb = 1024;
            c.gpus = 0;
            c.heartbeatMs = 200;
            c.killWaitMs = 1000;
            c.allowRootJobs = true;
            c.slurmCompatibleEnv = true;
            daemons.add(NodeDaemon.start(c));
        }
        for (NodeDaemon d : daemons) assertTrue(d.awaitReconciled(30, TimeUnit.SECONDS));
        Result r = run(env(USER), "", "cacctmgr", "add", "account", "phys");
        if (r.exit != 0) fail("account: " + r);
        r = run(env(USER), "", "cacctmgr", "add", "user", USER, "Account=phys");
        if (r.exit != 0) fail("user: " + r);
        // launchers for the commands as real processes
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        for (String cmd : List.of("crun", "calloc", "cbatch", "srun", "salloc")) {
            Path f = bin.resolve(cmd);
            Files.writeString(f, "#!/bin/sh\nexec '" + java + "' -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp '"
                    + System.getProperty("java.class.path") + "' " + Crane.class.getName() + " " + cmd + " \"$@\"\n");
            Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        awaitIdle();
    }

    @AfterClass
    public static void stop() throws Exception {
        try {
            // whatever a failed test left running: its job ends, and with it its steps' processes on both nodes
            run(env(USER), "", "ccancel", "-u", USER);
            awaitIdle();
        } finally {
            for (NodeDaemon d : daemons) d.close();
            if (server != null) server.close();
        }
    }

    static Map<String, String> env(String user) throws IOException {
        Path cred = dir.resolve("home").resolve(user).resolve(".crane").resolve("credential");
        if (!Files.exists(cred)) {
            CredentialFiles.writeCredential(cred, server.issue(Credential.Scope.USER, user, Duration.ofHours(1)), null);
        }
        Path conf = dir.resolve("empty.conf");
        if (!Files.exists(conf)) Files.writeString(conf, "# empty\n");
        Map<String, String> env = new HashMap<>();
        env.put("USER", user);
        env.put("HOME", dir.resolve("home").resolve(user).toString());
        env.put("PATH", bin + ":/usr/bin:/bin");
        env.put("CRANE_CONTROLLER", "127.0.0.1:" + server.port());
        env.put("CRANE_CREDENTIAL", cred.toString());
        env.put("CRANE_CONF", conf.toString());
        return env;
    }

    /** A command in-process. */
    static Result run(Map<String, String> env, String stdin, String cmd, String... args) {
        return runIn(env, work, stdin, cmd, args);
    }

    /** A command in-process in directory {@code cwd}. */
    static Result runIn(Map<String, String> env, Path cwd, String stdin, String cmd, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            rc = Crane.run(cmd, args, new Io(o, e, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), env, cwd));
        }
        return new Result(rc, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static Result ok(String cmd, String... args) throws IOException {
        Result r = run(env(USER), "", cmd, args);
        if (r.exit != 0) fail(cmd + " " + String.join(" ", args) + ": " + r);
        return r;
    }

    /** A command as a real process (bin/NAME), output collected in files of the test directory. */
    static Process start(List<String> argv, Map<String, String> env, Path out) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(argv).directory(work.toFile()).redirectErrorStream(true)
                .redirectOutput(out.toFile());
        pb.environment().clear();
        pb.environment().putAll(env);
        return pb.start();
    }

    static void await(String what, BooleanSupplier cond) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > deadline) fail("timed out waiting for " + what);
            Thread.sleep(20);
        }
    }

    /** Waits until no job runs (allocations of earlier tests released). */
    static void awaitIdle() throws Exception {
        await("an idle cluster", () -> {
            try {
                return ok("cqueue", "-N", "-o", "%j").out.isBlank();
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
    }

    static String cacct(long job) throws IOException {
        return ok("cacct", "-j", Long.toString(job), "-o", "JobId%12,JobName%12,State%12,NNodes,AllocCPUS,ExitCode", "-F").out;
    }

    private static long allocationOf(String stderr) {
        Matcher m = Pattern.compile("Granted job allocation (\\d+)").matcher(stderr);
        if (!m.find()) fail("no allocation granted: " + stderr);
        return Long.parseLong(m.group(1));
    }

    // ---------------------------------------------------------------------------------------------------------------

    @Test
    public void crunAloneRunsLabelledTasksOnTwoNodesAndReleasesItsAllocation() throws Exception {
        awaitIdle();
        Result r = ok("crun", "-N2", "-n4", "--label", "hostname");
        String host = java.net.InetAddress.getLocalHost().getHostName();
        List<String> lines = r.out.lines().sorted().toList();
        assertEquals(r.toString(), 4, lines.size());
        for (int t = 0; t < 4; t++) assertTrue(r.toString(), lines.get(t).startsWith(t + ": "));
        assertTrue(r.toString(), lines.get(0).length() > 3 && (lines.get(0).contains(host) || !lines.get(0).isBlank()));
        long job = allocationOf(r.err);
        // placement: nodes on one machine share a hostname, so the tasks say which node they are on
        r = ok("crun", "-N2", "-n4", "-l", "sh", "-c",
                "echo node=$CRANE_NODEID local=$CRANE_LOCALID of=$CRANE_NTASKS step=$CRANE_STEP_ID slurm=$SLURM_PROCID");
        List<String> got = r.out.lines().sorted().toList();
        assertEquals(r.toString(), List.of("0: node=0 local=0 of=4 step=0 slurm=0", "1: node=0 local=1 of=4 step=0 slurm=1",
                "2: node=1 local=0 of=4 step=0 slurm=2", "3: node=1 local=1 of=4 step=0 slurm=3"), got);
        // the allocation ended with its crun, and the step is in the accounting under its job
        String acct = cacct(job);
        assertTrue(acct, acct.contains(job + ".0") && acct.matches("(?s).*" + job + "\\.0\\s+hostname\\s+COMPLETED\\s+2\\s+4\\s+0.*"));
        assertTrue(acct, acct.matches("(?s).*" + job + "\\s+hostname\\s+CANCELLED.*"));
    }

    @Test
    public void exitCodeIsTheWorstTasksAndStdinGoesToTaskZero() throws Exception {
        awaitIdle();
        Result r = run(env(USER), "", "crun", "-N2", "-n2", "sh", "-c", "exit $((CRANE_PROCID * 3 + 2))");
        assertEquals(r.toString(), 5, r.exit);
        r = run(env(USER), "hello stdin\n", "crun", "-N2", "-n2", "-l", "sh", "-c", "read x; echo \"got[$x]\"");
        assertEquals(r.toString(), 0, r.exit);
        assertTrue(r.toString(), r.out.contains("0: got[hello stdin]") && r.out.contains("1: got[]"));
    }

    @Test
    public void mpiStyleBatchScriptLaunchesStepsWhereEachTaskSeesItsRank() throws Exception {
        awaitIdle();
        Files.writeString(work.resolve("mpi.sh"), "#!/bin/sh\n#CBATCH -N2 -n4\n#CBATCH -o mpi-%j.out\n"
                + "crun sh -c 'echo rank=$CRANE_PROCID of $CRANE_NTASKS on node $CRANE_NODEID step $CRANE_STEP_ID'\n"
                + "srun -n2 sh -c 'echo second rank=$SLURM_PROCID step=$SLURM_STEP_ID'\n");
        Result r = ok("cbatch", "--parsable", "mpi.sh");
        long job = Long.parseLong(r.out.strip());
        await("job " + job + " to finish", () -> {
            try {
                return cacct(job).contains("COMPLETED") && !ok("cqueue", "-N", "-o", "%j").out.contains(Long.toString(job));
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        String out = Files.readString(work.resolve("mpi-" + job + ".out"));
        TreeSet<String> ranks = new TreeSet<>(out.lines().filter(l -> l.startsWith("rank=")).toList());
        assertEquals(out, new TreeSet<>(List.of("rank=0 of 4 on node 0 step 0", "rank=1 of 4 on node 0 step 0",
                "rank=2 of 4 on node 1 step 0", "rank=3 of 4 on node 1 step 0")), ranks);
        assertTrue(out, out.contains("second rank=0 step=1") && out.contains("second rank=1 step=1"));
        String acct = cacct(job);
        assertTrue(acct, acct.matches("(?s).*" + job + "\\.0\\s+sh\\s+COMPLETED\\s+2\\s+4.*"));
        assertTrue(acct, acct.matches("(?s).*" + job + "\\.1\\s+sh\\s+COMPLETED\\s+2\\s+2.*"));
    }

    @Test
    public void callocGrantsTwoNodesAndCrunInsideUsesThem() throws Exception {
        awaitIdle();
        long t0 = System.nanoTime();
        Result r = run(env(USER), "", "calloc", "-N2", "sh", "-c",
                "echo job=$CRANE_JOB_ID nodes=$CRANE_JOB_NODELIST; crun -l hostname; crun sh -c 'echo n$CRANE_NODEID'");
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(r.toString(), 0, r.exit);
        long job = allocationOf(r.err);
        assertTrue(r.toString(), r.out.contains("job=" + job + " nodes=stepn[1-2]"));
        assertTrue(r.toString(), r.out.contains("0: ") && r.out.contains("1: "));
        assertTrue(r.toString(), r.out.contains("n0") && r.out.contains("n1"));
        assertTrue(r.toString(), r.err.contains("Relinquishing job allocation " + job));
        String acct = cacct(job);
        assertTrue(acct, acct.contains(job + ".0") && acct.contains(job + ".1"));
        System.out.println("calloc -N2 with two real crun inside, in-process: " + ms + " ms");
        // time to prompt: a real salloc (the Slurm name) until its command prints
        awaitIdle();
        ProcessBuilder pb = new ProcessBuilder(bin.resolve("salloc").toString(), "-N1", "sh", "-c", "echo prompt")
                .directory(work.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.environment().clear();
        pb.environment().putAll(env(USER));
        long t1 = System.nanoTime();
        Process p = pb.start();
        byte[] first = p.getInputStream().readNBytes(6);
        long toPrompt = (System.nanoTime() - t1) / 1_000_000;
        assertEquals("prompt", new String(first, StandardCharsets.US_ASCII));
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue());
        System.out.println("calloc time to prompt (real process salloc -N1, JVM start included): " + toPrompt + " ms");
    }

    @Test
    public void ctrlCEndsTheStepsWholeProcessTree() throws Exception {
        awaitIdle();
        Path out = dir.resolve("ctrlc.out");
        // sleeps with arguments of this run's own, found by them afterwards
        String marker = "9" + (1000 + new java.util.Random().nextInt(8999));
        Process crun = start(List.of(bin.resolve("crun").toString(), "-N2", "-n2", "sh", "-c",
                "sleep " + marker + "0 & sleep " + marker + "1 & echo started $CRANE_PROCID; wait"), env(USER), out);
        try {
        await("both tasks started", () -> {
            try {
                String s = Files.readString(out);
                return s.contains("started 0") && s.contains("started 1");
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        assertEquals(4, sleepers(marker).size());
        String steps = ok("cqueue", "-s", "-N").out;
        assertTrue(steps, steps.matches("(?s).*\\d+\\.0\\s+sh\\s+.*RUNNING.*"));
        new ProcessBuilder("kill", "-INT", Long.toString(crun.pid())).start().waitFor();
        assertTrue("crun did not end after SIGINT: " + Files.readString(out), crun.waitFor(30, TimeUnit.SECONDS));
        assertTrue(Files.readString(out), crun.exitValue() != 0);
        await("no process of the step left", () -> sleepers(marker).isEmpty());
        long job = allocationOf(Files.readString(out));
        String acct = cacct(job);
        assertTrue(acct, acct.matches("(?s).*" + job + "\\.0\\s+sh\\s+CANCELLED.*"));
        } finally {
            crun.destroy(); // a failed test must not leave its allocation to the next
            crun.waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    public void ccancelOfAStepEndsOnlyThatStep() throws Exception {
        awaitIdle();
        Path out = dir.resolve("cancel.out");
        Process calloc = start(List.of(bin.resolve("calloc").toString(), "-N1", "sh", "-c",
                "crun sleep 3600; echo step-ended $?; crun echo still-allocated"), env(USER), out);
        try {
        await("the step running", () -> {
            try {
                return ok("cqueue", "-s", "-N").out.contains("sleep");
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        String row = ok("cqueue", "-s", "-N", "-o", "%j").out.strip();
        // someone else may not cancel the step
        Result denied = run(env("mallory"), "", "ccancel", row);
        assertEquals(denied.toString(), 1, denied.exit);
        assertTrue(denied.toString(), denied.err.contains("may not run or cancel steps"));
        Result r = ok("ccancel", row);
        assertTrue(r.toString(), r.out.contains("Step " + row + " cancelled"));
        assertTrue(calloc.waitFor(60, TimeUnit.SECONDS));
        String text = Files.readString(out);
        assertEquals(text, 0, calloc.exitValue());
        assertTrue(text, text.contains("still-allocated") && text.matches("(?s).*step-ended [1-9].*"));
        } finally {
            calloc.destroy();
            calloc.waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    public void anotherUserMayNotRunStepsInTheJob() throws Exception {
        awaitIdle();
        Result hold = ok("cbatch", "--parsable", "-N1", "--wrap", "sleep 300");
        long job = Long.parseLong(hold.out.strip());
        await("job running", () -> {
            try {
                return ok("cqueue", "-N", "-o", "%j %t", "-j", Long.toString(job)).out.contains("RUNNING");
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        Result r = run(env("mallory"), "", "crun", "--jobid", Long.toString(job), "id");
        assertEquals(r.toString(), 1, r.exit);
        assertTrue(r.toString(), r.err.contains("may not run or cancel steps in job " + job) && !r.err.contains("Exception"));
        // refusals name the option as written, and exit as bad input
        Result bad = run(env(USER), "", "crun", "--jobid", Long.toString(job), "-N3", "true");
        assertEquals(bad.toString(), 2, bad.exit);
        assertTrue(bad.toString(), bad.err.contains("-N: job " + job + " has 1 node(s); a step may use 1 to 1, not 3"));
        bad = run(env(USER), "", "crun", "--jobid", Long.toString(job), "--pty", "-n", "2", "bash");
        assertEquals(bad.toString(), 2, bad.exit);
        assertTrue(bad.toString(), bad.err.contains("--pty runs one task"));
        // the owner may; latency of a one-task step on an idle allocation, to its first output, in-process
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            long t0 = System.nanoTime();
            Result e = ok("crun", "--jobid", Long.toString(job), "echo", "hi");
            best = Math.min(best, System.nanoTime() - t0);
            assertEquals("hi\n", e.out);
        }
        System.out.println("crun task-launch latency (in-process, whole step incl. first output), best of 5: " + best / 1_000_000 + " ms");
        // the tasks run in the step's own group inside the job's
        String groups = ok("crun", "--jobid", Long.toString(job), "cat", "/proc/self/cgroup").out;
        assertTrue(groups, groups.matches("(?s).*memory:.*/job_" + job + "/step_\\d+\n.*"));
        // as a real process (JVM start included; the test launcher has no class-data archive): time to first output
        long bestReal = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            ProcessBuilder pb = new ProcessBuilder(bin.resolve("crun").toString(), "--jobid", Long.toString(job), "echo", "hi")
                    .directory(work.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD);
            pb.environment().clear();
            pb.environment().putAll(env(USER));
            long t0 = System.nanoTime();
            Process p = pb.start();
            int first = p.getInputStream().read();
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertEquals('h', first);
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            bestReal = Math.min(bestReal, ms);
        }
        System.out.println("crun task-launch latency (real process, to first output byte), best of 3: " + bestReal + " ms");
        ok("ccancel", Long.toString(job));
    }

    @Test
    public void ptyGivesAnInteractiveShell() throws Exception {
        awaitIdle();
        // the test's own pseudo-terminal: util-linux script runs crun on one (its command is this test's fixed text)
        ProcessBuilder pb = new ProcessBuilder("script", "-qfec",
                "stty rows 33 cols 101; " + bin.resolve("crun") + " --pty bash --norc -i", "/dev/null")
                .directory(work.toFile()).redirectErrorStream(true);
        pb.environment().clear();
        pb.environment().putAll(env(USER));
        pb.environment().put("TERM", "dumb");
        Process p = pb.start();
        try {
        ByteArrayOutputStream seen = new ByteArrayOutputStream();
        Thread reader = new Thread(() -> {
            try (InputStream in = p.getInputStream()) {
                byte[] b = new byte[4096];
                int n;
                while ((n = in.read(b)) > 0) {
                    synchronized (seen) {
                        seen.write(b, 0, n);
                    }
                }
            } catch (IOException ignored) {
                // ended
            }
        });
        reader.start();
        OutputStream keys = p.getOutputStream();
        BooleanSupplier granted = () -> text(seen).contains("Granted job allocation");
        await("the allocation", granted);
        // typed until the shell answers: the first keys may arrive before the remote shell reads
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!text(seen).contains("answer=42")) {
            keys.write("echo answer=$((6*7)) tty=$(tty | cut -c1-8) size=$(stty size | tr ' ' x)\r".getBytes(StandardCharsets.US_ASCII));
            keys.flush();
            Thread.sleep(500);
            if (System.nanoTime() > deadline) fail("no answer from the shell: " + text(seen));
        }
        assertTrue(text(seen), text(seen).contains("tty=/dev/pts"));
        assertTrue("crun's terminal size reaches the remote one: " + text(seen), text(seen).contains("size=33x101"));
        keys.write("exit 3\r".getBytes(StandardCharsets.US_ASCII));
        keys.flush();
        assertTrue(text(seen), p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(text(seen), 3, p.exitValue());
        } finally {
            p.descendants().forEach(ProcessHandle::destroy);
            p.destroy();
        }
    }

    private static String text(ByteArrayOutputStream b) {
        synchronized (b) {
            return b.toString(StandardCharsets.UTF_8);
        }
    }

    /** Live sleep processes whose argument starts with PREFIX (not the shells or commands that mention them). */
    private static List<Long> sleepers(String prefix) {
        List<Long> l = new ArrayList<>();
        ProcessHandle.allProcesses().forEach(h -> {
            String cmd = h.info().command().orElse("");
            String[] args = h.info().arguments().orElse(new String[0]);
            if (h.isAlive() && cmd.endsWith("/sleep") && args.length == 1 && args[0].startsWith(prefix)) l.add(h.pid());
        });
        return l;
    }
}
