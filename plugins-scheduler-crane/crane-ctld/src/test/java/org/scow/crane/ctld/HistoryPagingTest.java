package org.scow.crane.ctld;

import static org.junit.Assert.assertEquals;
import static org.scow.crane.ctld.TestCluster.alice;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.scow.crane.protocol.JobState;

/**
 * Paged history queries and their totals (the billing feed pushed down to the controller): the day files' counts
 * and sort keys are kept between queries, so these check that walking a window page by page yields every finished
 * job once, in (end time, id) order, also while the files grow between pages and when jobs were written out of
 * end-time order, against the in-memory history as the reference.
 */
public class HistoryPagingTest {
    private static final long DAY = 86400;
    private static final long DAY0 = TestCluster.T0 / DAY * DAY;

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    /** Finishes {@code n} jobs at the clock's time {@code t} in both clusters. */
    private static void finishAt(long t, int n, TestCluster... cs) {
        for (TestCluster c : cs) {
            c.clock.set(t);
            List<Long> ids = new ArrayList<>();
            for (int i = 0; i < n; i++) ids.add(c.submit(alice().name("j" + i).time("10")));
            c.c.schedule();
            for (long id : ids) {
                c.assertState(id, JobState.RUNNING);
                c.c.jobFinished(id, 0, false);
            }
        }
    }

    private static List<Long> walk(TestCluster t, long from, long to, int pageSize) {
        List<Long> out = new ArrayList<>();
        for (int off = 0; ; off += pageSize) {
            List<JobView> p = t.c.history(from, to, off, pageSize);
            for (JobView v : p) out.add(v.id());
            if (p.size() < pageSize) return out;
        }
    }

    private static void assertSame(TestCluster disk, TestCluster mem, long from, long to) {
        List<JobView> all = mem.c.history(from, to, 0, Integer.MAX_VALUE);
        List<JobView> sorted = new ArrayList<>(all);
        sorted.sort(Comparator.comparingLong(JobView::endTime).thenComparingLong(JobView::id));
        assertEquals("the reference is in (end time, id) order", sorted, all);
        List<Long> expected = new ArrayList<>();
        for (JobView v : all) expected.add(v.id());
        String range = "range " + (from - DAY0) + ".." + (to == Long.MAX_VALUE ? "max" : to - DAY0) + " (from DAY0)";
        assertEquals(range + ": total", expected.size(), disk.c.historyCount(from, to));
        assertEquals(range + ": total in memory", expected.size(), mem.c.historyCount(from, to));
        for (int size : new int[] {1, 2, 3, 7, 1000}) {
            List<Long> paged = walk(disk, from, to, size);
            assertEquals(range + " pages of " + size + ": no duplicates", paged.size(), new HashSet<>(paged).size());
            assertEquals(range + " pages of " + size, expected, paged);
        }
    }

    @Test
    public void pagesCoverTheWindowOnceInOrderWhileDayFilesGrow() throws Exception {
        Path dir = tmp.newFolder().toPath();
        TestCluster disk = new TestCluster(dir, cfg -> {
            cfg.historyMemoryJobs = 2;
            cfg.snapshotEveryRecords = 0;
        });
        TestCluster mem = new TestCluster(null, null);
        // several jobs per second (ties broken by id) on three days, and one day written out of end-time order
        finishAt(DAY0 + DAY + 3600, 5, disk, mem);
        finishAt(DAY0 + DAY + 7200, 4, disk, mem);
        finishAt(DAY0 + 2 * DAY + 12 * 3600, 6, disk, mem);
        finishAt(DAY0 + 2 * DAY + 6 * 3600, 3, disk, mem); // earlier end time appended after later ones
        finishAt(DAY0 + 4 * DAY + 10, 4, disk, mem);
        long[][] ranges = {{0, Long.MAX_VALUE}, {DAY0 + DAY, DAY0 + 3 * DAY}, {DAY0 + DAY + 3600, DAY0 + DAY + 7200},
                {DAY0 + DAY + 3601, DAY0 + 4 * DAY + 11}, {DAY0 + 2 * DAY + 6 * 3600, DAY0 + 2 * DAY + 12 * 3600 + 1},
                {DAY0 + 3 * DAY, DAY0 + 4 * DAY}, {DAY0 + 7 * DAY, DAY0 + 8 * DAY}, {9, 9}};
        for (long[] r : ranges) assertSame(disk, mem, r[0], r[1]);
        // the files grow (today's and, out of order, an older day's): the kept counts and keys follow
        finishAt(DAY0 + 4 * DAY + 20, 5, disk, mem);
        finishAt(DAY0 + 4 * DAY + 5, 2, disk, mem);
        for (long[] r : ranges) assertSame(disk, mem, r[0], r[1]);
        // a page taken, then more jobs end, then the next page: nothing skipped or repeated in what was there
        List<Long> first = new ArrayList<>();
        for (JobView v : disk.c.history(0, Long.MAX_VALUE, 0, 10)) first.add(v.id());
        finishAt(DAY0 + 5 * DAY, 3, disk, mem);
        List<Long> rest = walk(disk, 0, Long.MAX_VALUE, 4).subList(10, (int) disk.c.historyCount(0, Long.MAX_VALUE));
        List<Long> all = new ArrayList<>(first);
        all.addAll(rest);
        List<Long> expected = new ArrayList<>();
        for (JobView v : mem.c.history(0, Long.MAX_VALUE, 0, Integer.MAX_VALUE)) expected.add(v.id());
        assertEquals("jobs ending after the window's last end only append", expected, all);
    }

    @Test
    public void countsSurviveARestart() throws Exception {
        Path dir = tmp.newFolder().toPath();
        TestCluster disk = new TestCluster(dir, cfg -> cfg.historyMemoryJobs = 2);
        TestCluster mem = new TestCluster(null, null);
        finishAt(DAY0 + DAY + 60, 6, disk, mem);
        finishAt(DAY0 + 2 * DAY + 60, 6, disk, mem);
        assertSame(disk, mem, 0, Long.MAX_VALUE);
        disk.c.close();
        TestCluster again = new TestCluster(dir, cfg -> cfg.historyMemoryJobs = 2);
        again.clock.set(DAY0 + 2 * DAY + 120);
        assertSame(again, mem, 0, Long.MAX_VALUE);
        assertSame(again, mem, DAY0 + 2 * DAY, DAY0 + 3 * DAY);
        again.c.close();
    }
}
