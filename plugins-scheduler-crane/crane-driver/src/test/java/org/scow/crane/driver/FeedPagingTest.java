package org.scow.crane.driver;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertSame;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;
import org.scow.api.scheduler.ClusterConfig;
import org.scow.api.scheduler.JobField;
import org.scow.api.scheduler.JobFilter;
import org.scow.api.scheduler.JobInfo;
import org.scow.api.scheduler.JobQuery;
import org.scow.api.scheduler.JobState;
import org.scow.api.scheduler.SchedulerDriver;
import org.scow.api.scheduler.TimeRange;
import org.scow.api.scheduler.util.JobQueries;
import org.scow.crane.ctld.Clock;
import org.scow.crane.ctld.Controller;
import org.scow.crane.ctld.CtldConfig;
import org.scow.crane.ctld.model.JobRequest;
import org.scow.crane.protocol.Credential;
import org.scow.crane.protocol.CredentialFiles;
import org.scow.crane.protocol.v1.JobOrder;
import org.scow.crane.server.CraneServer;

/**
 * The billing feed's query (finished jobs in an end-time range, by end time, a page at a time) is answered by the
 * controller, page included ({@link FeedQuery}); its pages must be exactly what the generic path (everything
 * fetched, then filtered, sorted and cut by {@link JobQueries}) gives: same order, no duplicates, no gaps, same total.
 */
public class FeedPagingTest {
    /** Midnight three days ago: credentials are issued by the real clock and checked by the controller's. */
    private static final long T0 = System.currentTimeMillis() / 1000 / 86400 * 86400 - 3 * 86400;
    private static final Clock.Manual CLOCK = new Clock.Manual(T0);
    private static CraneServer server;
    private static SchedulerDriver driver;
    private static Path dir;

    @BeforeClass
    public static void start() throws Exception {
        CraneDriverContractTest.ensureUnixUser(CraneDriverContractTest.USER_A);
        CraneDriverContractTest.ensureUnixUser(CraneDriverContractTest.USER_B);
        dir = Files.createTempDirectory("crane-feed");
        CtldConfig cfg = CtldConfig.parse("""
                ClusterName=feed
                ListenPort=0
                SchedulerIntervalMs=3600000
                HistoryMemoryJobs=3
                Node name=cn[1-2] cpus=4 mem=8G
                Partition name=cpu nodes=cn[1-2] default=yes maxtime=1-0
                """);
        cfg.stateDir = dir.resolve("state");
        cfg.allowedSystemUsers = Set.of(CraneDriverContractTest.USER_A, CraneDriverContractTest.USER_B);
        server = CraneServer.start(cfg, CLOCK);
        Controller c = server.controller();
        c.addAccount("root", "feed", null, null, null);
        c.addUser("root", CraneDriverContractTest.USER_A, "feed");
        c.addUser("root", CraneDriverContractTest.USER_B, "feed");
        // jobs cancelled (finished) over three days, several a second, one batch out of end-time order
        long[][] batches = {{T0 + 3600, 7}, {T0 + 3601, 5}, {T0 + 86400 + 60, 9}, {T0 + 86400 + 30, 4},
                {T0 + 2 * 86400 + 10, 6}};
        for (long[] b : batches) {
            CLOCK.set(b[0]);
            for (int i = 0; i < b[1]; i++) {
                String user = i % 3 == 0 ? CraneDriverContractTest.USER_B : CraneDriverContractTest.USER_A;
                long id = c.submit("root", new JobRequest(user, "feed").name("f" + i).time("10").hold(true)).jobId();
                c.cancel("root", id);
            }
        }
        CLOCK.set(System.currentTimeMillis() / 1000);
        c.submit("root", new JobRequest(CraneDriverContractTest.USER_A, "feed").name("live").time("10").hold(true));
        Path cred = dir.resolve("platform.cred");
        CredentialFiles.writeCredential(cred, server.issue(Credential.Scope.PROXY, "root", Duration.ofHours(1)), null);
        driver = new CraneDriverFactory().create(new ClusterConfig("feed", "Feed", "crane", Map.of(
                "host", "127.0.0.1", "port", String.valueOf(server.port()), "credentialFile", cred.toString())));
    }

    @AfterClass
    public static void stop() throws Exception {
        if (server != null) server.close();
        if (dir != null) deleteTree(dir);
    }

