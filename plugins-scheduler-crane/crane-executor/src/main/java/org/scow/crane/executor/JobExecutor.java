package org.scow.crane.executor;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.scow.crane.protocol.JobUserPolicy;
import org.scow.crane.protocol.JobState;

/**
 * Runs batch jobs as real processes on this node (the core of craned).
 *
 * <p>A job is started as {@code setsid [setpriv --reuid U --regid G --init-groups --] /bin/sh -c WRAPPER ...}:
 * its own session (so the whole tree can be found and signalled), as its user when the executor is root, every
 * argument passed as a list element and never spliced into a shell string. {@link #WRAPPER} is fixed text: it waits
 * until the executor has moved it into the job's cgroups, then, already as the user, enters the working directory,
 * creates the output files (so they belong to the user and the kernel checks the user's rights), runs the script
 * and records its exit status in the spool (which is how a restarted executor learns how an adopted job ended).
 *
 * <p>Cancel and time limit: SIGTERM to every process of the job, {@code killWaitMs} of grace, then SIGKILL. When the
 * script ends on its own, whatever it left behind is killed. A job over its memory limit is killed by the kernel
 * inside its cgroup and ends OUT_OF_MEMORY. Its devices group lets it open only its own GPUs (see {@link Gpus}).
 * Without cgroups there are no limits and the tree is the session.
 *
 * <p>Outcomes go to the {@link Listener}, once per run, from a pool thread.
 */
