package org.scow.crane.ctld.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.scow.crane.ctld.Clock;
import org.scow.crane.ctld.Controller;
import org.scow.crane.ctld.CtldConfig;
import org.scow.crane.ctld.account.AccountStore;
import org.scow.crane.ctld.model.JobRequest;
import org.scow.crane.ctld.model.PreemptMode;

/**
 * Benchmark harness, run by hand (never by the build):
 *
 * <pre>
 *   cd plugins-scheduler-crane/crane-ctld
 *   java -Xmx8g -cp target/classes:target/test-classes org.scow.crane.ctld.bench.CtldBench [sched] [wal] [recovery] [preempt] [big]
 * </pre>
 *
 * <ul>
 * <li>sched: scheduling pass time, in memory, for 10k/100k pending x 100/1k nodes (big adds 1M x 10k). The cluster
 * is first filled by an initial pass; figures are for steady-state passes over a full cluster with that many
 * pending jobs (the case that matters), reported as median and max of 5 passes.</li>
 * <li>wal: submissions/s into the WAL (each acknowledged only when fsynced): 1 thread, 8 threads, batches of 1000.</li>
 * <li>recovery: restart time with N pending jobs in WAL+snapshot, and heap per pending job.</li>
 * <li>preempt (only when named): the sched workload with PreemptMode=REQUEUE, the cluster filled by QoS low, then
 * a tenth as many jobs again of QoS high (preempts low): steady pass time and victims per pass.</li>
 * <li>history (only when named): 1M jobs finished over 10 days (100k per day file), then the time to query one day
 * (all of it, and a page of 1000 deep in it), a lookup by id of an old job, and heap and disk per finished job.</li>
 * </ul>
 */
public final class CtldBench {
    private CtldBench() {
    }

    public static void main(String[] args) throws Exception {
        List<String> a = Arrays.asList(args);
        boolean all = a.isEmpty() || (a.size() == 1 && a.contains("big"));
        System.out.printf("CtldBench: %d cores, max heap %d MiB, java %s%n", Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() >> 20, System.getProperty("java.version"));
        if (all || a.contains("sched")) {
            sched(10_000, 100);
            sched(100_000, 100);
            sched(10_000, 1000);
            sched(100_000, 1000);
            if (a.contains("big")) sched(1_000_000, 10_000);
        }
        if (a.contains("preempt")) {
            preempt(10_000, 1000);
            preempt(100_000, 1000);
        }
        if (a.contains("history")) history(1_000_000, 10);
        if (all || a.contains("wal")) wal();
        if (all || a.contains("recovery")) {
            recovery(100_000);
            if (a.contains("big")) recovery(1_000_000);
        }
    }

    static CtldConfig cluster(int nodes, Path state) {
        int gpuNodes = Math.max(1, nodes / 10);
        int cpuNodes = nodes - gpuNodes;
        CtldConfig cfg = CtldConfig.parse("Node name=c[1-" + cpuNodes + "] cpus=64 mem=256G\n"
                + "Node name=g[1-" + gpuNodes + "] cpus=64 mem=512G gres=gpu:a100:8\n"
                + "Partition name=batch nodes=c[1-" + cpuNodes + "],g[1-" + gpuNodes + "] default=yes maxtime=7-0\n"
                + "MaxPendingJobs=4000000\nSnapshotEveryRecords=0\n");
        cfg.stateDir = state;
        return cfg;
    }

    static void accounts(Controller c) {
        for (int i = 0; i < 10; i++) {
            c.addAccount("root", "acct" + i, null, null, null);
            for (int u = 0; u < 10; u++) c.addUser("root", "user" + i + "_" + u, "acct" + i);
        }
    }

    /** A mixed job: mostly small single-node CPU jobs, some multi-node, some GPU, time limits 10 min .. 24 h. */
    static JobRequest job(Random r, int nodes) {
        int acc = r.nextInt(10);
        JobRequest j = new JobRequest("user" + acc + "_" + r.nextInt(10), "acct" + acc);
        int kind = r.nextInt(100);
        if (kind < 70) j.ntasks(1 << r.nextInt(6));
        else if (kind < 85) j.nodes(1 + r.nextInt(Math.min(8, nodes / 4))).ntasksPerNode(16 << r.nextInt(3));
        else j.ntasks(4).gres("gpu:a100:" + (1 << r.nextInt(4)));
        j.time(Integer.toString(10 + r.nextInt(24 * 60)));
        j.mem((1 + r.nextInt(8)) + "G");
        return j.name("b");
    }

    static void submitMany(Controller c, Random r, int n, int nodes) {
        List<JobRequest> batch = new ArrayList<>(1000);
        for (int i = 0; i < n; i++) {
            batch.add(job(r, nodes));
            if (batch.size() == 1000 || i == n - 1) {
                c.submitBatch("root", batch);
                batch.clear();
            }
        }
    }

