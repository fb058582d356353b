package org.scow.crane.server;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.scow.crane.ctld.Controller;
import org.scow.crane.ctld.CtldException;
import org.scow.crane.ctld.JobView;
import org.scow.crane.ctld.account.AdminLevel;
import org.scow.crane.ctld.step.StepTable;
import org.scow.crane.protocol.HostList;
import org.scow.crane.protocol.JobState;
import org.scow.crane.protocol.v1.CraneStepsGrpc;
import org.scow.crane.protocol.v1.Empty;
import org.scow.crane.protocol.v1.NodeCommand;
import org.scow.crane.protocol.v1.Step;
import org.scow.crane.protocol.v1.StepIoReply;
import org.scow.crane.protocol.v1.StepIoRequest;
import org.scow.crane.protocol.v1.StepLaunch;
import org.scow.crane.protocol.v1.StepList;
import org.scow.crane.protocol.v1.StepOutputBatch;
import org.scow.crane.protocol.v1.StepQuery;
import org.scow.crane.protocol.v1.StepRef;
import org.scow.crane.protocol.v1.StepRequest;
import org.scow.crane.protocol.v1.StepSignal;
import org.scow.crane.protocol.v1.StepStarted;
import org.scow.crane.protocol.v1.StepStdin;

/**
 * Job steps ({@code crun} inside an allocation): starts a step's tasks on the nodes of a running job (pushed to each
 * node's craned over its Register stream), relays their output to crun's polls ({@link StepRelay}) and crun's stdin
 * and signals back to the nodes, and records the steps in a {@link StepTable}.
 *
 * <p>Who may: the job's owner or an operator (admin) — the same people who may cancel the job, minus account
 * coordinators, since a step runs code as the job's user. Tasks always run as the job's user, which the controller
 * already refused to be a system account when the job was submitted (and craned checks again).
 *
 * <p>Steps end with their job: a sweep every {@link #SWEEP_MS} ms ends the steps of jobs that are no longer
 * running (their processes are killed by the nodes: the batch node kills the job's tree, every step node gets a
 * signal to end the job's steps). Steps need node daemons ({@code NodeDaemons=true}) or a single-machine cluster
 * ({@code LocalExecutor=true}, {@link LocalSteps}); with simulated nodes every call is FAILED_PRECONDITION.
 */
