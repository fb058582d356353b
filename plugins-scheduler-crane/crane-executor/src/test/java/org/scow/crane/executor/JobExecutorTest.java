package org.scow.crane.executor;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.scow.crane.protocol.JobState;

/**
 * The executor with real processes: environment, output files, exit codes, cancel and time limit killing the whole
 * tree, a job as another user, the memory limit, single-user mode, and re-adoption after an executor restart.
 * Runs as root on this machine (the normal case of a node daemon); the cgroup test requires writable cgroups.
 */
public class JobExecutorTest {
    private static final String ME = System.getProperty("user.name");
    private Path dir;
    private Path spool;
    private final List<ExecutorHarness> harnesses = new ArrayList<>();

    @Before
    public void dirs() throws Exception {
        dir = TestUsers.sharedDir("crane-exec-work");
        spool = TestUsers.sharedDir("crane-exec-spool").resolve("spool");
    }

    @After
    public void closeAll() {
        harnesses.forEach(ExecutorHarness::close);
    }

    /**
     * These tests run most jobs as themselves (root) and as the system account {@link TestUsers#USER}: they opt in
     * explicitly, as a single-user test machine would.
     */
    private ExecutorHarness harness(ExecutorConfig cfg) throws Exception {
        return plainHarness(cfg.allowRootJobs(true).allowedSystemUsers(java.util.Set.of(TestUsers.USER)));
    }

    private ExecutorHarness plainHarness(ExecutorConfig cfg) throws Exception {
        ExecutorHarness h = new ExecutorHarness(cfg.spoolDir(spool).killWaitMs(1000).gpus(2).clusterName("testc"));
        harnesses.add(h);
        return h;
    }

    private static Map<String, String> readEnv(Path file) throws Exception {
        Map<String, String> env = new HashMap<>();
        for (String l : Files.readAllLines(file)) {
            int eq = l.indexOf('=');
            if (eq > 0) env.put(l.substring(0, eq), l.substring(eq + 1));
        }
        return env;
    }

    @Test
    public void environmentWorkingDirectoryAndDefaultOutput() throws Exception {
        ExecutorHarness h = harness(new ExecutorConfig().slurmCompatibleEnv(true));
        var s = ExecutorHarness.spec(ME, dir, "#!/bin/sh\necho cwd=$(pwd)\nenv\necho to-stderr >&2\n");
        s.name = "envjob";
        s.nodes = List.of("n1", "n2");
        s.cpus = 2;
        s.memMb = 3400;
        s.timeLimitSec = 50 * 3600;
        s.arrayJobId = s.id - 3;
        s.arrayTaskId = 3;
        h.exec.start(s.build());
        JobOutcome o = h.await(s.id);
        assertEquals(o.toString(), JobState.COMPLETED, o.state());
        assertEquals(0, o.exitCode());

        Path out = dir.resolve("Crane-" + s.id + ".out");
        assertTrue("default output file " + out, Files.exists(out));
        Map<String, String> env = readEnv(out);
        assertEquals(dir.toString(), env.get("cwd"));
        assertEquals(Long.toString(s.id), env.get("CRANE_JOB_ID"));
        assertEquals("envjob", env.get("CRANE_JOB_NAME"));
        assertEquals("acct", env.get("CRANE_JOB_ACCOUNT"));
        assertEquals("debug", env.get("CRANE_JOB_PARTITION"));
        assertEquals("normal", env.get("CRANE_JOB_QOS"));
        assertEquals("n1;n2", env.get("CRANE_JOB_NODELIST"));
        assertEquals("2", env.get("CRANE_JOB_NUM_NODES"));
        assertEquals("2", env.get("CRANE_NTASKS"));
        assertEquals("1", env.get("CRANE_NTASKS_PER_NODE"));
        assertEquals("2", env.get("CRANE_CPUS_PER_TASK"));
        assertEquals("2", env.get("CRANE_CPUS_ON_NODE"));
        assertEquals("3400", env.get("CRANE_MEM_PER_NODE"));
        assertEquals("50:00:00", env.get("CRANE_TIMELIMIT"));
        assertEquals("/submit/here", env.get("CRANE_SUBMIT_DIR"));
        assertEquals(Long.toString(s.arrayJobId), env.get("CRANE_ARRAY_JOB_ID"));
        assertEquals("3", env.get("CRANE_ARRAY_TASK_ID"));
        assertEquals("0", env.get("CRANE_GPUS"));
        assertEquals("", env.get("CUDA_VISIBLE_DEVICES"));
        assertEquals("testc", env.get("CRANE_CLUSTER_NAME"));
        assertEquals("kept", env.get("MY_VAR"));
        assertEquals(ME, env.get("USER"));
        // Slurm aliases: same values, Slurm's compressed host list
        assertEquals(Long.toString(s.id), env.get("SLURM_JOB_ID"));
        assertEquals("n[1-2]", env.get("SLURM_JOB_NODELIST"));
        assertEquals("2", env.get("SLURM_CPUS_PER_TASK"));
        assertEquals("3", env.get("SLURM_ARRAY_TASK_ID"));
        assertTrue("stderr goes to the same file", Files.readString(out).contains("to-stderr"));
    }

