package org.scow.crane.server;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.scow.crane.executor.Cgroups;
import org.scow.crane.executor.ExecutorConfig;
import org.scow.crane.executor.TestUsers;
import org.scow.crane.executor.UnixUser;
import org.scow.crane.ctld.Clock;
import org.scow.crane.ctld.Controller;
import org.scow.crane.ctld.CtldConfig;
import org.scow.crane.ctld.JobView;
import org.scow.crane.ctld.model.JobRequest;
import org.scow.crane.protocol.JobState;

/**
 * A single-machine cluster: the controller with the real executor as its launcher, driven by hand (manual clock,
 * explicit scheduling passes), so time limits need no waiting. Every job is a real process.
 */
public class LocalClusterTest {
    private static final String ME = System.getProperty("user.name");
    private final Clock.Manual clock = new Clock.Manual(System.currentTimeMillis() / 1000);
    private Path work;
    private Path state;
    private Controller ctl;
    private LocalLauncher launcher;

    @Before
    public void start() throws Exception {
        TestUsers.ensure(TestUsers.USER);
        work = TestUsers.sharedDir("crane-local-work");
        state = TestUsers.sharedDir("crane-local-state");
        open();
        ctl.addAccount("root", "phys", null, null, null);
        ctl.addUser("root", ME, "phys");
        ctl.addUser("root", TestUsers.USER, "phys");
    }

    private void open() throws Exception {
        CtldConfig cfg = CtldConfig.parse("""
                ClusterName=local
                Node name=localhost cpus=2 mem=4G
                Partition name=debug nodes=localhost default=yes maxtime=1-0
                """);
        cfg.stateDir = state;
        // most jobs here run as the test itself (root) or the system account cranetest: an explicit opt-in
        cfg.allowRootJobs = true;
        cfg.allowedSystemUsers = java.util.Set.of(TestUsers.USER);
        ctl = new Controller(cfg, clock);
        launcher = LocalLauncher.install(ctl, new ExecutorConfig().spoolDir(state.resolve("spool")).killWaitMs(1000)
                .cgroups(Cgroups.Mode.REQUIRED).cgroupSubdir("crane-test-local").gpus(0).allowRootJobs(true)
                .allowedSystemUsers(java.util.Set.of(TestUsers.USER)), () -> { });
    }

    @After
    public void stop() {
        if (launcher != null) {
            for (long id : ctl.runningJobIds(100)) ctl.cancel("root", id);
            waitFor("jobs killed", () -> launcher.executor().runningCount() == 0);
            launcher.close();
        }
        if (ctl != null) ctl.close();
    }

    private long submit(String user, String script, String time, String mem) {
        JobRequest r = new JobRequest(user, "phys").workDir(work.toString()).script(script).time(time);
        if (mem != null) r.mem(mem);
        long id = ctl.submit(user, r).jobId();
        ctl.schedule();
        return id;
    }

    private JobView awaitEnd(long id) {
        waitFor("job " + id + " to end", () -> ctl.job(id).state().finished());
        return ctl.job(id);
    }