final class StepService extends CraneStepsGrpc.CraneStepsImplBase implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(StepService.class.getName());
    static final int SWEEP_MS = 500;
    static final int MAX_TASKS = 4096;
    static final int MAX_WAIT_MS = 30_000;

    private final Controller ctl;
    private final StepNodes nodes;
    private final StepTable table = new StepTable();
    private final Map<String, StepRelay> relays = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer;

    StepService(Controller ctl, StepNodes nodes) {
        this.ctl = ctl;
        this.nodes = nodes;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "crane-steps");
            t.setDaemon(true);
            return t;
        });
        if (nodes != null) timer.scheduleWithFixedDelay(this::sweep, SWEEP_MS, SWEEP_MS, TimeUnit.MILLISECONDS);
    }

    private static String key(long job, int step) {
        return job + "." + step;
    }

    // ---- crun's calls ----------------------------------------------------------------------------------------------

    @Override
    public void startStep(StepRequest req, StreamObserver<StepStarted> out) {
        reply(out, () -> {
            String actor = userActor();
            JobView job = controllable(actor, req.getJobId());
            if (job.state() != JobState.RUNNING) {
                throw CtldException.state("job " + job.displayId() + " is " + job.state() + ", not RUNNING: steps run inside a running allocation");
            }
            List<String> alloc = HostList.expand("nodes", job.nodeList());
            int n = req.hasNodes() ? req.getNodes() : alloc.size();
            if (n < 1 || n > alloc.size()) {
                throw CtldException.invalid("nodes", "job " + job.displayId() + " has " + alloc.size() + " node(s); a step may use 1 to " + alloc.size() + ", not " + n);
            }
            int ntasks = req.hasNtasks() ? req.getNtasks() : n;
            if (ntasks < n || ntasks > MAX_TASKS) {
                throw CtldException.invalid("ntasks", "a step on " + n + " node(s) needs " + n + " to " + MAX_TASKS + " tasks, not " + ntasks);
            }
            if (req.getPty() && ntasks != 1) throw CtldException.invalid("pty", "a pseudo-terminal step has exactly one task, not " + ntasks);
            validate(req);
            List<String> used = alloc.subList(0, n);
            // block placement: consecutive ranks on one node, the first (ntasks % n) nodes get one more
            int[] taskNode = new int[ntasks];
            int base = ntasks / n;
            int extra = ntasks % n;
            for (int node = 0, t = 0; node < n; node++) {
                for (int k = 0; k < base + (node < extra ? 1 : 0); k++) taskNode[t++] = node;
            }
            String name = req.getName().isEmpty() ? baseName(req.getArgv(0)) : req.getName();
            StepTable.Step s = table.start(job.id(), name, job.user(), used, ntasks, System.currentTimeMillis() / 1000);
            StepRelay relay = new StepRelay(job.id(), s.stepId, job.user(), used, taskNode);
            relays.put(key(job.id(), s.stepId), relay);
            int cpusOnNode = Math.max(1, job.cpus() / Math.max(1, job.nodes()));
            for (int node = 0; node < n; node++) {
                StepLaunch.Builder l = StepLaunch.newBuilder().setJobId(job.id()).setStepId(s.stepId).setUser(job.user())
                        .setNodeIndex(node).addAllNodes(used).setNtasks(ntasks).addAllArgv(req.getArgvList())
                        .addAllEnv(req.getEnvList()).setWorkDir(req.getWorkDir()).setPty(req.getPty())
                        .setCpusOnNode(cpusOnNode).setMemPerNodeMb(job.memPerNodeMb()).addAllJobNodes(alloc)
                        .setPtyRows(req.getPtyRows()).setPtyCols(req.getPtyCols());
                for (int t = 0; t < ntasks; t++) if (taskNode[t] == node) l.addTasks(t);
                if (!nodes.send(used.get(node), NodeCommand.newBuilder().setStepLaunch(l).build())) {
                    signal(relay, 9);
                    end(relay, "FAILED", 1, "node " + used.get(node) + " is not connected");
                    throw CtldException.state("node " + used.get(node) + " of job " + job.displayId() + " is not connected; the step was not started");
                }
            }
            LOG.fine(() -> "step " + s.id() + " started: " + ntasks + " task(s) on " + used);
            return StepStarted.newBuilder().setJobId(job.id()).setStepId(s.stepId).addAllNodes(used).setNtasks(ntasks).build();
        });
    }

    private static void validate(StepRequest req) {
        if (req.getArgvCount() == 0 || req.getArgv(0).isEmpty()) throw CtldException.invalid("argv", "no program to run");
        for (String a : req.getArgvList()) {
            if (a.indexOf('\0') >= 0) throw CtldException.invalid("argv", "an argument holds a NUL character");
        }
        for (String e : req.getEnvList()) {
            int eq = e.indexOf('=');
            if (eq <= 0 || e.indexOf('\0') >= 0) throw CtldException.invalid("env", "not NAME=value: '" + e + "'");
        }
        if (req.getPtyRows() < 0 || req.getPtyRows() > 10_000 || req.getPtyCols() < 0 || req.getPtyCols() > 10_000) {
            throw CtldException.invalid("pty", "terminal size " + req.getPtyRows() + "x" + req.getPtyCols() + " out of range");
        }
        if (!req.getWorkDir().isEmpty() && !req.getWorkDir().startsWith("/")) {
            throw CtldException.invalid("work_dir", "must be absolute: '" + req.getWorkDir() + "'");
        }
    }

    private static String baseName(String p) {
        int i = p.lastIndexOf('/');
        return i >= 0 && i < p.length() - 1 ? p.substring(i + 1) : p;
    }

    @Override
    public void stepIo(StepIoRequest req, StreamObserver<StepIoReply> out) {
        StepRelay relay;
        try {
            relay = ownRelay(userActor(), req.getJobId(), req.getStepId());
            if (!req.getStdin().isEmpty() || req.getStdinEof()) {
                // stdin goes to task 0, which block placement puts on the step's first node
                nodes.send(relay.nodes.get(0), NodeCommand.newBuilder().setStepStdin(StepStdin.newBuilder()
                        .setJobId(relay.jobId).setStepId(relay.stepId).setData(req.getStdin()).setEof(req.getStdinEof())).build());
            }
            int sig = req.getSignal();
            if (sig != 0) {
                if (!List.of(1, 2, 9, 10, 12, 15).contains(sig)) throw CtldException.invalid("signal", "signal " + sig + " is not forwarded (1, 2, 9, 10, 12, 15 are)");
                if (sig == 2 || sig == 15 || sig == 9) relay.markCancelled("signal " + sig + " from crun");
                signal(relay, sig);
            }
        } catch (CtldException e) {
            out.onError(Errors.of(e));
            return;
        } catch (StatusRuntimeException e) {
            out.onError(e);
            return;
        }
        if (req.getWaitMs() == 0 && (!req.getStdin().isEmpty() || req.getStdinEof() || req.getSignal() != 0)) {
            // input only (crun's second connection): it must not acknowledge output the poller has not read yet
            out.onNext(StepIoReply.newBuilder().setState(relay.state()).build());
            out.onCompleted();
            return;
        }
        relay.poll(req.getAfterSeq(), Math.max(0, Math.min(MAX_WAIT_MS, req.getWaitMs())), out, timer);
    }

    @Override
    public void cancelStep(StepRef req, StreamObserver<Empty> out) {
        reply(out, () -> {
            String actor = userActor();
            controllable(actor, req.getJobId());
            StepTable.StepView v = table.view(req.getJobId(), req.getStepId());
            if (v == null) throw CtldException.notFound("step", "no step " + key(req.getJobId(), req.getStepId()));
            StepRelay relay = relays.get(key(req.getJobId(), req.getStepId()));
            if (v.state() != StepTable.State.RUNNING || relay == null) {
                throw CtldException.state("step " + key(req.getJobId(), req.getStepId()) + " has already ended (" + v.state() + ")");
            }
            relay.markCancelled("cancelled by " + actor);
            signal(relay, 15);
            return Empty.getDefaultInstance();
        });
    }

    @Override
    public void querySteps(StepQuery req, StreamObserver<StepList> out) {
        reply(out, () -> {
            userActor();
            StepList.Builder b = StepList.newBuilder();
            for (StepTable.StepView v : table.steps(req.getJobIdsList(), req.getIncludeFinished())) {
                // like jobs, steps are visible to everyone; their commands are not secrets of the owner
                Step.Builder s = Step.newBuilder().setJobId(v.jobId()).setStepId(v.stepId()).setName(v.name())
                        .setUser(v.user()).setState(v.state().name()).addAllNodes(v.nodes()).setNtasks(v.ntasks())
                        .setStartTime(v.startTime()).setEndTime(v.endTime()).setExitCode(v.exitCode());
                if (v.reason() != null) s.setReason(v.reason());
                b.addSteps(s);
            }
            return b.build();
        });
    }

    // ---- the nodes' reports ----------------------------------------------------------------------------------------

    /** Output and task ends from {@code node}; items of unknown or ended steps, or of steps not on that node, are dropped. */
    void nodeOutput(String node, StepOutputBatch batch) {
        for (StepOutputBatch.Item it : batch.getItemsList()) {
            StepRelay relay = relays.get(key(it.getJobId(), it.getStepId()));
            if (relay == null) {
                // a step this controller does not run (forgotten in a restart, or ended): its node ends it
                if (!it.getEnded()) {
                    nodes.send(node, NodeCommand.newBuilder().setStepSignal(StepSignal.newBuilder()
                            .setJobId(it.getJobId()).setStepId(it.getStepId()).setSignal(9)).build());
                }
                continue;
            }
            int t = it.getTask();
            if (t < 0 || t >= relay.ntasks() || !relay.nodes.get(relay.taskNode[t]).equals(node)) {
                LOG.warning("node " + node + " reported task " + t + " of step " + key(it.getJobId(), it.getStepId()) + ", which it does not run");
                continue;
            }
            if (!it.getData().isEmpty()) relay.output(t, it.getFd() == 2 ? 2 : 1, it.getData());
            if (it.getEnded() && relay.taskEnded(t, it.getExitCode(), it.getReason())) {
                end(relay, relay.state(), relay.exitCode(), relay.reason());
            }
        }
    }

    // ---- plumbing --------------------------------------------------------------------------------------------------

    /** Records the end of a step and forgets its relay once crun had time to read the rest. */
    private void end(StepRelay relay, String state, int exit, String why) {
        relay.finish(state, exit, why);
        table.end(relay.jobId, relay.stepId, StepTable.State.valueOf(relay.state()), relay.exitCode(), relay.reason(),
                System.currentTimeMillis() / 1000);
        String k = key(relay.jobId, relay.stepId);
        timer.schedule(() -> relays.remove(k, relay), 60, TimeUnit.SECONDS);
    }

    private void signal(StepRelay relay, int sig) {
        for (String n : relay.nodes) {
            nodes.send(n, NodeCommand.newBuilder().setStepSignal(StepSignal.newBuilder().setJobId(relay.jobId)
                    .setStepId(relay.stepId).setSignal(sig)).build());
        }
    }

    /** Ends the steps of jobs that no longer run; their nodes kill what is left of them. */
    private void sweep() {
        try {
            for (long job : table.jobsWithRunningSteps()) {
                JobView v = ctl.job(job);
                if (v != null && v.state() == JobState.RUNNING) continue;
                for (StepTable.StepView s : table.running(job)) {
                    StepRelay relay = relays.get(key(job, s.stepId()));
                    String why = "job " + job + " ended" + (v == null ? "" : " (" + v.state() + ")");
                    if (relay != null) {
                        signal(relay, 9);
                        relay.markCancelled(why);
                        end(relay, "CANCELLED", relay.exitCode(), why);
                    } else {
                        table.end(job, s.stepId(), StepTable.State.CANCELLED, 0, why, System.currentTimeMillis() / 1000);
                    }
                }
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "step sweep", e);
        }
    }

    private JobView controllable(String actor, long jobId) {
        JobView job = ctl.job(jobId);
        if (job == null) throw CtldException.notFound("job", "no job " + jobId);
        if (!actor.equals(job.user()) && level(actor).compareTo(AdminLevel.OPERATOR) < 0) {
            throw CtldException.denied("'" + actor + "' may not run or cancel steps in job " + job.displayId() + " of " + job.user());
        }
        return job;
    }

    private StepRelay ownRelay(String actor, long jobId, int stepId) {
        StepRelay relay = relays.get(key(jobId, stepId));
        if (relay == null) throw CtldException.notFound("step", "no running step " + key(jobId, stepId));
        if (!actor.equals(relay.user) && level(actor).compareTo(AdminLevel.OPERATOR) < 0) {
            throw CtldException.denied("'" + actor + "' may not use step " + key(jobId, stepId) + " of " + relay.user);
        }
        return relay;
    }

    private AdminLevel level(String actor) {
        return ctl.withAccounts(a -> a.level(actor));
    }

    private String userActor() {
        Caller c = Caller.current();
        if (c.isNode()) throw Errors.denied("node credentials may not run steps");
        if (nodes == null) {
            throw Errors.of(Status.FAILED_PRECONDITION, "INVALID_STATE", null,
                    "job steps (crun) need node daemons (NodeDaemons=true) or a single-machine cluster (LocalExecutor=true)");
        }
        return c.actor();
    }

    private static <T> void reply(StreamObserver<T> out, Supplier<T> call) {
        Errors.reply(out, call, LOG, "step");
    }

    @Override
    public void close() {
        timer.shutdownNow();
        for (StepRelay r : new ArrayList<>(relays.values())) r.finish("CANCELLED", 0, "controller shutting down");
    }
}
