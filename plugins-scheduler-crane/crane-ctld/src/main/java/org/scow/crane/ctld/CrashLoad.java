package org.scow.crane.ctld;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.scow.crane.ctld.model.JobRequest;

/**
 * The crash-test driver: the controller core without network, loaded by N submitting threads while a scheduler
 * thread starts and completes jobs; meant to be killed with -9 (see {@code CrashRecoveryTest}). Not a daemon: the
 * one {@code cranectld} entry point is {@code org.scow.crane.server.ServerMain}.
 *
 * <pre>
 *   CrashLoad --config crane.conf --state DIR [--threads N] [--count N]
 *       prints "ACK &lt;id&gt; &lt;name&gt;" for each acknowledged (durable) submission and "END &lt;id&gt;" once a
 *       completion is durable
 * </pre>
 */
public final class CrashLoad {
    private CrashLoad() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            System.err.println("usage: CrashLoad --config FILE --state DIR [--threads N] [--count N]");
            System.exit(2);
        }
        Path config = null;
        Path state = null;
        int threads = 4;
        long count = Long.MAX_VALUE;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--config" -> config = Path.of(args[i + 1]);
                case "--state" -> state = Path.of(args[i + 1]);
                case "--threads" -> threads = Integer.parseInt(args[i + 1]);
                case "--count" -> count = Long.parseLong(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (config == null) throw new IllegalArgumentException("--config is required");
        CtldConfig cfg = CtldConfig.load(config);
        if (state != null) cfg.stateDir = state;
        if (cfg.stateDir == null) throw new IllegalArgumentException("StateDir= or --state is required");
        long t0 = System.nanoTime();
        Controller c = new Controller(cfg, Clock.SYSTEM);
        System.err.printf("cranectld: recovered %d live jobs in %d ms%n", c.liveCount(), (System.nanoTime() - t0) / 1_000_000);
        load(c, threads, count);
    }

    private static void load(Controller c, int threads, long count) throws InterruptedException {
        setupLoadAccounts(c);
        PrintStream out = System.out;
        AtomicLong seq = new AtomicLong();
        List<Thread> ts = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread th = new Thread(() -> {
                while (true) {
                    long n = seq.incrementAndGet();
                    if (n > count) return;
                    String name = "load-" + ProcessHandle.current().pid() + "-" + n;
                    JobRequest r = new JobRequest("u1", "a1").name(name).time("10").cpusPerTask(1);
                    Controller.Submitted s = c.submit("u1", r);
                    synchronized (out) {
                        out.println("ACK " + s.jobId() + " " + name);
                        out.flush();
                    }
                }
            }, "load-" + t);
            ts.add(th);
            th.start();
        }
        Thread sched = new Thread(() -> {
            while (true) {
                c.schedule();
                // complete some running jobs so END records interleave with submissions
                List<JobView> run = c.jobs(v -> v.state() == org.scow.crane.protocol.JobState.RUNNING);
                int k = 0;
                for (JobView v : run) {
                    if (k++ % 2 == 0) {
                        try {
                            c.jobFinished(v.id(), 0, false);
                            synchronized (out) {
                                out.println("END " + v.id()); // durable: the crash test expects it in the history
                                out.flush();
                            }
                        } catch (CtldException ignored) {
                            // raced with a timeout
                        }
                    }
                }
            }
        }, "load-sched");
        sched.setDaemon(true);
        sched.start();
        for (Thread th : ts) th.join();
        c.close();
        System.out.println("DONE");
        System.out.flush();
    }

    /** Creates account a1 with user u1 unless they exist (idempotent across restarts). */
    static void setupLoadAccounts(Controller c) {
        boolean has = c.withAccounts(a -> a.account("a1") != null && a.account("a1").members.containsKey("u1"));
        if (!has) {
            if (c.withAccounts(a -> a.account("a1")) == null) c.addAccount("root", "a1", null, null, null);
            c.addUser("root", "u1", "a1");
        }
    }
}