    static void sched(int pending, int nodes) throws Exception {
        Clock.Manual clock = new Clock.Manual(1_700_000_000L);
        Controller c = new Controller(cluster(nodes, null), clock);
        accounts(c);
        Random r = new Random(42);
        submitMany(c, r, pending, nodes);
        long t0 = System.nanoTime();
        Controller.PassStats first = c.schedule();
        long firstMs = (System.nanoTime() - t0) / 1_000_000;
        int running = c.runningCount();
        submitMany(c, r, pending - c.pendingCount(), nodes);
        long[] ns = new long[5];
        Controller.PassStats last = null;
        int finished = 0;
        for (int i = 0; i < ns.length; i++) {
            // churn: a few running jobs end between passes, so each pass also starts and backfills jobs
            long[] ids = c.runningJobIds(5);
            finished += c.jobsFinished(ids, new int[ids.length]);
            clock.advance(1);
            long s = System.nanoTime();
            last = c.schedule();
            ns[i] = System.nanoTime() - s;
        }
        Arrays.sort(ns);
        System.out.printf("sched  %8d pending x %5d nodes: steady pass median %7.1f ms, max %7.1f ms "
                        + "(last: considered %d, started %d, reserved %d; %d jobs ended between passes); first pass %d ms started %d jobs%n",
                pending, nodes, ns[2] / 1e6, ns[4] / 1e6, last.considered(), last.started(), last.reserved(), finished, firstMs, running);
        c.close();
        if (first == null) throw new IllegalStateException();
    }

    static void preempt(int pending, int nodes) throws Exception {
        Clock.Manual clock = new Clock.Manual(1_700_000_000L);
        CtldConfig cfg = cluster(nodes, null);
        cfg.preemptMode = PreemptMode.REQUEUE;
        Controller c = new Controller(cfg, clock);
        c.addQos("root", "low", 0, 0, 0, 0, 0, 0, null);
        c.addQos("root", "high", 100, 0, 0, 0, 0, 0, null);
        c.accountOp("root", new AccountStore.Op(AccountStore.MODIFY_QOS, new String[] {"high", "low"}, new long[] {100}));
        c.accountOp("root", new AccountStore.Op(AccountStore.MODIFY_ACCOUNT, new String[] {"root", null, null, "normal,low,high"}, null));
        accounts(c);
        Random r = new Random(42);
        submitQos(c, r, pending, nodes, 0);
        c.schedule();
        int running = c.runningCount();
        // then as many high jobs as a tenth of the queue: each pass searches victims for up to PreemptMaxSearches
        submitQos(c, r, pending / 10, nodes, 100);
        long[] ns = new long[5];
        int victims = 0;
        int started = 0;
        for (int i = 0; i < ns.length; i++) {
            long[] ids = c.runningJobIds(5);
            c.jobsFinished(ids, new int[ids.length]);
            clock.advance(1);
            long s = System.nanoTime();
            Controller.PassStats st = c.schedule();
            ns[i] = System.nanoTime() - s;
            victims += st.preempted();
            started += st.started();
        }
        Arrays.sort(ns);
        System.out.printf("preempt %7d low + %d high pending x %5d nodes (%d running): steady pass median %7.1f ms, "
                + "max %7.1f ms; %d victims requeued and %d jobs started in 5 passes%n",
                pending, pending / 10, nodes, running, ns[2] / 1e6, ns[4] / 1e6, victims, started);
        c.close();
    }

    /** Like submitMany, with {@code highPercent} of the jobs in QoS high and the rest in QoS low. */
    static void submitQos(Controller c, Random r, int n, int nodes, int highPercent) {
        List<JobRequest> batch = new ArrayList<>(1000);
        for (int i = 0; i < n; i++) {
            batch.add(job(r, nodes).qos(r.nextInt(100) < highPercent ? "high" : "low"));
            if (batch.size() == 1000 || i == n - 1) {
                c.submitBatch("root", batch);
                batch.clear();
            }
        }
    }

    static Path freshDir() throws Exception {
        Path base = Path.of(System.getProperty("java.io.tmpdir"), "crane-bench");
        Files.createDirectories(base);
        Path d = Files.createTempDirectory(base, "state");
        return d;
    }

