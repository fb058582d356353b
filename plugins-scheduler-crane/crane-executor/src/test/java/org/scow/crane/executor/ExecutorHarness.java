package org.scow.crane.executor;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** An executor whose outcomes tests can wait for, plus a builder for job specs. */
final class ExecutorHarness implements AutoCloseable {
    private static final AtomicLong IDS = new AtomicLong(System.currentTimeMillis() % 1_000_000 * 100);

    final Map<Long, CompletableFuture<JobOutcome>> outcomes = new ConcurrentHashMap<>();
    final JobExecutor exec;
    volatile boolean closed;

    ExecutorHarness(ExecutorConfig cfg) throws Exception {
        exec = JobExecutor.open(cfg, (spec, o) -> future(spec.jobId()).complete(o));
    }

    CompletableFuture<JobOutcome> future(long id) {
        return outcomes.computeIfAbsent(id, k -> new CompletableFuture<>());
    }

    /** Waits for the outcome (a generous bound, only so a broken executor fails the test instead of hanging it). */
    JobOutcome await(long id) throws Exception {
        return future(id).get(120, TimeUnit.SECONDS);
    }

    static long nextId() {
        return IDS.incrementAndGet();
    }

    /** A one-node, one-CPU job of {@code user} running {@code script} in {@code dir}. */
    static Spec spec(String user, Path dir, String script) {
        return new Spec(user, dir, script);
    }

    @Override
    public void close() {
        closed = true;
        exec.close();
    }

    /** Fluent job spec for tests. */
    static final class Spec {
        long id = nextId();
        long arrayJobId;
        int arrayTaskId;
        String name = "t";
        final String user;
        List<String> nodes = List.of("n1");
        int cpus = 1;
        long memMb;
        int gpus;
        long timeLimitSec = 3600;
        final Path dir;
        final String script;
        List<String> env = List.of("PWD=/submit/here", "MY_VAR=kept");
        String stdout;
        String stderr;

        Spec(String user, Path dir, String script) {
            this.user = user;
            this.dir = dir;
            this.script = script;
        }

        JobSpec build() {
            return new JobSpec(id, 1_700_000_000L, arrayJobId, arrayTaskId, name, user, "acct", "debug", "normal", nodes,
                    nodes.size(), 1, cpus, cpus, memMb, gpus, timeLimitSec, dir.toString(), script, env, stdout, stderr);
        }
    }
}