    @Test
    public void noSlurmAliasesUnlessEnabledAndGpusAreHandedOut() throws Exception {
        ExecutorHarness h = harness(new ExecutorConfig());
        var s = ExecutorHarness.spec(ME, dir, "#!/bin/sh\nenv\n");
        JobSpec base = s.build();
        JobSpec gpuJob = new JobSpec(base.jobId(), base.startTime(), 0, 0, "g", ME, "a", "p", "q", base.nodes(), 1, 1,
                1, 1, 0, 2, 60, dir.toString(), base.script(), List.of(), null, null);
        h.exec.start(gpuJob);
        assertEquals(JobState.COMPLETED, h.await(s.id).state());
        Map<String, String> env = readEnv(dir.resolve("Crane-" + s.id + ".out"));
        assertEquals("2", env.get("CRANE_GPUS"));
        assertEquals("0,1", env.get("CUDA_VISIBLE_DEVICES"));
        assertFalse(env.containsKey("SLURM_JOB_ID"));
        assertFalse("no array variables outside arrays", env.containsKey("CRANE_ARRAY_JOB_ID"));
    }

    @Test
    public void outputFilePatterns() throws Exception {
        ExecutorHarness h = harness(new ExecutorConfig());
        var s = ExecutorHarness.spec(ME, dir, "#!/bin/sh\necho out\necho err >&2\n");
        s.name = "pat";
        s.nodes = List.of("node7.cluster.example");
        s.arrayJobId = 500;
        s.arrayTaskId = 7;
        s.stdout = "o-%x-%j-%u-%N-%A_%a-100%%.txt";
        s.stderr = dir.resolve("sub").toString() + "/e-%8j.txt";
        Files.createDirectories(dir.resolve("sub"));
        Files.setPosixFilePermissions(dir.resolve("sub"), java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
        h.exec.start(s.build());
        assertEquals(JobState.COMPLETED, h.await(s.id).state());
        Path out = dir.resolve("o-pat-" + s.id + "-" + ME + "-node7-500_7-100%.txt");
        Path err = dir.resolve("sub").resolve(String.format("e-%08d.txt", s.id));
        assertEquals("out\n", Files.readString(out));
        assertEquals("err\n", Files.readString(err));
        var nine = ExecutorHarness.spec(ME, dir, "x");
        nine.id = 9;
        assertEquals("Crane-9.out", OutputPatterns.expand(nine.build(), OutputPatterns.DEFAULT));
        assertEquals("a%zb%", OutputPatterns.expand(s.build(), "a%zb%"));
    }

    @Test
    public void exitCodesAndSignals() throws Exception {
        ExecutorHarness h = harness(new ExecutorConfig());
        var ok = ExecutorHarness.spec(ME, dir, "#!/bin/bash\ntrue\n");
        var fail = ExecutorHarness.spec(ME, dir, "#!/bin/bash\necho failing\nexit 3\n");
        var killed = ExecutorHarness.spec(ME, dir, "#!/bin/bash\nkill -KILL $$\n");
        var noShebang = ExecutorHarness.spec(ME, dir, "echo plain sh\nexit 4\n");
        for (var s : List.of(ok, fail, killed, noShebang)) h.exec.start(s.build());
        JobOutcome done = h.await(ok.id);
        assertEquals(new JobOutcome(JobState.COMPLETED, 0, 0, null, done.endTime()), done);
        assertTrue(Math.abs(System.currentTimeMillis() / 1000 - done.endTime()) < 60);
        JobOutcome f = h.await(fail.id);
        assertEquals(JobState.FAILED, f.state());
        assertEquals(3, f.exitCode());
        JobOutcome k = h.await(killed.id);
        assertEquals(JobState.FAILED, k.state());
        assertEquals(137, k.exitCode());
        assertEquals(9, k.signal());
        JobOutcome n = h.await(noShebang.id);
        assertEquals(4, n.exitCode());
        assertEquals("plain sh\n", Files.readString(dir.resolve("Crane-" + noShebang.id + ".out")));
    }

    @Test
    public void setupErrorsFailTheJobWithTheReason() throws Exception {
        ExecutorHarness h = harness(new ExecutorConfig());
        var badDir = ExecutorHarness.spec(ME, dir.resolve("does-not-exist"), "#!/bin/sh\ntrue\n");
        var badUser = ExecutorHarness.spec("no-such-user-x", dir, "#!/bin/sh\ntrue\n");
        h.exec.start(badDir.build());
        h.exec.start(badUser.build());
        JobOutcome d = h.await(badDir.id);
        assertEquals(JobState.FAILED, d.state());
        assertTrue(d.message(), d.message().contains("does-not-exist"));
        JobOutcome u = h.await(badUser.id);
        assertEquals(JobState.FAILED, u.state());
        assertTrue(u.message(), u.message().contains("no-such-user-x"));
    }

    /** Every way a job can fail to start says why (the controller shows it as the job's reason). */
    @Test
    public void jobsThatCannotStartSayWhy() throws Exception {
        ExecutorHarness h = harness(new ExecutorConfig());
        var badDir = ExecutorHarness.spec(ME, dir.resolve("no-such-dir"), "#!/bin/sh\ntrue\n");
        var badOut = ExecutorHarness.spec(ME, dir, "#!/bin/sh\ntrue\n");
        badOut.stdout = dir.resolve("no-such-dir/out.txt").toString();
        var badInterp = ExecutorHarness.spec(ME, dir, "#!/nonexistent/python9\nprint(1)\n");
        var fails = ExecutorHarness.spec(ME, dir, "#!/bin/sh\nexit 127\n");
        for (var s : List.of(badDir, badOut, badInterp, fails)) h.exec.start(s.build());
        JobOutcome d = h.await(badDir.id);
        assertEquals(JobState.FAILED, d.state());
        assertTrue(d.message(), d.message().startsWith("could not start: ") && d.message().contains("no-such-dir"));
        JobOutcome o = h.await(badOut.id);
        assertEquals(JobState.FAILED, o.state());
        assertTrue(o.message(), o.message().startsWith("could not start: ") && o.message().contains("out.txt"));
        JobOutcome i = h.await(badInterp.id);
        assertEquals(JobState.FAILED, i.state());
        assertEquals(127, i.exitCode());
        assertEquals("could not start: the script's interpreter /nonexistent/python9 does not exist on this node", i.message());
        Path plain = Files.writeString(dir.resolve("not-an-interpreter"), "text\n"); // mode 0644
        assertEquals("the script's interpreter " + plain + " is not an executable file",
                JobExecutor.interpreterProblem("#!" + plain + " -x\ntrue\n"));
        assertEquals(null, JobExecutor.interpreterProblem("#!/bin/sh\n"));
        assertEquals(null, JobExecutor.interpreterProblem("echo no interpreter line\n"));
        // a script that itself exits 127 with a fine interpreter is an ordinary failure, without a made-up reason
        JobOutcome f = h.await(fails.id);
        assertEquals(127, f.exitCode());
        assertEquals(null, f.message());
    }

    @Test
    public void systemAccountsNeverRunJobs() throws Exception {
        UnixUser ordinary = TestUsers.ensureOrdinary();
        // default settings: MinJobUid=1000, root denied, no AllowRootJobs
        ExecutorHarness h = plainHarness(new ExecutorConfig());
        var asRoot = ExecutorHarness.spec("root", dir, "#!/bin/sh\ntouch " + dir.resolve("root-ran") + "\n");
        var asDaemon = ExecutorHarness.spec("daemon", dir, "#!/bin/sh\ntouch " + dir.resolve("daemon-ran") + "\n");
        var asUser = ExecutorHarness.spec(ordinary.name(), dir, "#!/bin/sh\nid -u\n");
        for (var s : List.of(asRoot, asDaemon, asUser)) h.exec.start(s.build());
        JobOutcome r = h.await(asRoot.id);
        assertEquals(JobState.FAILED, r.state());
        assertTrue(r.message(), r.message().contains("user 'root' is a system account (uid 0): jobs may not run as system accounts"));
        JobOutcome d = h.await(asDaemon.id);
        assertEquals(JobState.FAILED, d.state());
        assertTrue(d.message(), d.message().contains("user 'daemon' is a system account (uid 1, below MinJobUid=1000)"));
        JobOutcome u = h.await(asUser.id);
        assertEquals(u.toString(), JobState.COMPLETED, u.state());
        assertFalse("root's script ran", Files.exists(dir.resolve("root-ran")));
        assertFalse("daemon's script ran", Files.exists(dir.resolve("daemon-ran")));
        assertEquals(ordinary.uid() + "\n", Files.readString(dir.resolve("Crane-" + asUser.id + ".out")));
        // single-user mode as root does not turn into a back door for root's jobs
        ExecutorHarness single = plainHarness(new ExecutorConfig().runAsUser(false));
        var mine = ExecutorHarness.spec(ME, dir, "#!/bin/sh\ntouch " + dir.resolve("single-ran") + "\n");
        single.exec.start(mine.build());
        JobOutcome m = single.await(mine.id);
        if ("root".equals(ME)) {
            assertEquals(JobState.FAILED, m.state());
            assertTrue(m.message(), m.message().contains("system account"));
            assertFalse(Files.exists(dir.resolve("single-ran")));
        }
    }

    /** A script whose children ignore SIGTERM, and record their pids so the test can check they are gone. */
    private static String stubbornTree(Path pids) {
        return "#!/bin/bash\n"
                + "(trap '' TERM; sleep 300) &\n"
                + "echo $! >> " + pids + "\n"
                + "sleep 300 &\n"
                + "echo $! >> " + pids + "\n"
                + "echo $$ >> " + pids + "\n"
                + "wait\n";
    }

    private static List<Long> awaitPids(Path file, int n) throws Exception {
        for (int i = 0; i < 2000; i++) {
            if (Files.exists(file)) {
                List<String> l = Files.readAllLines(file);
                if (l.size() >= n) return l.stream().map(Long::parseLong).toList();
            }
            Thread.sleep(10);
        }
        throw new AssertionError("the job did not start its processes");
    }

    private static void assertAllGone(List<Long> pids) {
        for (long pid : pids) {
            // a killed orphan may stay a zombie until init reaps it: it holds nothing but its pid
            boolean alive = ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) && !ProcessTree.isZombie(pid);
            assertFalse("process " + pid + " of the job survived", alive);
        }
    }

