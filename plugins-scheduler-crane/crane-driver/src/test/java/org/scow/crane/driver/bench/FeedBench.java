package org.scow.crane.driver.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.scow.api.scheduler.ClusterConfig;
import org.scow.api.scheduler.JobField;
import org.scow.api.scheduler.JobFilter;
import org.scow.api.scheduler.JobQuery;
import org.scow.api.scheduler.JobState;
import org.scow.api.scheduler.SchedulerDriver;
import org.scow.api.scheduler.TimeRange;
import org.scow.crane.ctld.Clock;
import org.scow.crane.ctld.Controller;
import org.scow.crane.ctld.CtldConfig;
import org.scow.crane.ctld.model.JobRequest;
import org.scow.crane.driver.CraneDriverFactory;
import org.scow.crane.protocol.Credential;
import org.scow.crane.protocol.CredentialFiles;
import org.scow.crane.server.CraneServer;

/**
 * The billing feed through the real stack (CraneDriver -> gRPC -> cranectld -> history files), run by hand, not a
 * test: N jobs finished over DAYS days, then the feed's loop (finished states, end time up to now, by end time,
 * pages of PAGE) fetches them all, timing every page. With the paging at the controller a page costs about the
 * same wherever it is in the window; before, every page re-read and re-sent the whole window. For comparison it
 * also times ONE page the old way (the generic path: the whole window fetched, then sorted and cut in the driver)
 * over the last day's jobs.
 *
 * <pre>
 * cd plugins-scheduler-crane/crane-driver
 * mvn -o -q test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
 * java -Xmx2g -cp "target/classes:target/test-classes:$(cat target/cp.txt)" \
 *      org.scow.crane.driver.bench.FeedBench [N=1000000] [DAYS=10] [PAGE=1000]
 * </pre>
 */
public final class FeedBench {
    private FeedBench() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int days = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int pageSize = args.length > 2 ? Integer.parseInt(args[2]) : 1000;
        long now = System.currentTimeMillis() / 1000;
        long day0 = now / 86400 * 86400 - days * 86400L;
        Clock.Manual clock = new Clock.Manual(day0);
        Path dir = Files.createTempDirectory("crane-feed-bench");
        CtldConfig cfg = CtldConfig.parse("Node name=c[1-200] cpus=64 mem=256G\n"
                + "Partition name=batch nodes=c[1-200] default=yes maxtime=7-0\n"
                + "MaxPendingJobs=4000000\nSnapshotEveryRecords=0\nSchedulerIntervalMs=3600000\nListenPort=0\n");
        cfg.stateDir = dir.resolve("state");
        try (CraneServer server = CraneServer.start(cfg, clock)) {
            Controller c = server.controller();
            c.addAccount("root", "acct", null, null, null);
            c.addUser("root", "user1", "acct");
            long t0 = System.nanoTime();
            int step = 10_000;
            for (int done = 0; done < n; done += step) {
                List<JobRequest> batch = new ArrayList<>(1000);
                for (int i = 0; i < step; i++) {
                    batch.add(new JobRequest("user1", "acct").name("f" + (done + i)).ntasks(1).time("10"));
                    if (batch.size() == 1000) {
                        c.submitBatch("root", batch);
                        batch.clear();
                    }
                }
                c.schedule();
                long[] ids = c.runningJobIds(Integer.MAX_VALUE);
                c.jobsFinished(ids, new int[ids.length]);
                clock.advance(86400L * days * step / n);
            }
            clock.set(now); // credentials are issued by the real clock
            System.out.printf("filled %d finished jobs over %d days in %.1f s%n", n, days, (System.nanoTime() - t0) / 1e9);

            Path cred = dir.resolve("platform.cred");
            CredentialFiles.writeCredential(cred, server.issue(Credential.Scope.PROXY, "root", Duration.ofHours(2)), null);
            SchedulerDriver driver = new CraneDriverFactory().create(new ClusterConfig("bench", "bench", "crane", Map.of(
                    "host", "127.0.0.1", "port", String.valueOf(server.port()), "credentialFile", cred.toString(),
                    "timeoutSeconds", "600")));
            Set<JobState> finished = EnumSet.noneOf(JobState.class);
            for (JobState s : JobState.values()) if (s.isFinished()) finished.add(s);
            JobFilter feed = JobFilter.ALL.withStates(finished).withEndTime(new TimeRange(null, Instant.ofEpochSecond(now)));
            JobQuery.Sort byEnd = new JobQuery.Sort(JobField.END_TIME, false);
            List<Long> pageNs = new ArrayList<>();
            long fetched = 0;
            long total = -1;
            t0 = System.nanoTime();
            for (int page = 1; ; page++) {
                long p0 = System.nanoTime();
                JobQuery.Result r = driver.queryJobs(JobQuery.of(feed).withSort(byEnd).withPage(new JobQuery.Page(page, pageSize)));
                pageNs.add(System.nanoTime() - p0);
                fetched += r.jobs().size();
                total = r.totalCount();
                if (r.jobs().size() < pageSize) break;
            }
            double all = (System.nanoTime() - t0) / 1e9;
            long[] sorted = pageNs.stream().mapToLong(Long::longValue).sorted().toArray();
            System.out.printf("feed (pushed down): %d jobs (total %d) in %d pages of %d: %.1f s, %.0f jobs/s; per page "
                            + "median %.1f ms, p99 %.1f ms, max %.1f ms; first page %.1f ms, last %.1f ms%n",
                    fetched, total, sorted.length, pageSize, all, fetched / all, ms(pct(sorted, 50)), ms(pct(sorted, 99)),
                    ms(sorted[sorted.length - 1]), ms(pageNs.get(0)), ms(pageNs.get(pageNs.size() - 1)));
            // the old way for one page, over the last day only (the whole 1M window does not fit one gRPC message)
            JobFilter lastDay = feed.withEndTime(new TimeRange(Instant.ofEpochSecond(now / 86400 * 86400 - 86400),
                    Instant.ofEpochSecond(now))).withSubmitTime(new TimeRange(null, null)); // a submit filter: not pushed down
            long o0 = System.nanoTime();
            JobQuery.Result old = driver.queryJobs(JobQuery.of(lastDay).withSort(byEnd).withPage(new JobQuery.Page(1, pageSize)));
            System.out.printf("one page the old way (whole window fetched and sorted in the driver), window of %d jobs: %.1f ms%n",
                    old.totalCount(), ms(System.nanoTime() - o0));
        } finally {
            try (java.util.stream.Stream<Path> s = Files.walk(dir)) {
                for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
            }
        }
    }

    private static long pct(long[] sorted, int p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }

    private static double ms(long ns) {
        return ns / 1e6;
    }

}