public final class JobExecutor implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(JobExecutor.class.getName());

    /** Delivers how each run ended. */
    public interface Listener {
        void ended(JobSpec spec, JobOutcome outcome);
    }

    /**
     * The job's first shell, run as the user. Arguments: 1 working directory, 2 stdout file, 3 stderr file, 4 status
     * file, then the command. Exit codes 121-123 mean the script never ran; the reason is in the launch log.
     */
    static final String WRAPPER = String.join("\n",
            "read -r go || exit 121",
            "exec </dev/null",
            "cd -- \"$1\" || exit 122",
            "if [ \"$2\" = \"$3\" ]; then",
            "  true >\"$2\" || exit 123",
            "  exec >\"$2\" 2>&1",
            "else",
            "  { true >\"$2\" && true 2>\"$3\"; } || exit 123",
            "  exec >\"$2\" 2>\"$3\"",
            "fi",
            "status=$4",
            "shift 4",
            "\"$@\"",
            "rc=$?",
            "echo \"$rc\" >\"$status\"",
            "exit \"$rc\"");

    private final ExecutorConfig cfg;
    private final Listener listener;
    private final Spool spool;
    private final Cgroups cgroups;
    private final String cgroupsProblem;
    private final boolean switchUser;
    private final String ownUser;
    private final JobUserPolicy userPolicy;
    private final Gpus gpus;
    private final String gpuIsolationProblem;
    private final String setsid;
    private final String setpriv;
    private final Map<Long, RunningJob> running = new ConcurrentHashMap<>();
    private final Object launchLock = new Object();
    /** Runs (id, start) terminated before their launch arrived: they must not start. Bounded, oldest dropped. */
    private final Map<String, Boolean> killedBeforeStart = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> e) {
            return size() > 10_000;
        }
    };
    private final ScheduledExecutorService timer;
    private final ExecutorService finisher;
    private volatile boolean closed;

    private JobExecutor(ExecutorConfig cfg, Listener listener) throws IOException {
        if (cfg.spoolDir == null) throw new IllegalArgumentException("the executor needs a spool directory");
        this.cfg = cfg;
        this.listener = listener;
        this.ownUser = System.getProperty("user.name");
        this.userPolicy = cfg.jobUserPolicy();
        boolean root = effectiveUid() == 0;
        this.switchUser = cfg.runAsUser && root;
        if (cfg.runAsUser && !root) {
            LOG.warning("craned is not root: single-user mode, only jobs of '" + ownUser + "' will run");
        }
        this.setsid = Tools.require("setsid");
        this.setpriv = switchUser ? Tools.require("setpriv") : null;
        this.spool = new Spool(cfg.spoolDir);
        if (switchUser) spool.requireSearchableByOthers();
        this.gpus = Gpus.resolve(cfg.gpus, cfg.gpuDevices, cfg.gpuSharedDevices);
        Cgroups cg = null;
        String problem = null;
        if (cfg.cgroups != Cgroups.Mode.OFF) {
            try {
                cg = Cgroups.open(cfg.cgroupSubdir, gpus.allDevices());
            } catch (IOException e) {
                if (cfg.cgroups == Cgroups.Mode.REQUIRED) throw new IOException("cgroups are required: " + e.getMessage(), e);
                problem = e.getMessage();
                LOG.warning("running jobs WITHOUT cgroups (no CPU/memory limits, no OOM detection): " + problem);
            }
        } else {
            problem = "disabled by configuration";
        }
        this.cgroups = cg;
        this.cgroupsProblem = problem;
        this.gpuIsolationProblem = gpuIsolation(cfg, gpus, cg, problem);
        AtomicInteger n = new AtomicInteger();
        this.timer = Executors.newSingleThreadScheduledExecutor(daemon("crane-exec-timer", n));
        this.finisher = Executors.newCachedThreadPool(daemon("crane-exec-finish", n));
    }

    /**
     * Why jobs can open GPUs they were not given (null when they cannot, or when the node has no GPU device files);
     * logged once. Without isolation a job is only told its GPUs through CUDA_VISIBLE_DEVICES.
     */
    private static String gpuIsolation(ExecutorConfig cfg, Gpus gpus, Cgroups cg, String cgroupsProblem) throws IOException {
        if (gpus.total() == 0) return null;
        if (!gpus.withoutDeviceFile().isEmpty()) {
            LOG.info("GPU(s) " + gpus.withoutDeviceFile() + " have no device file /dev/nvidia<i>: nothing to isolate for them");
        }
        if (!gpus.hasDeviceFiles()) return null;
        String problem;
        if (cg == null) {
            problem = "no cgroups (" + cgroupsProblem + ")";
        } else if (!cg.devicesActive()) {
            problem = "no usable cgroup v1 devices controller: " + cg.devicesProblem();
            if (cfg.cgroups == Cgroups.Mode.REQUIRED) throw new IOException("cgroups are required, but " + problem);
        } else {
            return null;
        }
        LOG.warning("GPUs are NOT isolated, jobs are only told their GPUs in CUDA_VISIBLE_DEVICES: " + problem);
        return problem;
    }

    /** Whether each job's devices cgroup keeps it from opening GPUs it was not given. */
    public boolean gpusIsolated() {
        return gpus.hasDeviceFiles() && gpuIsolationProblem == null;
    }

    /** Why GPUs are not isolated although the node has GPU device files; null otherwise. */
    public String gpuIsolationProblem() {
        return gpuIsolationProblem;
    }

    /** Starts an executor; fails with the reason when its spool or (with {@code REQUIRED}) its cgroups are unusable. */
    public static JobExecutor open(ExecutorConfig cfg, Listener listener) throws IOException {
        return new JobExecutor(cfg, listener);
    }

    public boolean runsJobsAsTheirUsers() {
        return switchUser;
    }

    public boolean cgroupsActive() {
        return cgroups != null;
    }

    /** Why cgroups are not used, or null when they are. */
    public String cgroupsProblem() {
        return cgroupsProblem;
    }

    public int runningCount() {
        return running.size();
    }

    /** The runs this executor watches now: job id to the run's start time. */
    public Map<Long, Long> runningRuns() {
        Map<Long, Long> m = new java.util.HashMap<>();
        for (RunningJob rj : running.values()) m.put(rj.spec.jobId(), rj.spec.startTime());
        return m;
    }

    /**
     * Whether this node knows this run of the job: it watches it, or the run's spool entry exists (launched by an
     * earlier executor and not cleaned up yet). False means its launch never arrived here (or its traces were
     * destroyed); a spool entry of an earlier run of the same job does not count (it is a stray).
     */
    public boolean hasTrace(long jobId, long runStart) {
        RunningJob rj = running.get(jobId);
        if (rj != null) return rj.spec.startTime() == runStart;
        if (!Files.isDirectory(spool.dir(jobId))) return false;
        long[] pid = spool.readPid(jobId);
        // a directory without pid: the launch was cut short; one of another run: an earlier run (before a requeue)
        return pid != null && (pid[2] == -1 || pid[2] == runStart);
    }

    // ---- launch -----------------------------------------------------------------------------------------------

    /**
     * Starts a job. Problems that belong to the job (unknown user, refused in single-user mode, unusable spool)
     * are not thrown: they end the run as FAILED through the listener, like any other outcome.
     */
    public void start(JobSpec s) {
        // under the launch lock, a terminate() sees either the launched job or no job at all (and leaves a tombstone),
        // never a launch half done that it would miss
        synchronized (launchLock) {
            startLocked(s);
        }
    }

    private void startLocked(JobSpec s) {
        if (closed) throw new IllegalStateException("executor closed");
        RunningJob old = running.get(s.jobId());
        if (old != null) {
            if (old.spec.startTime() == s.startTime()) {
                LOG.fine(() -> "job " + s.jobId() + " is already running; duplicate launch ignored");
                return;
            }
            // a requeued job started again while its previous run is still being killed: start after it is gone
            old.done.thenRun(() -> start(s));
            return;
        }
        synchronized (killedBeforeStart) {
            if (killedBeforeStart.remove(runKey(s.jobId(), s.startTime())) != null) {
                deliver(s, JobOutcome.of(JobState.CANCELLED, 0, "terminated before it started"));
                return;
            }
        }
        try {
            launch(s);
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "job " + s.jobId() + " could not be launched: " + e.getMessage());
            deliver(s, JobOutcome.of(JobState.FAILED, 1, "launch failed: " + e.getMessage()));
        }
    }

    private void launch(JobSpec s) throws IOException {
        UnixUser user = resolveUser(s.user());
        // the controller refuses such submissions; this catches jobs from an older or differently configured one
        String systemUser = userPolicy.refusal(user.name(), OptionalInt.of(user.uid()));
        if (systemUser != null) throw new IOException(systemUser);
        Path dir = spool.prepare(s.jobId(), s.script(), user, switchUser);
        List<Integer> gpuIdx = gpus.take(s.gpusPerNode());
        Cgroups.JobCgroup cg = null;
        Process p;
        try {
            spool.writeGpus(s.jobId(), gpuIdx);
            cg = cgroups != null
                    ? cgroups.create(s.jobId(), s.cpusOnNode(), s.memPerNodeMb(), gpus.allowed(gpuIdx), gpus.denied(gpuIdx))
                    : null;
            ProcessBuilder pb = new ProcessBuilder(command(s, user, dir)).directory(dir.toFile());
            pb.environment().clear();
            pb.environment().putAll(JobEnvironment.build(s, user, gpuIdx, cfg.clusterName, cfg.slurmCompatibleEnv));
            File log = dir.resolve("launch.log").toFile();
            pb.redirectInput(ProcessBuilder.Redirect.PIPE);
            pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log));
            pb.redirectError(ProcessBuilder.Redirect.appendTo(log));
            p = pb.start();
        } catch (IOException | RuntimeException e) {
            gpus.give(gpuIdx);
            if (cg != null) cg.remove();
            spool.delete(s.jobId());
            throw e;
        }
        RunningJob rj = new RunningJob(s, p.pid(), p, p.toHandle(), cg, gpuIdx);
        running.put(s.jobId(), rj);
        try {
            // the wrapper waits on stdin until it is inside the job's cgroups, so no job process starts outside them
            if (cg != null) cg.join(p.pid());
            spool.writePid(s.jobId(), p.pid(), startMillis(p.toHandle()), s.startTime());
            try (OutputStream go = p.getOutputStream()) {
                go.write('\n');
            }
        } catch (IOException e) {
            rj.failure = "launch failed: " + e.getMessage();
            p.destroyForcibly();
        }
        watch(rj);
    }

    private UnixUser resolveUser(String name) throws IOException {
        if (!switchUser && !name.equals(ownUser)) {
            throw new IOException("single-user mode: this node runs only jobs of '" + ownUser + "', not of '" + name
                    + "' (run craned as root with run-as-user enabled to run every user's jobs)");
        }
        return UnixUser.lookup(name);
    }

    private List<String> command(JobSpec s, UnixUser user, Path dir) {
        List<String> cmd = new ArrayList<>();
        cmd.add(setsid);
        if (switchUser) {
            cmd.addAll(List.of(setpriv, "--reuid=" + user.uid(), "--regid=" + user.gid(), "--init-groups", "--"));
        }
        cmd.addAll(List.of("/bin/sh", "-c", WRAPPER, "crane-job-" + s.jobId(), s.workDir(),
                OutputPatterns.stdout(s).toString(), OutputPatterns.stderr(s).toString(), dir.resolve("status").toString()));
        // a script with "#!" runs under its interpreter; anything else under /bin/sh
        if (!s.script().startsWith("#!")) cmd.add("/bin/sh");
        cmd.add(dir.resolve("script").toString());
        return cmd;
    }

    private void watch(RunningJob rj) {
        rj.handle.onExit().thenRun(() -> {
            try {
                finisher.execute(() -> finish(rj));
            } catch (RejectedExecutionException closing) {
                // the executor is closing: the job is re-adopted or reported by the next executor
            }
        });
    }

    // ---- termination ------------------------------------------------------------------------------------------

    /**
     * Ends a run (CANCELLED or TIMEOUT): SIGTERM to every process of the job, SIGKILL after the grace period. The
     * outcome carries {@code why}. A run not started yet is remembered so that its launch is refused.
     *
     * @param runStart the run's start time ({@link JobSpec#startTime()}), so a late request cannot end a later run;
     *                 0 for whatever run is current (the controller forgets the start time of a requeued job)
     */
    public void terminate(long jobId, long runStart, JobState why) {
        RunningJob rj;
        synchronized (launchLock) {
            rj = running.get(jobId);
            if (rj == null) {
                synchronized (killedBeforeStart) {
                    killedBeforeStart.put(runKey(jobId, runStart), Boolean.TRUE);
                }
                return;
            }
        }
        if (runStart != 0 && rj.spec.startTime() != runStart) return; // about an earlier run
        if (!rj.request(why, TimeUnit.MILLISECONDS.toNanos(cfg.killWaitMs))) return;
        ProcessTree.signal(rj.sid, rj.cgroup, false);
        try {
            timer.schedule(() -> {
                if (running.get(jobId) == rj) ProcessTree.signal(rj.sid, rj.cgroup, true);
            }, cfg.killWaitMs, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException closing) {
            // closing: the finisher or the next executor kills what is left
        }
    }

    private static String runKey(long jobId, long start) {
        return jobId + "@" + start;
    }

    // ---- end of a run -----------------------------------------------------------------------------------------

    /** The job's first process is gone: end what is left, collect the outcome, clean up and report. */
    private void finish(RunningJob rj) {
        JobSpec s = rj.spec;
        try {
            killRemaining(s.jobId(), rj.sid, rj.cgroup, rj.requested() != null ? rj.killDeadlineNanos() : 0);
            int status = spool.readStatus(s.jobId());
            // the script's end as its wrapper recorded it (matters for a job that ended while nobody watched)
            long end = status >= 0 ? spool.statusTime(s.jobId()) : 0;
            if (end <= 0) end = System.currentTimeMillis() / 1000;
            long ooms = rj.cgroup != null ? rj.cgroup.oomKills() : 0;
            JobState why = rj.requested();
            JobOutcome outcome;
            if (why != null) {
                outcome = JobOutcome.of(why, exitOf(rj, status), null, end);
            } else if (ooms > 0) {
                outcome = JobOutcome.of(JobState.OUT_OF_MEMORY, exitOf(rj, status), "the kernel killed " + ooms
                        + " process(es) at the job's memory limit of " + s.memPerNodeMb() + " MiB", end);
            } else if (status >= 0) {
                // 126/127: the shell could not run the script at all; say why when it is the #! interpreter
                String noRun = status == 126 || status == 127 ? interpreterProblem(s.script()) : null;
                outcome = JobOutcome.of(status == 0 ? JobState.COMPLETED : JobState.FAILED, status,
                        noRun != null ? "could not start: " + noRun : null, end);
            } else {
                // the script did not run to its end: the wrapper failed (bad directory, output file) or was killed
                String why2 = rj.failure != null ? rj.failure : spool.launchErrors(s.jobId());
                // the wrapper's shell prefixes its name and line ("crane-job-7: 3: cd: ..."): noise for the user
                if (why2 != null) why2 = why2.replaceAll("(?m)^crane-job-\\d+: \\d+: ", "");
                outcome = JobOutcome.of(JobState.FAILED, exitOf(rj, status),
                        why2 != null ? "could not start: " + why2 : "the job's shell ended without recording the script's status", end);
            }
            cleanUp(rj);
            deliver(s, outcome);
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "job " + s.jobId() + ": ending failed", e);
            deliver(s, JobOutcome.of(JobState.FAILED, -1, "executor error: " + e));
        } finally {
            // only after delivery: a node that re-registers meanwhile reports the job running or its end queued, never neither
            running.remove(s.jobId(), rj);
            rj.done.complete(null);
        }
    }

    /** The script's status when recorded, else our child's exit value (128+N when a signal ended it), else -1. */
    /**
     * Why the script's {@code #!} interpreter cannot run it: missing, or not executable (seen by the executor, which
     * is root or the job's user); null when it looks fine or the script has none.
     */
    static String interpreterProblem(String script) {
        if (script == null || !script.startsWith("#!")) return null;
        int eol = script.indexOf('\n');
        String[] words = script.substring(2, eol < 0 ? script.length() : eol).strip().split("\\s+");
        if (words.length == 0 || words[0].isEmpty()) return "the script's #! line names no interpreter";
        java.nio.file.Path interp = java.nio.file.Path.of(words[0]);
        if (!Files.exists(interp)) return "the script's interpreter " + words[0] + " does not exist on this node";
        if (Files.isDirectory(interp) || !Files.isExecutable(interp)) {
            return "the script's interpreter " + words[0] + " is not an executable file";
        }
        return null;
    }

    private static int exitOf(RunningJob rj, int status) {
        if (status >= 0) return status;
        return rj.process != null ? rj.process.exitValue() : -1;
    }

    /**
     * Waits until {@code graceDeadlineNanos} (0: none) for the job's processes to leave on their own, then SIGKILLs
     * until none is left.
     */
    private static void killRemaining(long jobId, long sid, Cgroups.JobCgroup cg, long graceDeadlineNanos) {
        while (graceDeadlineNanos != 0 && ProcessTree.alive(sid, cg) && System.nanoTime() - graceDeadlineNanos < 0) sleep(50);
        for (int round = 0; ProcessTree.alive(sid, cg); round++) {
            if (round == 600) {
                LOG.severe("job " + jobId + ": processes survive SIGKILL (uninterruptible?); giving up on them");
                return;
            }
            ProcessTree.signal(sid, cg, true);
            sleep(Math.min(10L * (round + 1), 200));
        }
    }

    private void cleanUp(RunningJob rj) {
        gpus.give(rj.gpus);
        if (rj.cgroup != null && !rj.cgroup.remove()) LOG.warning("job " + rj.spec.jobId() + ": cgroup " + rj.cgroup + " not removed");
        try {
            spool.delete(rj.spec.jobId());
        } catch (IOException e) {
            LOG.warning("job " + rj.spec.jobId() + ": spool not removed: " + e.getMessage());
        }
    }

    private void deliver(JobSpec s, JobOutcome o) {
        LOG.fine(() -> "job " + s.jobId() + " ended: " + o);
        try {
            listener.ended(s, o);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "job " + s.jobId() + ": reporting " + o + " failed", e);
        }
    }

    // ---- restart ----------------------------------------------------------------------------------------------

    /**
     * After a restart of the executor: re-adopts the runs in {@code expected} whose processes are still alive,
     * reports the ones that ended meanwhile (from the status their wrapper recorded; NODE_FAIL when no trace is
     * left), and kills and removes every other job found in the spool or the cgroup tree (the controller no longer
     * considers them running).
     */
    public void recover(Collection<JobSpec> expected) throws IOException {
        // first the GPUs recorded in the spool, so that a job without a record (launched by an older executor) is
        // not handed one of them below
        Map<Long, List<Integer>> recordedGpus = new HashMap<>();
        for (JobSpec s : expected) {
            if (running.containsKey(s.jobId())) continue;
            long[] recorded = spool.readPid(s.jobId());
            List<Integer> idx = spool.readGpus(s.jobId());
            if (recorded == null || idx == null || (recorded[2] != -1 && recorded[2] != s.startTime())) continue;
            List<Integer> got = gpus.takeRecorded(idx);
            if (!got.equals(idx)) {
                LOG.warning("job " + s.jobId() + " was recorded with GPUs " + idx + ", which this node cannot give it back; it keeps " + got);
            }
            recordedGpus.put(s.jobId(), got);
        }
        Set<Long> keep = new HashSet<>();
        for (JobSpec s : expected) {
            keep.add(s.jobId());
            if (running.containsKey(s.jobId())) continue;
            long[] recorded = spool.readPid(s.jobId());
            if (recorded != null && recorded[2] != -1 && recorded[2] != s.startTime()) {
                // the spool holds an earlier run (before a requeue): kill it; this run left no trace
                Cgroups.JobCgroup old = cgroups != null ? cgroups.open(s.jobId()) : null;
                killRemaining(s.jobId(), sessionToScan(recorded), old, 0);
                if (old != null) old.remove();
                spool.delete(s.jobId());
                recorded = null;
            }
            final long[] pid = recorded;
            if (pid == null) {
                deliver(s, JobOutcome.of(JobState.NODE_FAIL, -1, "the node has no trace of the job (lost in a restart)"));
                continue;
            }
            ProcessHandle h = ProcessHandle.of(pid[0]).filter(ph -> startMillis(ph) == pid[1]).orElse(null);
            Cgroups.JobCgroup cg = cgroups != null ? cgroups.open(s.jobId()) : null;
            List<Integer> gpuIdx = recordedGpus.get(s.jobId());
            RunningJob rj = new RunningJob(s, sessionToScan(pid), null, h != null ? h : ProcessHandle.current(), cg,
                    gpuIdx != null ? gpuIdx : gpus.take(s.gpusPerNode()));
            running.put(s.jobId(), rj);
            if (h != null && h.isAlive()) {
                LOG.info("job " + s.jobId() + " re-adopted (pid " + pid[0] + ")");
                watch(rj);
            } else {
                finisher.execute(() -> finish(rj));
            }
        }
        Set<Long> strays = new HashSet<>(spool.jobs());
        if (cgroups != null) strays.addAll(cgroups.existingJobs());
        strays.removeAll(keep);
        for (long id : strays) {
            RunningJob watched = running.get(id);
            if (watched != null) {
                // launched by this executor, but no longer running for the controller: end it the normal way
                LOG.info("job " + id + " is not running for the controller: cancelling it");
                terminate(id, watched.spec.startTime(), JobState.CANCELLED);
                continue;
            }
            long[] pid = spool.readPid(id);
            Cgroups.JobCgroup cg = cgroups != null ? cgroups.open(id) : null;
            LOG.info("job " + id + " is not running for the controller: killing what is left of it");
            killRemaining(id, pid != null ? sessionToScan(pid) : -1, cg, 0);
            if (cg != null) cg.remove();
            spool.delete(id);
        }
    }

    /** Stops watching. Running jobs keep running (a restarted executor re-adopts them); nothing is killed. */
    @Override
    public void close() {
        closed = true;
        timer.shutdownNow();
        finisher.shutdownNow();
    }

    /**
     * The session to treat as the job's, from its recorded {@code {pid, startMillis}}; -1 when that pid now belongs
     * to another process. (While any process is in the old session its id cannot be reused, so a live process with
     * that pid but another start time means the session is gone and the number was recycled.)
     */
    private static long sessionToScan(long[] pid) {
        var h = ProcessHandle.of(pid[0]);
        return h.isPresent() && startMillis(h.get()) != pid[1] ? -1 : pid[0];
    }

    // ---- helpers ----------------------------------------------------------------------------------------------

    static long startMillis(ProcessHandle h) {
        return h.info().startInstant().map(i -> i.toEpochMilli()).orElse(-1L);
    }

    /** The effective uid, from {@code /proc/self/status} (no native code, no com.sun classes, works in OSGi). */
    static int effectiveUid() {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (l.startsWith("Uid:")) return Integer.parseInt(l.substring(4).trim().split("\\s+")[1]);
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: treat as unprivileged
        }
        return -1;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name, AtomicInteger n) {
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
