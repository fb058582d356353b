package org.scow.crane.craned;

import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.MetadataUtils;
import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.scow.crane.executor.JobExecutor;
import org.scow.crane.executor.JobOutcome;
import org.scow.crane.executor.JobSpec;
import org.scow.crane.protocol.JobState;
import org.scow.crane.protocol.Channels;
import org.scow.crane.protocol.CredentialFiles;
import org.scow.crane.protocol.Wire;
import org.scow.crane.protocol.v1.CraneGrpc;
import org.scow.crane.protocol.v1.CraneNodeGrpc;
import org.scow.crane.protocol.v1.HeartbeatReply;
import org.scow.crane.protocol.v1.JobsFinished;
import org.scow.crane.protocol.v1.NodeCommand;
import org.scow.crane.protocol.v1.NodeHeartbeat;
import org.scow.crane.protocol.v1.NodeLaunch;
import org.scow.crane.protocol.v1.NodeRegistration;

/**
 * craned: one node's daemon. It connects to cranectld with its node credential, registers its resources and keeps
 * the {@code Register} stream open; the controller pushes the reconciliation and then launches and terminations on
 * it. The daemon never listens on a port, so it needs no credential of its own to check and works behind any
 * firewall that lets it reach the controller.
 *
 * <ul>
 *   <li>Heartbeat every {@code HeartbeatInterval}; when the controller answers that it has no stream of this daemon
 *       (it timed the node out, or restarted), the daemon registers again.</li>
 *   <li>A lost connection is retried with back-off (0.2 s doubling to 5 s). Running jobs are not touched.</li>
 *   <li>Commands run one at a time, in order, on one thread.</li>
 *   <li>Job ends (COMPLETED, FAILED, OUT_OF_MEMORY, NODE_FAIL) go through {@code ReportJobsFinished} in batches,
 *       persisted in {@code <spool>/reports} until the controller answers, so neither a controller outage nor a
 *       daemon restart loses one. CANCELLED and TIMEOUT are the controller's decisions and are not reported.</li>
 *   <li>Reconciliation (at every registration): runs the controller expects are re-adopted (alive), reported (ended
 *       meanwhile, from the spool), skipped (their end is queued for reporting) or launched (no trace here: the
 *       launch never arrived); runs the node has that the controller does not expect are killed.</li>
 * </ul>
 */