    static void delete(Path d) throws Exception {
        try (Stream<Path> s = Files.walk(d)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    static void wal() throws Exception {
        for (int threads : new int[] {1, 8}) {
            Path dir = freshDir();
            Controller c = new Controller(cluster(100, dir), Clock.SYSTEM);
            accounts(c);
            AtomicLong n = new AtomicLong();
            long end = System.nanoTime() + 5_000_000_000L;
            List<Thread> ts = new ArrayList<>();
            long t0 = System.nanoTime();
            for (int t = 0; t < threads; t++) {
                int seed = t;
                Thread th = new Thread(() -> {
                    Random r = new Random(seed);
                    while (System.nanoTime() < end) {
                        JobRequest j = job(r, 100);
                        c.submit(j.user, j);
                        n.incrementAndGet();
                    }
                });
                ts.add(th);
                th.start();
            }
            for (Thread th : ts) th.join();
            double secs = (System.nanoTime() - t0) / 1e9;
            long[] st = c.walStats();
            System.out.printf("wal    single submits, %d thread(s): %8.0f jobs/s acknowledged durable (%d jobs, %d fsync batches, %.1f records/fsync)%n",
                    threads, n.get() / secs, n.get(), st[0], (double) st[1] / Math.max(1, st[0]));
            c.close();
            delete(dir);
        }
        Path dir = freshDir();
        Controller c = new Controller(cluster(100, dir), Clock.SYSTEM);
        accounts(c);
        Random r = new Random(1);
        long t0 = System.nanoTime();
        int total = 0;
        while (System.nanoTime() - t0 < 5_000_000_000L) {
            List<JobRequest> batch = new ArrayList<>(1000);
            for (int i = 0; i < 1000; i++) batch.add(job(r, 100));
            c.submitBatch("root", batch);
            total += 1000;
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        System.out.printf("wal    batched submits (1000/batch, 1 thread): %8.0f jobs/s acknowledged durable (%d jobs)%n", total / secs, total);
        c.close();
        delete(dir);
    }

    static void recovery(int n) throws Exception {
        Path dir = freshDir();
        Runtime rt = Runtime.getRuntime();
        System.gc();
        long heap0 = rt.totalMemory() - rt.freeMemory();
        Controller c = new Controller(cluster(1000, dir), Clock.SYSTEM);
        accounts(c);
        submitMany(c, new Random(3), n, 1000);
        System.gc();
        long heap1 = rt.totalMemory() - rt.freeMemory();
        c.close();
        long walBytes;
        try (Stream<Path> s = Files.list(dir)) {
            walBytes = s.mapToLong(p -> p.toFile().length()).sum();
        }
        long t0 = System.nanoTime();
        Controller r = new Controller(cluster(1000, dir), Clock.SYSTEM);
        long logMs = (System.nanoTime() - t0) / 1_000_000;
        int live = r.liveCount();
        r.snapshot();
        r.close();
        t0 = System.nanoTime();
        Controller r2 = new Controller(cluster(1000, dir), Clock.SYSTEM);
        long snapMs = (System.nanoTime() - t0) / 1_000_000;
        System.out.printf("recov  %d pending: replay from WAL %d ms (%d MiB log), from snapshot %d ms; heap %.0f bytes/pending job%n",
                live, logMs, walBytes >> 20, snapMs, (heap1 - heap0) / (double) n);
        r2.close();
        delete(dir);
    }

    static void history(int n, int days) throws Exception {
        Path dir = freshDir();
        Runtime rt = Runtime.getRuntime();
        long day0 = 1_800_000_000L / 86400 * 86400;
        org.scow.crane.ctld.Clock.Manual clock = new org.scow.crane.ctld.Clock.Manual(day0);
        CtldConfig cfg = cluster(1000, dir);
        Controller c = new Controller(cfg, clock);
        accounts(c);
        System.gc();
        long heap0 = rt.totalMemory() - rt.freeMemory();
        int step = 10_000;
        long t0 = System.nanoTime();
        for (int done = 0; done < n; done += step) {
            List<JobRequest> batch = new ArrayList<>(1000);
            for (int i = 0; i < step; i++) {
                batch.add(new JobRequest("user0_0", "acct0").name("h" + (done + i)).ntasks(1).time("10"));
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
        long fillMs = (System.nanoTime() - t0) / 1_000_000;
        System.gc();
        long heap1 = rt.totalMemory() - rt.freeMemory();
        long q0 = System.nanoTime();
        long from = day0 + 3 * 86400;
        List<org.scow.crane.ctld.JobView> day = c.history(from, from + 86400, 0, Integer.MAX_VALUE);
        long dayMs = (System.nanoTime() - q0) / 1_000_000;
        q0 = System.nanoTime();
        List<org.scow.crane.ctld.JobView> page = c.history(from, from + 86400, day.size() / 2, 1000);
        long pageMs = (System.nanoTime() - q0) / 1_000_000;
        q0 = System.nanoTime();
        org.scow.crane.ctld.JobView old = c.job(day.get(day.size() / 2).id());
        long findMs = (System.nanoTime() - q0) / 1_000_000;
        q0 = System.nanoTime();
        c.job(day.get(day.size() / 2 + 1).id());
        long findAgainMs = (System.nanoTime() - q0) / 1_000_000;
        long disk;
        try (Stream<Path> s = Files.list(dir.resolve("history"))) {
            disk = s.mapToLong(p -> p.toFile().length()).sum();
        }
        System.out.printf("hist   %d finished in %d ms; one day (%d jobs) %d ms, page of %d at offset %d %d ms, "
                        + "old job by id %d ms (again %d ms, found=%b); heap %.1f bytes/finished job, disk %.0f bytes/job%n",
                n, fillMs, day.size(), dayMs, page.size(), day.size() / 2, pageMs, findMs, findAgainMs, old != null,
                (heap1 - heap0) / (double) n, disk / (double) n);
        c.close();
        delete(dir);
    }
}