    @Test
    public void cancelKillsTheWholeTree() throws Exception {
        ExecutorHarness h = harness(new ExecutorConfig());
        Path pids = dir.resolve("pids-cancel");
        var s = ExecutorHarness.spec(ME, dir, stubbornTree(pids));
        JobSpec spec = s.build();
        h.exec.start(spec);
        List<Long> tree = awaitPids(pids, 3);
        h.exec.terminate(s.id, spec.startTime(), JobState.CANCELLED);
        JobOutcome o = h.await(s.id);
        assertEquals(JobState.CANCELLED, o.state());
        assertAllGone(tree);
        // the outcome is delivered before the run leaves the running set (so a report is never missing from both)
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (h.exec.runningCount() != 0 && System.nanoTime() < deadline) Thread.sleep(10);
        assertEquals(0, h.exec.runningCount());
    }

    @Test
    public void timeLimitTerminationEndsTimeoutAndKillsTheTree() throws Exception {
        ExecutorHarness h = harness(new ExecutorConfig());
        Path pids = dir.resolve("pids-timeout");
        var s = ExecutorHarness.spec(ME, dir, stubbornTree(pids));
        JobSpec spec = s.build();
        h.exec.start(spec);
        List<Long> tree = awaitPids(pids, 3);
        h.exec.terminate(s.id, 0, JobState.TIMEOUT);
        JobOutcome o = h.await(s.id);
        assertEquals(JobState.TIMEOUT, o.state());
        assertAllGone(tree);
    }

