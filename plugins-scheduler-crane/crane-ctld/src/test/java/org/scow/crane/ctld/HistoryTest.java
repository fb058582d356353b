package org.scow.crane.ctld;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;
import static org.scow.crane.ctld.TestCluster.alice;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.function.Consumer;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.scow.crane.ctld.history.HistoryStore;
import org.scow.crane.protocol.JobState;

/** The durable job history: StateDir/history/YYYY-MM-DD.jobs. */
public class HistoryTest {
    private static final long DAY = 86400;
    /** Midnight UTC of the test clock's first day. */
    private static final long DAY0 = TestCluster.T0 / DAY * DAY;

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private static Consumer<CtldConfig> memory(int jobs) {
        return cfg -> {
            cfg.historyMemoryJobs = jobs;
            cfg.snapshotEveryRecords = 0;
        };
    }

    /** Submits and finishes {@code n} jobs at the current clock time; returns their ids. */
    private static List<Long> finish(TestCluster t, int n, String prefix) {
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) ids.add(t.submit(alice().name(prefix + i).time("10")));
        t.c.schedule();
        for (long id : ids) {
            t.assertState(id, JobState.RUNNING);
            t.c.jobFinished(id, (int) (id % 3), false);
        }
        return ids;
    }

    /** Finishes jobs on three days: 4 at 01:00 of DAY0+1, 5 at 12:00 of DAY0+2, 3 at 23:00 of DAY0+3. */
    private static List<Long> threeDays(TestCluster t) {
        List<Long> all = new ArrayList<>();
        t.clock.set(DAY0 + DAY + 3600);
        all.addAll(finish(t, 4, "d1-"));
        t.clock.set(DAY0 + 2 * DAY + 12 * 3600);
        all.addAll(finish(t, 5, "d2-"));
        t.clock.set(DAY0 + 3 * DAY + 23 * 3600);
        all.addAll(finish(t, 3, "d3-"));
        return all;
    }

    private static List<Long> ids(List<JobView> vs) {
        List<Long> out = new ArrayList<>();
        for (JobView v : vs) out.add(v.id());
        return out;
    }

    private static List<Long> allIds(TestCluster t) {
        return ids(t.c.history(0, Long.MAX_VALUE, 0, Integer.MAX_VALUE));
    }

    private static void assertOnceEach(List<Long> expected, List<Long> actual) {
        assertEquals("no duplicates", new HashSet<>(actual).size(), actual.size());
        assertEquals(new HashSet<>(expected), new HashSet<>(actual));
    }

    /** A view without the fields the history does not keep (priority and planned start mean nothing once finished). */
    private static String comparable(JobView v) {
        return v.toString().replaceAll("priority=-?\\d+", "").replaceAll("expectedStart=-?\\d+", "");
    }

    private Path historyDir(Path state) {
        return state.resolve("history");
    }

    @Test
    public void rangesAndPagingAcrossDaysMatchTheInMemoryHistory() throws Exception {
        Path dir = tmp.newFolder().toPath();
        TestCluster disk = new TestCluster(dir, memory(2));
        TestCluster mem = new TestCluster(null, null);
        List<Long> a = threeDays(disk);
        assertEquals(a, threeDays(mem));
        assertEquals(a, allIds(disk));
        assertEquals("one file per day of end time (written at the latest by the query)", 3, names(historyDir(dir)).size());
        long[][] ranges = {{0, Long.MAX_VALUE}, {DAY0 + DAY, DAY0 + 2 * DAY}, {DAY0 + DAY + 3600, DAY0 + 2 * DAY + 12 * 3600 + 1},
                {DAY0 + DAY + 3601, DAY0 + 3 * DAY + 23 * 3600}, {DAY0 + 5 * DAY, DAY0 + 9 * DAY}, {5, 5}};
        for (long[] r : ranges) {
            for (int offset = 0; offset <= 13; offset++) {
                for (int limit : new int[] {0, 1, 2, 3, 5, 100}) {
                    List<JobView> d = disk.c.history(r[0], r[1], offset, limit);
                    List<JobView> m = mem.c.history(r[0], r[1], offset, limit);
                    assertEquals("range " + r[0] + ".." + r[1] + " offset " + offset + " limit " + limit, ids(m), ids(d));
                }
            }
        }
        // the same fields as the live view had (reason and priority aside, which a pass recomputes)
        JobView fromFile = disk.c.history(DAY0 + 2 * DAY, DAY0 + 3 * DAY, 2, 1).get(0);
        JobView fromMem = mem.c.history(DAY0 + 2 * DAY, DAY0 + 3 * DAY, 2, 1).get(0);
        assertEquals(comparable(fromMem), comparable(fromFile));
        assertEquals("d2-2", fromFile.name());
        // a day's page walks forward by end time then id
        List<Long> paged = new ArrayList<>();
        for (int off = 0; ; off += 2) {
            List<JobView> p = disk.c.history(0, Long.MAX_VALUE, off, 2);
            if (p.isEmpty()) break;
            paged.addAll(ids(p));
        }
        assertEquals(a, paged);
        disk.c.close();
        mem.c.close();
    }

    @Test
    public void oldFinishedJobIsFoundByIdAfterItLeftMemory() throws Exception {
        Path dir = tmp.newFolder().toPath();
        TestCluster t = new TestCluster(dir, memory(2));
        List<Long> a = threeDays(t);
        long first = a.get(0);
        JobView v = t.job(first);
        assertNotNull("a finished job outside the memory window is read from its day file", v);
        assertEquals("d1-0", v.name());
        assertTrue(v.state().finished());
        assertEquals(DAY0 + DAY + 3600, v.endTime());
        assertEquals((int) (first % 3), v.exitCode());
        try {
            t.c.cancel("alice", first);
            fail("cancelling a finished job");
        } catch (CtldException e) {
            assertEquals(CtldException.Code.INVALID_STATE, e.code());
        }
        assertEquals(null, t.job(10_000));
        t.c.close();
        TestCluster r = new TestCluster(dir, memory(2));
        assertEquals("d1-0", r.job(first).name());
        assertEquals("d3-2", r.job(a.get(a.size() - 1)).name());
        r.c.close();
    }

    @Test
    public void historySurvivesRestartsAndSnapshotsOnceEach() throws Exception {
        Path dir = tmp.newFolder().toPath();
        TestCluster t = new TestCluster(dir, memory(3));
        List<Long> a = new ArrayList<>(threeDays(t));
        t.c.snapshot();
        t.clock.set(DAY0 + 4 * DAY);
        a.addAll(finish(t, 2, "after-snap-"));
        t.c.close();
        TestCluster r = new TestCluster(dir, memory(3));
        r.clock.set(DAY0 + 4 * DAY + 60);
        assertOnceEach(a, allIds(r));
        a.addAll(finish(r, 2, "second-run-"));
        r.c.snapshot();
        r.c.close();
        TestCluster r2 = new TestCluster(dir, memory(3));
        assertOnceEach(a, allIds(r2));
        assertEquals(a, allIds(r2));
        r2.c.close();
    }

    @Test
    public void retentionDeletesWholeOldDays() throws Exception {
        Path dir = tmp.newFolder().toPath();
        Consumer<CtldConfig> cfg = c -> {
            memory(2).accept(c);
            c.historyRetentionSec = 2 * DAY;
        };
        TestCluster t = new TestCluster(dir, cfg);
        List<Long> a = threeDays(t);
        // today is DAY0+3: two days kept means DAY0+2 and DAY0+3
        t.c.snapshot();
        assertEquals(List.of(HistoryStore.fileName(HistoryStore.dayOf(DAY0 + 2 * DAY)), HistoryStore.fileName(HistoryStore.dayOf(DAY0 + 3 * DAY))),
                names(historyDir(dir)));
        assertEquals(a.subList(4, a.size()), allIds(t));
        t.c.close();
        // on start, with the clock two days on, only the last day is kept
        TestCluster r = new TestCluster(dir, cfg);
        r.clock.set(DAY0 + 4 * DAY);
        r.c.close();
        TestCluster r2 = new TestCluster(dir, cfg);
        r2.clock.set(DAY0 + 4 * DAY);
        r2.c.snapshot();
        assertEquals(List.of(HistoryStore.fileName(HistoryStore.dayOf(DAY0 + 3 * DAY))), names(historyDir(dir)));
        assertEquals(a.subList(9, a.size()), allIds(r2));
        r2.c.close();
    }

    private static List<String> names(Path d) throws IOException {
        List<String> out = new ArrayList<>();
        try (var s = Files.list(d)) {
            s.forEach(p -> out.add(p.getFileName().toString()));
        }
        out.sort(null);
        return out;
    }

    @Test
    public void tornTailOfADayFileIsCutAndRewrittenFromTheWal() throws Exception {
        Path dir = tmp.newFolder().toPath();
        TestCluster t = new TestCluster(dir, memory(2));
        t.clock.set(DAY0 + DAY + 3600);
        List<Long> a = new ArrayList<>(finish(t, 3, "before-snap-"));
        t.c.snapshot();
        a.addAll(finish(t, 6, "after-snap-"));
        t.c.close();
        Path f = historyDir(dir).resolve(HistoryStore.fileName(HistoryStore.dayOf(DAY0 + DAY)));
        long size = Files.size(f);
        // a crash in the middle of write(): the last record and a half are missing, garbage follows
        long cut = size - size / 9 * 3 / 2;
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
            ch.truncate(cut);
        }
        Files.write(f, new byte[] {0, 0, 1, 0, 9, 9, 9, 9, 1, 2, 3}, StandardOpenOption.APPEND);
        TestCluster r = new TestCluster(dir, memory(2));
        assertEquals(a, allIds(r));
        assertEquals("the file is whole again", size, Files.size(f));
        r.c.close();
        // a day file lost entirely after the snapshot is re-created too
        Files.delete(f);
        TestCluster r2 = new TestCluster(dir, memory(2));
        assertEquals(a.subList(3, a.size()), allIds(r2));
        r2.c.close();
    }

    @Test
    public void badRetentionIsRefused() {
        try {
            CtldConfig.parse("HistoryRetention=30\nNode name=n1 cpus=1 mem=1G\nPartition name=p nodes=n1 default=yes\n");
            fail("30 minutes of history");
        } catch (CtldException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("HistoryRetention"));
        }
        CtldConfig c = CtldConfig.parse("HistoryRetention=400-0\nHistoryRetentionJobs=77\nNode name=n1 cpus=1 mem=1G\nPartition name=p nodes=n1 default=yes\n");
        assertEquals(400, c.historyRetentionDays());
        assertEquals("the old key now sizes the memory window", 77, c.historyMemoryJobs);
        assertFalse(c.historyFlushMs <= 0);
    }

}