public final class NodeDaemon implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(NodeDaemon.class.getName());
    private static final int REPORT_BATCH = 2000;

    private final CranedConfig cfg;
    private final String node;
    private final long session = new SecureRandom().nextLong();
    private final ManagedChannel channel;
    private final CraneGrpc.CraneBlockingStub crane;
    private final CraneNodeGrpc.CraneNodeStub nodeAsync;
    private final CraneNodeGrpc.CraneNodeBlockingStub nodeBlocking;
    private final JobExecutor executor;
    /** Tasks of job steps (crun) on this node. */
    private final NodeSteps steps;
    /** The controller start whose reconciliation came last (0: none yet); on the command thread only. */
    private long controllerInstance;
    private final ReportQueue reports;
    private final int cpus;
    private final long memMb;
    private final int gpus;
    private final ExecutorService commands;
    private final ScheduledExecutorService heartbeats;
    private final Thread connector;
    private final Thread reporter;
    /** Runs that ended here lately (id@start): a duplicate launch of a finished run is ignored. Guarded by itself. */
    private final Map<String, Boolean> recentlyEnded = new LinkedHashMap<>(1024, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> e) {
            return size() > 100_000;
        }
    };
    private volatile ClientCallStreamObserver<NodeRegistration> stream;
    /** True once the controller's reconciliation of the current stream arrived. */
    private volatile boolean connected;
    private volatile CountDownLatch reconciled = new CountDownLatch(1);
    private volatile boolean closed;

    private NodeDaemon(CranedConfig cfg) throws IOException {
        this.cfg = cfg;
        this.node = cfg.node();
        String cred = cfg.credential != null ? cfg.credential
                : CredentialFiles.readCredential(Path.of(cfg.expand(cfg.credentialFile)));
        this.cpus = cfg.realCpus();
        this.memMb = cfg.realMemMb();
        this.gpus = cfg.realGpus();
        this.executor = JobExecutor.open(cfg.executorConfig(gpus), this::ended);
        this.reports = new ReportQueue(cfg.spool().resolve("reports"));
        Metadata md = new Metadata();
        md.put(Wire.CREDENTIAL, cred);
        channel = Channels.open(cfg.controllerAddress, cfg.controllerPort,
                cfg.controllerTlsTrustFile == null ? null : Path.of(cfg.controllerTlsTrustFile));
        var attach = MetadataUtils.newAttachHeadersInterceptor(md);
        crane = CraneGrpc.newBlockingStub(channel).withInterceptors(attach);
        nodeAsync = CraneNodeGrpc.newStub(channel).withInterceptors(attach);
        nodeBlocking = CraneNodeGrpc.newBlockingStub(channel).withInterceptors(attach);
        steps = new NodeSteps(node, cfg.executorConfig(gpus), nodeBlocking);
        commands = Executors.newSingleThreadExecutor(r -> daemonThread(r, "craned-commands"));
        heartbeats = Executors.newSingleThreadScheduledExecutor(r -> daemonThread(r, "craned-heartbeat"));
        connector = daemonThread(this::connectLoop, "craned-connector");
        reporter = daemonThread(this::reportLoop, "craned-reporter");
    }

    /** Opens the executor and starts connecting; fails when the spool, the credential or (required) cgroups are unusable. */
    public static NodeDaemon start(CranedConfig cfg) throws IOException {
        NodeDaemon d = new NodeDaemon(cfg);
        LOG.info("craned " + d.node + ": " + d.cpus + " cpus, " + d.memMb + " MiB, " + d.gpus + " gpus; controller "
                + cfg.controllerAddress + ":" + cfg.controllerPort + "; spool " + cfg.spool() + "; jobs run "
                + (d.executor.runsJobsAsTheirUsers() ? "as their users" : "in single-user mode") + ", "
                + (d.executor.cgroupsActive() ? "in cgroups" : "without cgroups (" + d.executor.cgroupsProblem() + ")"));
        d.connector.start();
        d.reporter.start();
        d.heartbeats.scheduleWithFixedDelay(d::heartbeat, cfg.heartbeatMs, cfg.heartbeatMs, TimeUnit.MILLISECONDS);
        return d;
    }

    public String node() {
        return node;
    }

    public JobExecutor executor() {
        return executor;
    }

    /** Waits until the controller's reconciliation of the current connection has been applied. */
    public boolean awaitReconciled(long timeout, TimeUnit unit) throws InterruptedException {
        return reconciled.await(timeout, unit);
    }

    public boolean connected() {
        return connected;
    }

    // ---- connection --------------------------------------------------------------------------------------------

    private void connectLoop() {
        long backoff = 200;
        while (!closed) {
            // grpc's own reconnect back-off grows to 2 minutes during a controller outage and fails calls fast until
            // it expires: without this, a restarted controller would wait that long for its nodes and could time
            // them out (NODE_FAIL) although they are fine. Our retry pace (at most 5 s) is the one that counts.
            channel.resetConnectBackoff();
            CompletableFuture<Throwable> ended = new CompletableFuture<>();
            NodeRegistration reg = NodeRegistration.newBuilder().setNode(node).setCpus(cpus).setMemMb(memMb)
                    .setGpus(gpus).setVersion("crane-craned 0.1").setSession(session).build();
            nodeAsync.register(reg, new ClientResponseObserver<NodeRegistration, NodeCommand>() {
                @Override
                public void beforeStart(ClientCallStreamObserver<NodeRegistration> s) {
                    stream = s;
                }

                @Override
                public void onNext(NodeCommand c) {
                    if (c.hasReconcile()) connected = true;
                    commands.execute(() -> handle(c));
                }

                @Override
                public void onError(Throwable t) {
                    ended.complete(t);
                }

                @Override
                public void onCompleted() {
                    ended.complete(null);
                }
            });
            Throwable why;
            try {
                why = ended.get();
            } catch (InterruptedException e) {
                return;
            } catch (ExecutionException e) {
                why = e.getCause();
            }
            boolean wasConnected = connected;
            connected = false;
            if (closed) return;
            if (wasConnected) {
                backoff = 200;
                reconciled = new CountDownLatch(1);
            }
            LOG.info("craned " + node + ": " + (wasConnected ? "connection to the controller lost" : "cannot register")
                    + (why != null ? ": " + why.getMessage() : "") + "; retrying in " + backoff + " ms");
            try {
                Thread.sleep(backoff);
            } catch (InterruptedException e) {
                return;
            }
            backoff = Math.min(5000, backoff * 2);
        }
    }

    private void heartbeat() {
        if (closed || !connected) return;
        try {
            HeartbeatReply r = nodeBlocking.withDeadlineAfter(Math.max(2000, cfg.heartbeatMs * 2), TimeUnit.MILLISECONDS)
                    .heartbeat(NodeHeartbeat.newBuilder().setNode(node).setSession(session)
                            .setRunning(executor.runningCount()).build());
            if (r.getRegister() && connected) {
                LOG.info("craned " + node + ": the controller asks for a new registration");
                ClientCallStreamObserver<NodeRegistration> s = stream;
                if (s != null) s.cancel("registering again", null);
            }
        } catch (StatusRuntimeException e) {
            LOG.fine(() -> "heartbeat failed: " + e.getStatus());
        }
    }

    // ---- commands ----------------------------------------------------------------------------------------------

    private void handle(NodeCommand c) {
        try {
            switch (c.getCommandCase()) {
                case RECONCILE -> {
                    long instance = c.getReconcile().getControllerInstance();
                    // a new controller does not know the steps running here: their crun lost its relay
                    if (instance != 0 && controllerInstance != 0 && instance != controllerInstance) steps.killAll();
                    if (instance != 0) controllerInstance = instance;
                    reconcile(c.getReconcile().getExpectedList());
                }
                case LAUNCH -> launch(spec(c.getLaunch()));
                case TERMINATE -> {
                    executor.terminate(c.getTerminate().getJobId(), c.getTerminate().getRunStart(),
                            "TIMEOUT".equals(c.getTerminate().getWhy()) ? JobState.TIMEOUT : JobState.CANCELLED);
                    steps.signal(c.getTerminate().getJobId(), -1, 9); // a job's steps end with it
                }
                case STEP_LAUNCH -> steps.launch(c.getStepLaunch());
                case STEP_STDIN -> steps.stdin(c.getStepStdin().getJobId(), c.getStepStdin().getStepId(),
                        c.getStepStdin().getData(), c.getStepStdin().getEof());
                case STEP_SIGNAL -> steps.signal(c.getStepSignal().getJobId(), c.getStepSignal().getStepId(),
                        c.getStepSignal().getSignal());
                default -> LOG.warning("unknown command " + c.getCommandCase());
            }
        } catch (RuntimeException | IOException e) {
            LOG.log(Level.WARNING, "command " + c.getCommandCase() + " failed", e);
        }
    }

    private boolean isOver(long id, long start) {
        synchronized (recentlyEnded) {
            if (recentlyEnded.containsKey(id + "@" + start)) return true;
        }
        return reports.contains(id, start);
    }

    private void launch(JobSpec s) {
        if (isOver(s.jobId(), s.startTime())) return; // a duplicate of a run that is over
        executor.start(s);
    }

    private void reconcile(List<NodeLaunch> expected) throws IOException {
        List<JobSpec> known = new ArrayList<>();
        List<JobSpec> never = new ArrayList<>();
        Set<Long> ids = new HashSet<>();
        for (NodeLaunch l : expected) {
            JobSpec s = spec(l);
            ids.add(s.jobId());
            if (isOver(s.jobId(), s.startTime())) {
                continue; // its end is being reported
            }
            if (executor.hasTrace(s.jobId(), s.startTime())) known.add(s);
            else never.add(s);
        }
        executor.recover(known); // re-adopts, reports the dead, cancels or kills whatever is not expected
        for (JobSpec s : never) {
            LOG.info("job " + s.jobId() + ": launch never arrived here; launching it now");
            executor.start(s);
        }
        LOG.info("craned " + node + ": reconciled " + expected.size() + " expected run(s): " + known.size()
                + " known here, " + never.size() + " launched now; " + executor.runningCount() + " running");
        reconciled.countDown();
    }

    static JobSpec spec(NodeLaunch l) {
        return new JobSpec(l.getJobId(), l.getStartTime(), l.getArrayJobId(), l.getArrayTaskId(), l.getName(),
                l.getUser(), l.getAccount(), l.getPartition(), l.getQos(), l.getNodesList(), l.getNtasks(),
                l.getNtasksPerNode(), l.getCpusPerTask(), l.getCpusOnNode(), l.getMemPerNodeMb(), l.getGpusPerNode(),
                l.getTimeLimitSec(), l.getWorkDir(), l.getScript(), l.getEnvList(), blankToNull(l.getStdout()),
                blankToNull(l.getStderr()));
    }

    private static String blankToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    // ---- reports -----------------------------------------------------------------------------------------------

    private void ended(JobSpec s, JobOutcome o) {
        if (steps != null) steps.signal(s.jobId(), -1, 9); // the batch script ended: so does the job, and with it its steps
        synchronized (recentlyEnded) {
            recentlyEnded.put(s.jobId() + "@" + s.startTime(), Boolean.TRUE);
        }
        if (o.message() != null) LOG.info("job " + s.jobId() + " ended " + o);
        // CANCELLED and TIMEOUT are the controller's own decisions, recorded before it asked for the kill
        if (o.state() == JobState.CANCELLED || o.state() == JobState.TIMEOUT) return;
        reports.add(new ReportQueue.Report(s.jobId(), s.startTime(), o.state(), o.exitCode(), o.endTime(), o.message()));
    }

    private void reportLoop() {
        while (!closed) {
            List<ReportQueue.Report> batch;
            try {
                batch = reports.peek(REPORT_BATCH, 1000);
            } catch (InterruptedException e) {
                return;
            }
            if (batch.isEmpty()) continue;
            JobsFinished.Builder b = JobsFinished.newBuilder();
            for (ReportQueue.Report r : batch) {
                b.addJobs(JobsFinished.Finished.newBuilder().setJobId(r.jobId()).setRunStart(r.runStart())
                        .setState(r.state().name()).setExitCode(r.exitCode()).setOom(r.state() == JobState.OUT_OF_MEMORY)
                        .setEndTime(r.endTime()).setReason(r.reason() == null ? "" : r.reason()));
            }
            try {
                crane.withDeadlineAfter(30, TimeUnit.SECONDS).reportJobsFinished(b.build());
                reports.remove(batch);
            } catch (StatusRuntimeException e) {
                LOG.fine(() -> "reporting " + batch.size() + " job end(s) failed: " + e.getStatus() + "; retrying");
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }

    /** Job ends not yet acknowledged by the controller. */
    public int pendingReports() {
        return reports.size();
    }

    // ---- shutdown ----------------------------------------------------------------------------------------------

    /**
     * Disconnects and stops watching. Running jobs keep running; a daemon started later re-adopts them (or reports
     * how they ended). Unsent reports stay in the spool.
     */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        heartbeats.shutdownNow();
        ClientCallStreamObserver<NodeRegistration> s = stream;
        if (s != null) s.cancel("craned stopping", null);
        connector.interrupt();
        reporter.interrupt();
        commands.shutdownNow();
        steps.close();
        executor.close();
        channel.shutdownNow();
        try {
            channel.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Thread daemonThread(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