    @Test
    public void terminateBeforeLaunchPreventsTheRun() throws Exception {
        ExecutorHarness h = harness(new ExecutorConfig());
        Path marker = dir.resolve("must-not-exist");
        var s = ExecutorHarness.spec(ME, dir, "#!/bin/sh\ntouch " + marker + "\n");
        JobSpec spec = s.build();
        h.exec.terminate(s.id, spec.startTime(), JobState.CANCELLED);
        h.exec.start(spec);
        assertEquals(JobState.CANCELLED, h.await(s.id).state());
        assertFalse(Files.exists(marker));
    }

    @Test
    public void jobRunsAsItsUserWithItsGroups() throws Exception {
        assertTrue("this test switches users and must run as root", TestUsers.isRoot());
        UnixUser u = TestUsers.ensure(TestUsers.USER);
        ExecutorHarness h = harness(new ExecutorConfig());
        assertTrue(h.exec.runsJobsAsTheirUsers());
        Path rootOnly = dir.resolve("root-only");
        Files.writeString(rootOnly, "secret");
        Files.setPosixFilePermissions(rootOnly, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        var s = ExecutorHarness.spec(u.name(), dir, "#!/bin/sh\necho uid=$(id -u)\necho gid=$(id -g)\necho groups=$(id -G)\n"
                + "echo home=$HOME\ncat " + rootOnly + " 2>/dev/null && echo read-root-file\nexit 0\n");
        h.exec.start(s.build());
        assertEquals(JobState.COMPLETED, h.await(s.id).state());
        Path out = dir.resolve("Crane-" + s.id + ".out");
        Map<String, String> env = readEnv(out);
        assertEquals(Integer.toString(u.uid()), env.get("uid"));
        assertEquals(Integer.toString(u.gid()), env.get("gid"));
        assertFalse("root's supplementary groups were dropped: " + env.get("groups"), (" " + env.get("groups") + " ").contains(" 0 "));
        assertEquals(u.home(), env.get("home"));
        assertFalse("the job read a root-only file", Files.readString(out).contains("read-root-file"));
        assertEquals("output file belongs to the user", u.uid(), Files.getAttribute(out, "unix:uid"));
    }

    @Test
    public void singleUserModeRefusesOtherUsers() throws Exception {
        UnixUser other = TestUsers.ensure(TestUsers.USER);
        ExecutorHarness h = harness(new ExecutorConfig().runAsUser(false));
        assertFalse(h.exec.runsJobsAsTheirUsers());
        var theirs = ExecutorHarness.spec(other.name(), dir, "#!/bin/sh\ntouch " + dir.resolve("theirs") + "\n");
        var mine = ExecutorHarness.spec(ME, dir, "#!/bin/sh\nid -u\n");
        h.exec.start(theirs.build());
        h.exec.start(mine.build());
        JobOutcome refused = h.await(theirs.id);
        assertEquals(JobState.FAILED, refused.state());
        assertTrue(refused.message(), refused.message().contains("single-user mode"));
        assertFalse(Files.exists(dir.resolve("theirs")));
        assertEquals(JobState.COMPLETED, h.await(mine.id).state());
    }

    @Test
    public void memoryOverLimitEndsOutOfMemory() throws Exception {
        ExecutorHarness h = harness(new ExecutorConfig().cgroups(Cgroups.Mode.REQUIRED).cgroupSubdir("crane-test"));
        assertTrue(h.exec.cgroupsActive());
        // dd allocates its whole block: 512 MiB against a 64 MiB limit (memory+swap limited too)
        var hog = ExecutorHarness.spec(ME, dir, "#!/bin/sh\ndd if=/dev/zero of=/dev/null bs=512M count=1\necho survived\n");
        hog.memMb = 64;
        var fits = ExecutorHarness.spec(ME, dir, "#!/bin/sh\ndd if=/dev/zero of=/dev/null bs=8M count=1\n");
        fits.memMb = 64;
        h.exec.start(hog.build());
        h.exec.start(fits.build());
        JobOutcome o = h.await(hog.id);
        assertEquals(o.toString(), JobState.OUT_OF_MEMORY, o.state());
        assertNotNull(o.message());
        assertEquals(JobState.COMPLETED, h.await(fits.id).state());
    }

    @Test
    public void restartedExecutorReadoptsLiveJobsAndReportsEndedOnes() throws Exception {
        ExecutorConfig cfg = new ExecutorConfig();
        ExecutorHarness first = harness(cfg);
        Path pids = dir.resolve("pids-adopt");
        var live = ExecutorHarness.spec(ME, dir, stubbornTree(pids));
        var quick = ExecutorHarness.spec(ME, dir, "#!/bin/sh\nread x < " + dir.resolve("fifo") + "\nexit 5\n");
        var stray = ExecutorHarness.spec(ME, dir, "#!/bin/sh\necho $$ > " + dir.resolve("stray-pid") + "\nsleep 300\n");
        new ProcessBuilder("mkfifo", dir.resolve("fifo").toString()).start().waitFor();
        for (var s : List.of(live, quick, stray)) first.exec.start(s.build());
        List<Long> tree = awaitPids(pids, 3);
        List<Long> strayPid = awaitPids(dir.resolve("stray-pid"), 1);
        first.close(); // the executor goes away; its jobs keep running

        Files.writeString(dir.resolve("fifo"), "go\n"); // 'quick' ends while nobody watches
        for (int i = 0; i < 1000 && Files.readString(spool.resolve("job-" + quick.id).resolve("status")).isBlank(); i++) {
            Thread.sleep(10);
        }
        var lost = ExecutorHarness.spec(ME, dir, "#!/bin/sh\ntrue\n"); // never ran here

        ExecutorHarness second = harness(cfg);
        second.exec.recover(List.of(live.build(), quick.build(), lost.build()));
        JobOutcome q = second.await(quick.id);
        assertEquals(JobState.FAILED, q.state());
        assertEquals(5, q.exitCode());
        assertEquals(JobState.NODE_FAIL, second.await(lost.id).state());
        assertAllGone(strayPid);
        assertTrue("the live job is still running", ProcessHandle.of(tree.get(2)).map(ProcessHandle::isAlive).orElse(false));
        assertEquals(1, second.exec.runningCount());
        second.exec.terminate(live.id, 0, JobState.CANCELLED);
        assertEquals(JobState.CANCELLED, second.await(live.id).state());
        assertAllGone(tree);
    }
}
