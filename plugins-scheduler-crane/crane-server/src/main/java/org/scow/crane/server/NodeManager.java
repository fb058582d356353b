package org.scow.crane.server;

import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.scow.crane.ctld.Controller;
import org.scow.crane.ctld.CtldConfig;
import org.scow.crane.ctld.CtldException;
import org.scow.crane.ctld.Launcher;
import org.scow.crane.ctld.model.Job;
import org.scow.crane.ctld.model.JobDesc;
import org.scow.crane.protocol.JobState;
import org.scow.crane.ctld.model.Node;
import org.scow.crane.ctld.model.NodeState;
import org.scow.crane.protocol.v1.NodeCommand;
import org.scow.crane.protocol.v1.NodeLaunch;
import org.scow.crane.protocol.v1.NodeReconcile;
import org.scow.crane.protocol.v1.NodeRegistration;
import org.scow.crane.protocol.v1.NodeTerminate;

/**
 * The controller side of the node daemons ({@code NodeDaemons=true}): the {@link Launcher} that pushes launches and
 * terminations to each node's craned over the {@code Register} stream it keeps open, and the watchdog that sets a
 * silent node DOWN.
 *
 * <ul>
 *   <li>A node without an open stream is <em>not responding</em> (not persisted): it takes no new jobs, and its
 *       running jobs keep their state. The controller starts with every node not responding.</li>
 *   <li>After {@code NodeTimeout} seconds without a registration or heartbeat the node is set DOWN (a logged event
 *       with reason {@value #NOT_RESPONDING}): its jobs end NODE_FAIL, or are requeued when they asked for it —
 *       the controller's ordinary node-down handling.</li>
 *   <li>A registering node gets back to service by {@code ReturnToService}: 0 never by itself, 1 when the controller
 *       set it DOWN for not responding, 2 whatever the reason of its DOWN. DRAIN is never lifted automatically.</li>
 *   <li>A node that registers with fewer CPUs, less memory or fewer GPUs than configured is drained (reason says
 *       what is missing), as Slurm does: the configuration is what the scheduler plans with.</li>
 * </ul>
 *
 * <p>Delivery: every registration is answered with the full list of runs the controller believes running with
 * their batch script on that node ({@link NodeReconcile}); craned re-adopts, reports, launches or kills to match.
 * A launch or terminate for a node without a stream is dropped: the next registration's reconciliation covers it.
 */