    private static void waitFor(String what, BooleanSupplier cond) {
        for (int i = 0; i < 6000; i++) {
            if (cond.getAsBoolean()) return;
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
        throw new AssertionError("timed out waiting for " + what);
    }

    private static List<Long> pidsOf(Path file, int n) throws Exception {
        waitFor("the job's processes", () -> {
            try {
                return Files.exists(file) && Files.readAllLines(file).size() >= n;
            } catch (Exception e) {
                return false;
            }
        });
        return Files.readAllLines(file).stream().map(Long::parseLong).toList();
    }

    /** A zombie (state Z in /proc/PID/stat) has exited: only its parent's wait is missing. */
    private static boolean isZombie(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2) == 'Z';
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private static boolean anyAlive(List<Long> pids) {
        for (long p : pids) {
            if (ProcessHandle.of(p).map(ProcessHandle::isAlive).orElse(false) && !isZombie(p)) return true;
        }
        return false;
    }

    private String tree(Path pids) {
        return "#!/bin/bash\n(trap '' TERM; sleep 300) &\necho $! >> " + pids + "\necho $$ >> " + pids + "\nwait\n";
    }

    /** No silent failures: a job that cannot start ends FAILED with the reason in the controller's view. */
    @Test
    public void aJobThatCannotStartShowsWhy() throws Exception {
        JobRequest r = new JobRequest(ME, "phys").workDir(work.resolve("gone").toString()).script("#!/bin/sh\ntrue\n").time("10");
        long noDir = ctl.submit(ME, r).jobId();
        long noInterp = submit(ME, "#!/usr/bin/python9\nprint(1)\n", "10", null);
        ctl.schedule();
        JobView d = awaitEnd(noDir);
        assertEquals(JobState.FAILED, d.state());
        assertTrue(d.reason(), d.reason().startsWith("could not start: cd: ") && d.reason().contains("gone"));
        JobView i = awaitEnd(noInterp);
        assertEquals(JobState.FAILED, i.state());
        assertEquals("could not start: the script's interpreter /usr/bin/python9 does not exist on this node", i.reason());
        // the reason survives a restart of the controller (WAL replay)
        launcher.close();
        ctl.close();
        open();
        assertEquals(d.reason(), ctl.job(noDir).reason());
        ctl.snapshot();
        launcher.close();
        ctl.close();
        open();
        assertEquals(i.reason(), ctl.job(noInterp).reason());
    }

    @Test
    public void exitStatusDecidesCompletedOrFailed() {
        long ok = submit(ME, "#!/bin/sh\necho hello from $CRANE_JOB_ID on $CRANE_JOB_NODELIST\n", "10", null);
        long bad = submit(ME, "#!/bin/sh\nexit 7\n", "10", null);
        JobView o = awaitEnd(ok);
        assertEquals(JobState.COMPLETED, o.state());
        assertEquals(0, o.exitCode());
        JobView b = awaitEnd(bad);
        assertEquals(JobState.FAILED, b.state());
        assertEquals(7, b.exitCode());
    }

    @Test
    public void outputAsTheJobsUser() throws Exception {
        long id = submit(TestUsers.USER, "#!/bin/sh\nid -un\n", "10", null);
        assertEquals(JobState.COMPLETED, awaitEnd(id).state());
        Path out = work.resolve("Crane-" + id + ".out");
        assertEquals(TestUsers.USER + "\n", Files.readString(out));
        assertEquals(UnixUser.lookup(TestUsers.USER).uid(), Files.getAttribute(out, "unix:uid"));
    }

    @Test
    public void timeLimitEndsTimeoutAndKillsTheTree() throws Exception {
        Path pids = work.resolve("pids-tl");
        long id = submit(ME, tree(pids), "1", null);
        List<Long> procs = pidsOf(pids, 2);
        clock.advance(61);
        ctl.schedule(); // the controller's pass finds the job past its limit, records TIMEOUT and has it killed
        assertEquals(JobState.TIMEOUT, ctl.job(id).state());
        waitFor("the executor to finish the kill", () -> launcher.executor().runningCount() == 0);
        assertFalse("a process of the timed-out job survived", anyAlive(procs));
    }

    @Test
    public void cancelEndsCancelledAndKillsTheTree() throws Exception {
        Path pids = work.resolve("pids-cancel");
        long id = submit(TestUsers.USER, tree(pids), "10", null);
        List<Long> procs = pidsOf(pids, 2);
        ctl.cancel(TestUsers.USER, id);
        assertEquals(JobState.CANCELLED, ctl.job(id).state());
        waitFor("the executor to finish the kill", () -> launcher.executor().runningCount() == 0);
        assertFalse("a process of the cancelled job survived", anyAlive(procs));
    }

    @Test
    public void memoryOverTheRequestEndsOutOfMemory() {
        long id = submit(ME, "#!/bin/sh\ndd if=/dev/zero of=/dev/null bs=512M count=1\n", "10", "64M");
        assertEquals(JobState.OUT_OF_MEMORY, awaitEnd(id).state());
    }

    @Test
    public void controllerRestartReadoptsRunningJobs() throws Exception {
        Path pids = work.resolve("pids-restart");
        long id = submit(ME, tree(pids), "10", null);
        List<Long> procs = pidsOf(pids, 2);
        launcher.close(); // like stopping the Karaf bundle: the job keeps running
        ctl.close();
        assertTrue(anyAlive(procs));

        open(); // recovers the controller from its WAL; the executor re-adopts the job
        assertEquals(JobState.RUNNING, ctl.job(id).state());
        assertEquals(1, launcher.executor().runningCount());
        ctl.cancel("root", id);
        waitFor("the re-adopted job to be killed", () -> launcher.executor().runningCount() == 0);
        assertFalse(anyAlive(procs));
    }
}
