package org.scow.crane.executor;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
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
 * GPU isolation with the cgroup v1 devices controller, and the GPUs of jobs re-adopted after an executor restart.
 * The machine has no GPUs, so the test makes two fake ones and a fake control device with mknod: character devices
 * with the numbers of /dev/full (1:7), /dev/urandom (1:9) and /dev/random (1:8), which a job's shell does not need
 * (/dev/null, 1:3, it does). Jobs are real processes; runs as root with a writable devices hierarchy.
 */
public class GpuIsolationTest {
    private static final String ME = System.getProperty("user.name");
    /** Own subdirectory, so restarts here never treat job groups of the other tests as strays. */
    private static final String CGROUP_SUBDIR = "crane-test-gpu";
    private Path dir;
    private Path spool;
    private Path gpu0;
    private Path gpu1;
    private Path ctl;
    private final List<ExecutorHarness> harnesses = new ArrayList<>();

    @Before
    public void fakeDevices() throws Exception {
        assertTrue("mknod and the devices cgroup need root", TestUsers.isRoot());
        dir = TestUsers.sharedDir("crane-gpu-work");
        spool = TestUsers.sharedDir("crane-gpu-spool").resolve("spool");
        gpu0 = mknod("gpu0", 7);
        gpu1 = mknod("gpu1", 9);
        ctl = mknod("ctl", 8);
    }

    @After
    public void closeAll() {
        // after a failed assertion, end what the open executors still run
        for (ExecutorHarness h : harnesses) {
            if (h.closed) continue;
            h.exec.runningRuns().forEach((id, start) -> h.exec.terminate(id, start, JobState.CANCELLED));
        }
        harnesses.forEach(ExecutorHarness::close);
    }

    private Path mknod(String name, int minor) throws Exception {
        Path p = dir.resolve(name);
        Process mk = new ProcessBuilder("mknod", "-m", "666", p.toString(), "c", "1", Integer.toString(minor))
                .redirectErrorStream(true).start();
        String out = new String(mk.getInputStream().readAllBytes());
        assertEquals("mknod " + p + ": " + out, 0, mk.waitFor());
        return p;
    }

    private ExecutorConfig isolated() {
        return new ExecutorConfig().cgroups(Cgroups.Mode.REQUIRED).cgroupSubdir(CGROUP_SUBDIR).gpus(2)
                .gpuDevices(List.of(gpu0, gpu1)).gpuSharedDevices(List.of(ctl));
    }

    private ExecutorHarness harness(ExecutorConfig cfg) throws Exception {
        ExecutorHarness h = new ExecutorHarness(cfg.spoolDir(spool).killWaitMs(1000).allowRootJobs(true)
                .allowedSystemUsers(java.util.Set.of(TestUsers.USER)));
        harnesses.add(h);
        return h;
    }

    /** Script lines printing {@code name=open} or {@code name=denied} for each fake device (head really opens it). */
    private String probe(String label) {
        StringBuilder b = new StringBuilder();
        for (Path p : List.of(gpu0, gpu1, ctl)) {
            String n = label + p.getFileName();
            b.append("if head -c 1 ").append(p).append(" >/dev/null; then echo ").append(n).append("=open; else echo ")
                    .append(n).append("=denied; fi\n");
        }
        return b.toString();
    }

    private static Map<String, String> readVars(Path file) throws Exception {
        Map<String, String> m = new HashMap<>();
        for (String l : Files.readAllLines(file)) {
            int eq = l.indexOf('=');
            if (eq > 0) m.put(l.substring(0, eq), l.substring(eq + 1));
        }
        return m;
    }

    private Path out(long id) {
        return dir.resolve("Crane-" + id + ".out");
    }

