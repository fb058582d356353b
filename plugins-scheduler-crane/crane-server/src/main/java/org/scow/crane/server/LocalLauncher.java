package org.scow.crane.server;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;
import org.scow.crane.ctld.Controller;
import org.scow.crane.ctld.CtldException;
import org.scow.crane.ctld.Launcher;
import org.scow.crane.executor.ExecutorConfig;
import org.scow.crane.executor.JobExecutor;
import org.scow.crane.executor.JobOutcome;
import org.scow.crane.executor.JobSpec;
import org.scow.crane.ctld.model.Job;
import org.scow.crane.ctld.model.JobDesc;
import org.scow.crane.protocol.JobState;
import org.scow.crane.ctld.model.Node;

/**
 * A single-machine cluster: the controller's {@link Launcher} runs every started job on this machine through a
 * {@link JobExecutor}, in the controller's process. Reports go straight to the controller. It lives with the server,
 * not with the executor, because it is the one piece that knows both: the executor (crane-executor) does not depend
 * on the controller core.
 *
 * <p>The controller stays the source of truth for time limits and cancels: it ends the job (TIMEOUT, CANCELLED,
 * NODE_FAIL, requeue) and then asks the executor to kill it; the executor only reports what it alone can know
 * (exit status, OOM kill, a job lost across a restart).
 */
public final class LocalLauncher implements Launcher, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(LocalLauncher.class.getName());

    private final Controller ctl;
    private final Runnable onEnded;
    private final Node[] nodes;
    private JobExecutor executor;

    private LocalLauncher(Controller ctl, Runnable onEnded) {
        this.ctl = ctl;
        this.onEnded = onEnded;
        this.nodes = ctl.cluster().nodes;
    }

    /**
     * Opens the executor, reconciles it with the jobs the (recovered) controller believes running — re-adopting
     * live ones, reporting dead ones, killing strays — and installs itself as the controller's launcher.
     *
     * @param onEnded called after each report (e.g. to wake the scheduler: resources were freed)
     */
    public static LocalLauncher install(Controller ctl, ExecutorConfig cfg, Runnable onEnded) throws IOException {
        LocalLauncher l = new LocalLauncher(ctl, onEnded);
        l.executor = JobExecutor.open(cfg, l::ended);
        List<JobSpec> running = new ArrayList<>();
        for (Job j : ctl.runningJobs()) running.add(spec(j, l.nodes));
        l.executor.recover(running);
        ctl.setLauncher(l);
        return l;
    }

    /** The executor's spec of a started controller job; {@code all} are the controller's nodes (indexed by allocation). */
    static JobSpec spec(Job j, Node[] all) {
        if (j.allocNodes == null) throw new IllegalArgumentException("job " + j.id + " is not started");
        List<String> names = new ArrayList<>(j.allocNodes.length);
        for (int n : j.allocNodes) names.add(all[n].name);
        JobDesc d = j.desc;
        return new JobSpec(j.id, j.startTime, j.arrayJobId, j.arrayTaskId, d.name(), d.user(), d.account(), d.partition(), d.qos(),
                names, d.ntasks(), d.ntasksPerNode(), d.cpusPerTask(), d.cpusPerNode(), d.memPerNodeMb(),
                d.gresPerNode(), j.timeLimitSec, d.workDir(), d.script(), List.of(d.env()), d.stdout(), d.stderr());
    }

    public JobExecutor executor() {
        return executor;
    }

    @Override
    public void launch(List<Job> jobs) {
        for (Job j : jobs) executor.start(spec(j, nodes));
    }

    @Override
    public void terminate(List<Job> jobs) {
        for (Job j : jobs) {
            executor.terminate(j.id, j.startTime, j.state == JobState.TIMEOUT ? JobState.TIMEOUT : JobState.CANCELLED);
        }
    }

    private void ended(JobSpec spec, JobOutcome o) {
        if (o.message() != null) LOG.info("job " + spec.jobId() + " ended " + o);
        // CANCELLED and TIMEOUT are the controller's own decisions, already recorded before it asked for the kill
        if (o.state() != JobState.CANCELLED && o.state() != JobState.TIMEOUT) {
            try {
                ctl.jobEnded(spec.jobId(), spec.startTime(), o.state(), o.exitCode(), o.endTime(), o.message());
            } catch (CtldException e) {
                // the controller ended it meanwhile (cancel, time limit, node down): its decision stands
            }
        }
        onEnded.run();
    }

    /** Stops watching; running jobs keep running and are re-adopted by the next {@link #install}. */
    @Override
    public void close() {
        ctl.setLauncher(null);
        if (executor != null) executor.close();
    }
}
