package org.scow.crane.ctld;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.scow.crane.ctld.TestCluster.alice;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.scow.crane.ctld.model.JobRequest;
import org.scow.crane.protocol.JobState;
import org.scow.crane.ctld.wal.SnapshotFile;
import org.scow.crane.ctld.wal.Wal;

public class PersistenceTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    /** The durable part of a job view (reason, priority and planned start are recomputed by each pass). */
    private static String durable(JobView v) {
        return v.id() + "|" + v.displayId() + "|" + v.name() + "|" + v.user() + "|" + v.account() + "|" + v.partition()
                + "|" + v.qos() + "|" + v.state() + "|" + v.nodes() + "|" + v.cpus() + "|" + v.gres() + "|" + v.timeLimitSec()
                + "|" + v.submitTime() + "|" + v.startTime() + "|" + v.endTime() + "|" + v.nodeList() + "|" + v.exitCode()
                + "|" + v.held() + "|" + v.requeueCount();
    }

    private static List<String> everything(TestCluster t) {
        List<String> out = new ArrayList<>();
        for (long id = 1; id < 200; id++) {
            JobView v = t.job(id);
            if (v != null) out.add(durable(v));
        }
        for (Controller.NodeView n : t.c.nodes()) out.add(n.toString());
        out.addAll(t.c.transactionLog());
        return out;
    }

    private void workload(TestCluster t) {
        long a = t.submit(alice().name("a").ntasks(8).time("30"));
        t.submit(alice().name("arr").array("1-6%2").time("10"));
        long held = t.submit(alice().name("held").hold(true));
        t.submit(alice().name("dep").dependency("afterok:" + a));
        long gpu = t.submit(alice().name("gpu").partition("gpu").gres("gpu:a100:3"));
        t.c.schedule();
        t.clock.advance(120);
        t.c.jobFinished(gpu, 0, false);
        t.c.setTimeLimit("alice", a, "20");
        t.c.drainNode("root", "cn3", "disk");
        t.c.blockAccountIn("root", "chem", Set.of("gpu"), true);
        t.c.cancel("alice", held);
        t.qos("fast", 10, 0, 0, 0, 0);
        t.submit(new JobRequest("bob", "phys").name("bob").qos("fast").requeue(true));
        t.c.schedule();
        t.clock.advance(30 * 60);
        t.c.schedule();
        t.c.downNode("root", "cn4", "gone");
    }

    @Test
    public void restartReplaysTheLog() throws Exception {
        Path dir = tmp.newFolder().toPath();
        TestCluster t = new TestCluster(dir, null);
        workload(t);
        List<String> before = everything(t);
        t.c.close();
        TestCluster r = new TestCluster(dir, null);
        r.clock.set(t.clock.nowSec());
        assertEquals(before, everything(r));
        // scheduling continues and ids do not repeat
        long next = r.submit(alice().name("after-restart"));
        assertEquals("ids continue after the last acknowledged one", 12, next);
        r.c.schedule();
        r.assertState(next, JobState.RUNNING);
        r.c.close();
    }

    @Test
    public void snapshotsPlusLogTailRecoverTheSameState() throws Exception {
        Path dir = tmp.newFolder().toPath();
        TestCluster t = new TestCluster(dir, cfg -> cfg.snapshotEveryRecords = 5);
        workload(t);
        t.c.snapshot();
        t.submit(alice().name("tail1"));
        t.submit(alice().name("tail2"));
        List<String> before = everything(t);
        t.c.close();
        assertEquals(1, SnapshotFile.list(dir).size());
        assertTrue("old segments are dropped", Wal.segments(dir).size() <= 2);
        TestCluster r = new TestCluster(dir, cfg -> cfg.snapshotEveryRecords = 5);
        assertEquals(before, everything(r));
        r.c.close();
    }

    @Test
    public void tornTailIsCutAndEverythingBeforeItSurvives() throws Exception {
        Path dir = tmp.newFolder().toPath();
        TestCluster t = new TestCluster(dir, null);
        for (int i = 0; i < 20; i++) t.submit(alice().name("j" + i));
        List<String> before = everything(t);
        t.c.close();
        List<Path> segs = Wal.segments(dir);
        Path last = segs.get(segs.size() - 1);
        long size = Files.size(last);
        // a half-written record and garbage, as a crash in the middle of write() leaves them
        Files.write(last, new byte[] {0, 0, 0, 40, 1, 2, 3, 4, 5, 6, 7}, StandardOpenOption.APPEND);
        TestCluster r = new TestCluster(dir, null);
        assertEquals(before, everything(r));
        assertEquals(size, Files.size(last));
        long id = r.submit(alice().name("new"));
        r.c.close();
        TestCluster r2 = new TestCluster(dir, null);
        assertNotNull(r2.job(id));
        assertEquals("new", r2.job(id).name());
        r2.c.close();
    }

    @Test
    public void damagedSnapshotFallsBackToAnOlderStateNeverAPartialOne() throws IOException {
        Path dir = tmp.newFolder().toPath();
        TestCluster t = new TestCluster(dir, null);
        for (int i = 0; i < 5; i++) t.submit(alice().name("j" + i));
        t.c.snapshot();
        t.c.close();
        Path snap = SnapshotFile.list(dir).get(0);
        byte[] b = Files.readAllBytes(snap);
        b[b.length / 2] ^= 0x55;
        Files.write(snap, b);
        assertEquals(null, SnapshotFile.read(snap));
    }
}