    @Test
    public void eachJobOpensOnlyItsOwnGpus() throws Exception {
        ExecutorHarness h = harness(isolated());
        assertTrue(h.exec.gpusIsolated());
        assertNull(h.exec.gpuIsolationProblem());
        String script = "#!/bin/sh\necho cuda=$CUDA_VISIBLE_DEVICES\n" + probe("");

        var one = ExecutorHarness.spec(ME, dir, script);
        one.gpus = 1;
        h.exec.start(one.build());
        assertEquals(JobState.COMPLETED, h.await(one.id).state());
        Map<String, String> v = readVars(out(one.id));
        assertEquals("0", v.get("cuda"));
        assertEquals("open", v.get("gpu0"));
        assertEquals("denied", v.get("gpu1"));
        assertEquals("a GPU job may use the control device", "open", v.get("ctl"));
        assertTrue("the kernel refuses the other GPU: " + Files.readString(out(one.id)),
                Files.readString(out(one.id)).contains("Operation not permitted"));

        // a CPU-only job of an unprivileged user, and one with both GPUs, side by side
        UnixUser other = TestUsers.ensure(TestUsers.USER);
        var cpuOnly = ExecutorHarness.spec(other.name(), dir, script);
        var two = ExecutorHarness.spec(ME, dir, script);
        two.gpus = 2;
        h.exec.start(cpuOnly.build());
        h.exec.start(two.build());
        assertEquals(JobState.COMPLETED, h.await(cpuOnly.id).state());
        assertEquals(JobState.COMPLETED, h.await(two.id).state());
        Map<String, String> c = readVars(out(cpuOnly.id));
        assertEquals("", c.get("cuda"));
        assertEquals("denied", c.get("gpu0"));
        assertEquals("denied", c.get("gpu1"));
        assertEquals("a CPU job may not use the control device", "denied", c.get("ctl"));
        Map<String, String> t = readVars(out(two.id));
        assertEquals("0,1", t.get("cuda"));
        assertEquals("open", t.get("gpu0"));
        assertEquals("open", t.get("gpu1"));
        assertEquals("open", t.get("ctl"));
    }

    @Test
    public void withoutCgroupsGpusAreOnlyNamedInTheEnvironment() throws Exception {
        ExecutorHarness h = harness(isolated().cgroups(Cgroups.Mode.OFF));
        assertFalse(h.exec.gpusIsolated());
        assertTrue(h.exec.gpuIsolationProblem(), h.exec.gpuIsolationProblem().contains("no cgroups"));
        var one = ExecutorHarness.spec(ME, dir, "#!/bin/sh\necho cuda=$CUDA_VISIBLE_DEVICES\n" + probe(""));
        one.gpus = 1;
        h.exec.start(one.build());
        assertEquals(JobState.COMPLETED, h.await(one.id).state());
        Map<String, String> v = readVars(out(one.id));
        assertEquals("0", v.get("cuda"));
        assertEquals("the documented fallback: no isolation", "open", v.get("gpu1"));
    }

    @Test
    public void restartedExecutorGivesAdoptedJobsTheirGpusBack() throws Exception {
        ExecutorHarness first = harness(isolated());
        Path go = dir.resolve("go");
        var holdsGpu0 = ExecutorHarness.spec(ME, dir, "#!/bin/sh\nsleep 300\n");
        holdsGpu0.gpus = 1;
        // runs through the restart: probes before it and, once the test creates 'go', after it (waits at most
        // ~2 minutes, so a failed test leaves nothing behind for long)
        Path started = dir.resolve("adopted-started");
        var adopted = ExecutorHarness.spec(ME, dir, "#!/bin/sh\necho cuda=$CUDA_VISIBLE_DEVICES\n" + probe("before-")
                + "touch " + started + "\ni=0\nwhile [ ! -e " + go + " ] && [ $i -lt 1200 ]; do sleep 0.1; i=$((i+1)); done\n"
                + probe("after-"));
        adopted.gpus = 1;
        first.exec.start(holdsGpu0.build());
        first.exec.start(adopted.build());
        // the first job leaves, so only GPU 1 is in use: a restarted executor that re-counted from 0 would give the
        // adopted job GPU 0 and hand GPU 1 out a second time
        first.exec.terminate(holdsGpu0.id, 0, JobState.CANCELLED);
        assertEquals(JobState.CANCELLED, first.await(holdsGpu0.id).state());
        for (int i = 0; i < 12_000 && !Files.exists(started); i++) Thread.sleep(10);
        assertTrue("the adopted job did not start", Files.exists(started));
        assertEquals("1", Files.readString(spool.resolve("job-" + adopted.id).resolve("gpus")).trim());
        first.close();

        ExecutorHarness second = harness(isolated());
        second.exec.recover(List.of(adopted.build()));
        assertEquals(1, second.exec.runningCount());
        var next = ExecutorHarness.spec(ME, dir, "#!/bin/sh\necho cuda=$CUDA_VISIBLE_DEVICES\n" + probe(""));
        next.gpus = 1;
        second.exec.start(next.build());
        assertEquals(JobState.COMPLETED, second.await(next.id).state());
        Map<String, String> n = readVars(out(next.id));
        assertEquals("the new job gets the GPU the adopted job does not hold", "0", n.get("cuda"));
        assertEquals("open", n.get("gpu0"));
        assertEquals("denied", n.get("gpu1"));

        Files.writeString(go, "");
        JobOutcome o = second.await(adopted.id);
        assertEquals(o.toString(), JobState.COMPLETED, o.state());
        Map<String, String> a = readVars(out(adopted.id));
        assertEquals("1", a.get("cuda"));
        for (String when : List.of("before-", "after-")) {
            assertEquals(when, "denied", a.get(when + "gpu0"));
            assertEquals(when, "open", a.get(when + "gpu1"));
        }
    }