    static void deleteTree(Path root) throws java.io.IOException {
        try (java.util.stream.Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }

    private static Set<JobState> finished() {
        Set<JobState> s = EnumSet.noneOf(JobState.class);
        for (JobState st : JobState.values()) if (st.isFinished()) s.add(st);
        return s;
    }

    /** The generic path: all jobs (no sort: not pushed down), then the whole query applied in memory. */
    private static JobQuery.Result reference(JobQuery q) throws Exception {
        return JobQueries.apply(q, driver.queryJobs(JobQuery.all()).jobs().stream());
    }

    private static List<String> ids(List<JobInfo> js) {
        List<String> out = new ArrayList<>();
        for (JobInfo j : js) out.add(j.jobId());
        return out;
    }

    private static void assertPagesMatch(JobFilter filter) throws Exception {
        JobQuery.Sort byEnd = new JobQuery.Sort(JobField.END_TIME, false);
        JobQuery whole = JobQuery.of(filter).withSort(byEnd);
        assertNotNull("pushed down", FeedQuery.of(whole.withPage(new JobQuery.Page(1, 5))));
        JobQuery.Result ref = reference(whole);
        for (int size : new int[] {1, 4, 5, 1000}) {
            List<String> got = new ArrayList<>();
            for (int page = 1; ; page++) {
                JobQuery.Result r = driver.queryJobs(whole.withPage(new JobQuery.Page(page, size)));
                assertEquals(filter + " page " + page + " of " + size + ": total", ref.totalCount(), r.totalCount());
                assertEquals(ids(JobQueries.apply(whole.withPage(new JobQuery.Page(page, size)), ref.jobs().stream()).jobs()),
                        ids(r.jobs()));
                got.addAll(ids(r.jobs()));
                if (r.jobs().size() < size) break;
            }
            assertEquals("no duplicates", got.size(), new HashSet<>(got).size());
            assertEquals(filter + " pages of " + size, ids(ref.jobs()), got);
        }
    }

    @Test
    public void theBillingFeedsPagesAreTheGenericPathsPages() throws Exception {
        Instant now = Instant.ofEpochSecond(CLOCK.nowSec());
        // the billing feed: finished states, end time from a watermark (or none) to now
        assertPagesMatch(JobFilter.ALL.withStates(finished()).withEndTime(new TimeRange(null, now)));
        assertPagesMatch(JobFilter.ALL.withStates(finished()).withEndTime(new TimeRange(Instant.ofEpochSecond(T0 + 3601), now)));
        // inclusive bounds that fall inside a second, and mid-day ranges
        assertPagesMatch(JobFilter.ALL.withStates(finished()).withEndTime(
                new TimeRange(Instant.ofEpochSecond(T0 + 3600, 500_000_000), Instant.ofEpochSecond(T0 + 86400 + 30, 1))));
        assertPagesMatch(JobFilter.ALL.withEndTime(new TimeRange(Instant.ofEpochSecond(T0 + 86400 + 30), null)));
        // with criteria the controller filters on (paged after filtering)
        assertPagesMatch(JobFilter.ALL.withStates(finished()).withUsers(Set.of(CraneDriverContractTest.USER_B)));
        assertPagesMatch(JobFilter.ALL.withStates(EnumSet.of(JobState.CANCELLED, JobState.RUNNING))
                .withEndTime(new TimeRange(null, now)));
        assertPagesMatch(JobFilter.ALL.withStates(EnumSet.of(JobState.COMPLETED)));
    }

    @Test
    public void onlyQueriesTheControllerAnswersExactlyArePushedDown() {
        JobQuery.Sort byEnd = new JobQuery.Sort(JobField.END_TIME, false);
        JobFilter feed = JobFilter.ALL.withStates(finished()).withEndTime(new TimeRange(null, Instant.ofEpochSecond(T0)));
        org.scow.crane.protocol.v1.JobQuery q = FeedQuery.of(JobQuery.of(feed).withSort(byEnd).withPage(new JobQuery.Page(3, 50)));
        assertEquals(JobOrder.JOB_ORDER_END_TIME, q.getOrder());
        assertEquals(100, q.getOffset());
        assertEquals(50, q.getLimit());
        assertEquals("inclusive upper bound, exclusive on the wire", T0 + 1, q.getEndTo());
        assertEquals(0, q.getEndFrom());
        assertEquals(6, q.getStatesCount());
        assertNull("descending", FeedQuery.of(JobQuery.of(feed).withSort(new JobQuery.Sort(JobField.END_TIME, true))));
        assertNull("another order", FeedQuery.of(JobQuery.of(feed).withSort(new JobQuery.Sort(JobField.NAME, false))));
        assertNull("no order", FeedQuery.of(JobQuery.of(feed)));
        assertNull("submit time is not filtered at the controller", FeedQuery.of(JobQuery.of(feed.withSubmitTime(
                new TimeRange(null, Instant.ofEpochSecond(T0)))).withSort(byEnd)));
        assertNull("live jobs", FeedQuery.of(JobQuery.of(JobFilter.ALL.withStates(EnumSet.of(JobState.RUNNING))).withSort(byEnd)));
        assertSame("no state Crane has", FeedQuery.NONE,
                FeedQuery.of(JobQuery.of(JobFilter.ALL.withStates(EnumSet.of(JobState.PREEMPTED))).withSort(byEnd)));
        assertSame("ends before any job", FeedQuery.NONE, FeedQuery.of(JobQuery.of(JobFilter.ALL.withEndTime(
                new TimeRange(null, Instant.ofEpochSecond(0)))).withSort(byEnd)));
        assertEquals("from rounds up to whole seconds", T0 + 1, FeedQuery.of(JobQuery.of(JobFilter.ALL.withEndTime(
                new TimeRange(Instant.ofEpochSecond(T0, 1), null))).withSort(byEnd)).getEndFrom());
    }
}