final class NodeManager implements Launcher, StepNodes, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(NodeManager.class.getName());
    static final String NOT_RESPONDING = "Not responding";

    /** One node's connection state. */
    static final class Session {
        final String node;
        /** The open Register stream, or null. Guarded by this. */
        ServerCallStreamObserver<NodeCommand> stream;
        /** The daemon instance that opened {@link #stream}. Guarded by this. */
        long daemonSession;
        /** Runs (id@start) already sent on the current stream: a launch racing the reconciliation is sent once. */
        final Set<String> sent = new HashSet<>();
        volatile long lastHeardNanos;
        /** Set DOWN by the watchdog since the last registration: not checked again. */
        volatile boolean timedOut;

        Session(String node) {
            this.node = node;
        }
    }

    private final Controller ctl;
    private final CtldConfig cfg;
    private final Runnable poke;
    private final Node[] nodes;
    private final Map<String, Session> sessions = new LinkedHashMap<>();
    /** Batch node of each launched job: a requeued job no longer carries its allocation when it is terminated. */
    private final Map<Long, String> batchNode = new ConcurrentHashMap<>();
    private final ScheduledExecutorService watchdog;
    /** Random per controller start, sent with every reconciliation (see NodeReconcile.controller_instance). */
    private final long instance = new java.security.SecureRandom().nextLong() | 1;
    private long lastSweepNanos = System.nanoTime();

    NodeManager(Controller ctl, CtldConfig cfg, Runnable poke) {
        this.ctl = ctl;
        this.cfg = cfg;
        this.poke = poke;
        this.nodes = ctl.cluster().nodes;
        long now = System.nanoTime();
        for (Node n : nodes) {
            Session s = new Session(n.name);
            s.lastHeardNanos = now; // every node gets one timeout to register after a controller start
            sessions.put(n.name, s);
            ctl.setNodeResponding(n.name, false);
        }
        watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "crane-node-watchdog");
            t.setDaemon(true);
            return t;
        });
        long period = Math.max(100, Math.min(1000, cfg.nodeTimeoutSec * 250));
        watchdog.scheduleWithFixedDelay(this::check, period, period, TimeUnit.MILLISECONDS);
    }

    Session session(String node) {
        Session s = sessions.get(node);
        if (s == null) throw CtldException.notFound("node", "no node '" + node + "' in the configuration");
        return s;
    }

    // ---- registration and heartbeat ----------------------------------------------------------------------------

    /** A node's craned registers: answers with the reconciliation, then keeps {@code out} for launches. */
    void register(NodeRegistration r, ServerCallStreamObserver<NodeCommand> out) {
        Session s = session(r.getNode());
        Node cfgNode = nodes[ctl.cluster().nodeIndex.get(r.getNode())];
        out.setOnCancelHandler(() -> disconnected(s, out));
        int expected;
        synchronized (s) {
            ServerCallStreamObserver<NodeCommand> old = s.stream;
            if (old != null) {
                try {
                    old.onError(Status.ABORTED.withDescription("replaced by a new registration").asRuntimeException());
                } catch (RuntimeException ignored) {
                    // already gone
                }
            }
            s.stream = out;
            s.daemonSession = r.getSession();
            s.sent.clear();
            s.lastHeardNanos = System.nanoTime();
            s.timedOut = false;
            // under the session lock: a launch racing this snapshot is either in it or sent after it, never lost
            NodeReconcile.Builder rb = NodeReconcile.newBuilder().setControllerInstance(instance);
            for (Job j : ctl.runningJobsOn(s.node)) {
                rb.addExpected(launchOf(j));
                s.sent.add(key(j.id, j.startTime));
                batchNode.put(j.id, s.node);
            }
            expected = rb.getExpectedCount();
            out.onNext(NodeCommand.newBuilder().setReconcile(rb).build());
        }
        ctl.setNodeResponding(s.node, true);
        String missing = missingResources(cfgNode, r);
        Controller.NodeView v = ctl.node(s.node);
        if (missing != null) {
            if (v.state() != NodeState.DRAIN && v.state() != NodeState.DOWN) {
                ctl.systemNodeControl(s.node, Controller.NodeOp.DRAIN, "registered with " + missing);
            }
        } else if (v.state() == NodeState.DOWN && (cfg.returnToService == 2
                || cfg.returnToService == 1 && v.reason() != null && v.reason().startsWith(NOT_RESPONDING))) {
            ctl.systemNodeControl(s.node, Controller.NodeOp.RESUME, null);
            LOG.info("node " + s.node + " returned to service");
        }
        LOG.info("node " + s.node + " registered (" + r.getCpus() + " cpus, " + r.getMemMb() + " MiB, " + r.getGpus()
                + " gpus); " + expected + " running job(s) to reconcile");
        poke.run();
    }

    private static String missingResources(Node n, NodeRegistration r) {
        StringBuilder b = new StringBuilder();
        if (r.getCpus() < n.cpus) b.append(" cpus ").append(r.getCpus()).append('<').append(n.cpus);
        if (r.getMemMb() < n.memMb) b.append(" mem ").append(r.getMemMb()).append("M<").append(n.memMb).append('M');
        if (r.getGpus() < n.gpuTotal()) b.append(" gpus ").append(r.getGpus()).append('<').append(n.gpuTotal());
        return b.length() == 0 ? null : "fewer resources than configured:" + b;
    }

    /** A heartbeat: true when the daemon must register (again). */
    boolean heartbeat(String node, long daemonSession) {
        Session s = session(node);
        synchronized (s) {
            if (s.stream == null || s.daemonSession != daemonSession) return true;
            s.lastHeardNanos = System.nanoTime();
            return false;
        }
    }

    private void disconnected(Session s, ServerCallStreamObserver<NodeCommand> stream) {
        synchronized (s) {
            if (s.stream != stream) return; // an older stream, already replaced
            s.stream = null;
            s.sent.clear();
        }
        LOG.info("node " + s.node + ": craned disconnected");
        try {
            ctl.setNodeResponding(s.node, false);
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "closing", e);
        }
    }

    /** Sets silent nodes DOWN. */
    private void check() {
        try {
            long now = System.nanoTime();
            long timeout = TimeUnit.SECONDS.toNanos(cfg.nodeTimeoutSec);
            for (Session s : sessions.values()) {
                if (s.timedOut || now - s.lastHeardNanos < timeout) continue;
                Controller.NodeView v = ctl.node(s.node);
                if (v == null || (v.state() == NodeState.DOWN && v.reason() != null && !v.reason().endsWith("not responding"))) {
                    s.timedOut = true;
                    continue; // already DOWN for another reason
                }
                ServerCallStreamObserver<NodeCommand> stale;
                synchronized (s) {
                    stale = s.stream;
                    s.stream = null;
                    s.sent.clear();
                }
                if (stale != null) {
                    try {
                        stale.onError(Status.UNAVAILABLE.withDescription("no heartbeat for " + cfg.nodeTimeoutSec + " s").asRuntimeException());
                    } catch (RuntimeException ignored) {
                        // gone
                    }
                }
                ctl.setNodeResponding(s.node, false);
                s.timedOut = true;
                String reason = NOT_RESPONDING + " (no heartbeat for " + cfg.nodeTimeoutSec + " s)";
                LOG.warning("node " + s.node + ": " + reason + "; setting it DOWN");
                ctl.systemNodeControl(s.node, Controller.NodeOp.DOWN, reason);
                poke.run();
            }
            if (now - lastSweepNanos > TimeUnit.SECONDS.toNanos(60)) {
                lastSweepNanos = now;
                Set<Long> live = new HashSet<>();
                for (long id : ctl.runningJobIds(Integer.MAX_VALUE)) live.add(id);
                batchNode.keySet().retainAll(live);
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "node watchdog", e);
        }
    }

    // ---- Launcher ----------------------------------------------------------------------------------------------

    @Override
    public void launch(List<Job> jobs) {
        for (Job j : jobs) {
            Session s = sessions.get(nodes[j.allocNodes[0]].name);
            batchNode.put(j.id, s.node);
            NodeCommand c = null;
            synchronized (s) {
                if (s.stream == null || !s.sent.add(key(j.id, j.startTime))) continue;
                c = NodeCommand.newBuilder().setLaunch(launchOf(j)).build();
                send(s, c);
            }
        }
    }

    @Override
    public void terminate(List<Job> jobs) {
        for (Job j : jobs) {
            String node = batchNode.remove(j.id);
            if (node == null && j.allocNodes != null) node = nodes[j.allocNodes[0]].name;
            if (node == null) continue;
            Session s = sessions.get(node);
            NodeTerminate t = NodeTerminate.newBuilder().setJobId(j.id).setRunStart(j.startTime)
                    .setWhy(j.state == JobState.TIMEOUT ? "TIMEOUT" : "CANCELLED").build();
            synchronized (s) {
                if (s.stream != null) send(s, NodeCommand.newBuilder().setTerminate(t).build());
            }
        }
    }

    /** Sends a step command to a node's craned; false when the node has no open stream (not connected). */
    @Override
    public boolean send(String node, NodeCommand c) {
        Session s = sessions.get(node);
        if (s == null) return false;
        synchronized (s) {
            if (s.stream == null) return false;
            send(s, c);
            return s.stream != null;
        }
    }

    /** Under the session lock. A failed send drops the stream; the node re-registers and reconciles. */
    private void send(Session s, NodeCommand c) {
        try {
            s.stream.onNext(c);
        } catch (RuntimeException e) {
            LOG.fine(() -> "node " + s.node + ": send failed: " + e);
            s.stream = null;
            s.sent.clear();
        }
    }

    private static String key(long id, long start) {
        return id + "@" + start;
    }

    private NodeLaunch launchOf(Job j) {
        JobDesc d = j.desc;
        NodeLaunch.Builder b = NodeLaunch.newBuilder().setJobId(j.id).setStartTime(j.startTime)
                .setArrayJobId(j.arrayJobId).setArrayTaskId(j.arrayTaskId).setName(nz(d.name())).setUser(d.user())
                .setAccount(nz(d.account())).setPartition(nz(d.partition())).setQos(nz(d.qos()))
                .setNtasks(d.ntasks()).setNtasksPerNode(d.ntasksPerNode()).setCpusPerTask(d.cpusPerTask())
                .setCpusOnNode(d.cpusPerNode()).setMemPerNodeMb(d.memPerNodeMb()).setGpusPerNode(d.gresPerNode())
                .setTimeLimitSec(j.timeLimitSec).setWorkDir(nz(d.workDir())).setScript(nz(d.script()))
                .setStdout(nz(d.stdout())).setStderr(nz(d.stderr()));
        for (int n : j.allocNodes) b.addNodes(nodes[n].name);
        for (String e : d.env()) b.addEnv(e);
        return b.build();
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    /** Closes every node stream (the daemons reconnect to the next controller); running jobs are not touched. */
    @Override
    public void close() {
        watchdog.shutdownNow();
        for (Session s : sessions.values()) {
            synchronized (s) {
                if (s.stream != null) {
                    try {
                        s.stream.onError(Status.UNAVAILABLE.withDescription("controller shutting down").asRuntimeException());
                    } catch (RuntimeException ignored) {
                        // gone
                    }
                    s.stream = null;
                }
            }
        }
    }
}