    @Test
    public void badDeviceListsAreRefusedWithTheReason() throws Exception {
        Path plain = dir.resolve("plain-file");
        Files.writeString(plain, "x");
        IllegalArgumentException count = assertThrows(IllegalArgumentException.class,
                () -> harness(isolated().gpus(3)));
        assertTrue(count.getMessage(), count.getMessage().contains("one device file per GPU"));
        IllegalArgumentException notDevice = assertThrows(IllegalArgumentException.class,
                () -> harness(isolated().gpuDevices(List.of(gpu0, plain))));
        assertTrue(notDevice.getMessage(), notDevice.getMessage().contains("GPU 1: " + plain));
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> harness(isolated().gpuSharedDevices(List.of(dir.resolve("no-such-device")))));
        assertTrue(missing.getMessage(), missing.getMessage().contains("no-such-device"));
        IllegalArgumentException same = assertThrows(IllegalArgumentException.class,
                () -> harness(isolated().gpuDevices(List.of(gpu0, gpu0))));
        assertTrue(same.getMessage(), same.getMessage().contains("same device (c 1:7)"));
        // -1 GPUs: as many as the list names
        ExecutorHarness h = harness(isolated().gpus(-1));
        var two = ExecutorHarness.spec(ME, dir, "#!/bin/sh\necho cuda=$CUDA_VISIBLE_DEVICES\n");
        two.gpus = 2;
        h.exec.start(two.build());
        assertEquals(JobState.COMPLETED, h.await(two.id).state());
        assertEquals("0,1", readVars(out(two.id)).get("cuda"));
    }

    @Test
    public void deviceNumbersAndAllowListParents() throws Exception {
        Gpus.Device d = Gpus.Device.of(gpu1);
        assertEquals("c 1:9 rwm", d.rule());
        assertEquals(Gpus.Device.of(Path.of("/dev/urandom")).rule(), d.rule());
        Gpus.Device nv = new Gpus.Device(Path.of("/dev/nvidia1"), 'c', 195, 1);
        assertNull("allow-all parent", Cgroups.wildcardProblem(List.of("a *:* rwm"), List.of(nv)));
        assertNull("exact entries are removed by a deny", Cgroups.wildcardProblem(List.of("c 195:1 rwm", "c 1:3 rwm"), List.of(nv)));
        assertNull("other majors", Cgroups.wildcardProblem(List.of("c 136:* rwm"), List.of(nv)));
        assertNotNull(Cgroups.wildcardProblem(List.of("c 1:3 rwm", "c 195:* rwm"), List.of(nv)));
        assertNotNull(Cgroups.wildcardProblem(List.of("c *:* m"), List.of(nv)));
        assertNull("block wildcard, char device", Cgroups.wildcardProblem(List.of("b *:* m"), List.of(nv)));
    }
}
