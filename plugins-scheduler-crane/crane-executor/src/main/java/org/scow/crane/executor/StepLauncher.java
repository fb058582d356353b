package org.scow.crane.executor;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.scow.crane.protocol.HostList;
import org.scow.crane.protocol.JobUserPolicy;

/**
 * Runs this node's tasks of job steps ({@code crun} inside an allocation): each task as the job's user in a session
 * of its own and, with cgroups, in the step's group {@code job_<id>/step_<n>} inside the job's (created here on
 * the job's other nodes, where no batch script runs). Output goes to a {@link Sink} in chunks as it comes; stdin
 * (task 0 only) and signals come from crun through the controller.
 *
 * <p>A task is started as {@code setsid [setpriv ...] /bin/sh -c WRAPPER name workdir argv...}: the wrapper waits for
 * one line on stdin until it is inside the step's groups, enters the working directory and execs the program, so
 * the program's arguments are never parsed by a shell. With a pseudo-terminal, the program runs under util-linux
 * {@code script}, whose fixed command line rebuilds the argument vector from the environment.
 *
 * <p>When a task's program exits, what is left of its session and of the step's group is killed (SIGTERM, SIGKILL
 * after the kill wait), as is everything of the step after an ending signal (INT, TERM, KILL).
 */
public final class StepLauncher implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(StepLauncher.class.getName());

    static final String WRAPPER = String.join("\n",
            "read -r go || exit 121",
            "cd -- \"$1\" || exit 122",
            "shift",
            "exec \"$@\"");

    /** Rebuilds argv from CRANE_PTY_ARGC and CRANE_PTY_ARG<i> (the eval expands a variable named by a number only). */
    static final String PTY_COMMAND = String.join("; ",
            "if [ -n \"$CRANE_PTY_ROWS\" ]; then stty rows \"$CRANE_PTY_ROWS\" cols \"$CRANE_PTY_COLS\" 2>/dev/null; fi",
            "unset CRANE_PTY_ROWS CRANE_PTY_COLS", "SHELL=$CRANE_PTY_SHELL", "export SHELL", "unset CRANE_PTY_SHELL", "n=$CRANE_PTY_ARGC", "i=0", "set --",
            "while [ \"$i\" -lt \"$n\" ]; do eval \"a=\\${CRANE_PTY_ARG$i}\"; unset \"CRANE_PTY_ARG$i\"; set -- \"$@\" \"$a\"; i=$((i+1)); done",
            "unset CRANE_PTY_ARGC", "exec \"$@\"");

    /** Where output and task ends go (the node daemon forwards them to the controller). */
    public interface Sink {
        void output(long jobId, int stepId, int task, int fd, byte[] data);

        void ended(long jobId, int stepId, int task, int exitCode, String reason);
    }

    /** This node's share of a step. */
    public record StepSpec(long jobId, int stepId, String user, List<Integer> tasks, int nodeIndex, List<String> nodes,
                           int ntasks, List<String> argv, List<String> env, String workDir, boolean pty,
                           int cpusOnNode, long memPerNodeMb, List<String> jobNodes, int ptyRows, int ptyCols) {
    }

    private static final class Task {
        final int rank;
        final Process process;
        final long sid;
        Task(int rank, Process process) {
            this.rank = rank;
            this.process = process;
            this.sid = process.pid();
        }
    }

    private final class RunningStep {
        final StepSpec spec;
        final Cgroups.JobCgroup cgroup;
        final List<Task> tasks = new ArrayList<>();
        volatile boolean killing;
        int left;

        RunningStep(StepSpec spec, Cgroups.JobCgroup cgroup) {
            this.spec = spec;
            this.cgroup = cgroup;
        }
    }

    private final ExecutorConfig cfg;
    private final Sink sink;
    private final boolean oneMachine;
    private final boolean switchUser;
    private final String ownUser;
    private final JobUserPolicy userPolicy;
    private final Cgroups cgroups;
    private final String setsid;
    private final String setpriv;
    private final Map<String, RunningStep> steps = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer;
    /** Ends of tasks: they wait for output to drain and for leftovers to die, so not on the common pool. */
    private final java.util.concurrent.ExecutorService enders = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "craned-step-end");
        t.setDaemon(true);
        return t;
    });

    public StepLauncher(ExecutorConfig cfg, Sink sink) throws IOException {
        this(cfg, sink, false);
    }

    /**
     * @param oneMachine every node's share of a step runs here (a single-machine cluster): each share gets a group
     *                   of its own, {@code step_<n>.<node index>}, so the end of one never kills another
     */
    public StepLauncher(ExecutorConfig cfg, Sink sink, boolean oneMachine) throws IOException {
        this.oneMachine = oneMachine;
        this.cfg = cfg;
        this.sink = sink;
        this.ownUser = System.getProperty("user.name");
        this.userPolicy = cfg.jobUserPolicy();
        this.switchUser = cfg.runAsUser && JobExecutor.effectiveUid() == 0;
        this.setsid = Tools.require("setsid");
        this.setpriv = switchUser ? Tools.require("setpriv") : null;
        Cgroups cg = null;
        if (cfg.cgroups != Cgroups.Mode.OFF) {
            try {
                cg = Cgroups.open(cfg.cgroupSubdir);
            } catch (IOException e) {
                // JobExecutor already refused to start when cgroups are REQUIRED and unusable, and said why
                LOG.fine(() -> "steps run without cgroups: " + e.getMessage());
            }
        }
        this.cgroups = cg;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "craned-steps");
            t.setDaemon(true);
            return t;
        });
    }

    private static String key(long job, int step) {
        return job + "." + step;
    }

    /** A node's share of a step (on one machine several shares of one step run side by side). */
    private static String key(StepSpec s) {
        return s.jobId() + "." + s.stepId() + "@" + s.nodeIndex();
    }

    /** Starts this node's tasks of a step; a task that cannot start ends at once with the reason (exit 1). */
    public void start(StepSpec s) {
        String k = key(s);
        if (steps.containsKey(k)) return; // a duplicate command
        RunningStep rs;
        UnixUser user;
        try {
            if (!switchUser && !s.user().equals(ownUser)) {
                throw new IOException("single-user mode: this node runs only jobs of '" + ownUser + "', not of '" + s.user() + "'");
            }
            user = UnixUser.lookup(s.user());
            String refusal = userPolicy.refusal(user.name(), OptionalInt.of(user.uid()));
            if (refusal != null) throw new IOException(refusal);
            rs = new RunningStep(s, stepCgroup(s));
        } catch (IOException | RuntimeException e) {
            for (int t : s.tasks()) sink.ended(s.jobId(), s.stepId(), t, 1, "could not start: " + e.getMessage());
            return;
        }
        steps.put(k, rs);
        synchronized (rs) {
            for (int local = 0; local < s.tasks().size(); local++) {
                int rank = s.tasks().get(local);
                try {
                    Task t = launch(rs, user, rank, local);
                    rs.tasks.add(t);
                    rs.left++;
                    watch(rs, t);
                } catch (IOException | RuntimeException e) {
                    LOG.log(Level.INFO, "step " + k + " task " + rank + " could not start", e);
                    sink.ended(s.jobId(), s.stepId(), rank, 1, "could not start: " + e.getMessage());
                }
            }
            if (rs.left == 0) finished(rs);
        }
    }

    /** The step's groups inside the job's, or null without cgroups. */
    private Cgroups.JobCgroup stepCgroup(StepSpec s) throws IOException {
        if (cgroups == null) return null;
        Cgroups.JobCgroup job = cgroups.open(s.jobId());
        // the batch node has the job's groups with its limits; other nodes get them now, with this node's share
        if (!Files.isDirectory(job.memory)) job = cgroups.create(s.jobId(), s.cpusOnNode(), s.memPerNodeMb());
        String name = "step_" + s.stepId() + (oneMachine ? "." + s.nodeIndex() : "");
        Cgroups.JobCgroup step = new Cgroups.JobCgroup(job.memory.resolve(name), job.cpu.resolve(name), null);
        Files.createDirectories(step.memory);
        Files.createDirectories(step.cpu);
        return step;
    }

    private Task launch(RunningStep rs, UnixUser user, int rank, int local) throws IOException {
        StepSpec s = rs.spec;
        List<String> cmd = new ArrayList<>();
        cmd.add(setsid);
        if (switchUser) cmd.addAll(List.of(setpriv, "--reuid=" + user.uid(), "--regid=" + user.gid(), "--init-groups", "--"));
        String dir = s.workDir().isEmpty() ? user.home() : s.workDir();
        cmd.addAll(List.of("/bin/sh", "-c", WRAPPER, "crane-step-" + key(s.jobId(), s.stepId()), dir));
        Map<String, String> env = environment(s, user, rank, local);
        if (s.pty()) {
            env.put("CRANE_PTY_SHELL", env.getOrDefault("SHELL", "/bin/sh"));
            env.put("SHELL", "/bin/sh"); // script(1) runs its -c command with $SHELL
            env.put("CRANE_PTY_ARGC", Integer.toString(s.argv().size()));
            for (int i = 0; i < s.argv().size(); i++) env.put("CRANE_PTY_ARG" + i, s.argv().get(i));
            env.putIfAbsent("TERM", "xterm");
            if (s.ptyRows() > 0 && s.ptyCols() > 0) { // numbers only: the controller checked their range
                env.put("CRANE_PTY_ROWS", Integer.toString(s.ptyRows()));
                env.put("CRANE_PTY_COLS", Integer.toString(s.ptyCols()));
            }
            cmd.addAll(List.of(Tools.require("script"), "-q", "-e", "-f", "-c", PTY_COMMAND, "/dev/null"));
        } else {
            cmd.addAll(s.argv());
        }
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(Path.of("/").toFile());
        pb.environment().clear();
        pb.environment().putAll(env);
        Process p = pb.start();
        Task t = new Task(rank, p);
        try {
            if (rs.cgroup != null) rs.cgroup.join(p.pid());
            OutputStream in = p.getOutputStream();
            in.write('\n');
            in.flush();
            if (rank != 0) in.close(); // stdin goes to task 0 only; the others read end of file
        } catch (IOException e) {
            p.destroyForcibly();
            throw e;
        }
        return t;
    }

    Map<String, String> environment(StepSpec s, UnixUser user, int rank, int local) {
        Map<String, String> env = new LinkedHashMap<>();
        for (String kv : s.env()) {
            int eq = kv.indexOf('=');
            if (eq > 0) env.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
        env.put("HOME", user.home());
        env.put("USER", user.name());
        env.put("LOGNAME", user.name());
        env.putIfAbsent("SHELL", user.shell());
        env.putIfAbsent("PATH", JobEnvironment.DEFAULT_PATH);
        Map<String, String> crane = new LinkedHashMap<>();
        crane.put("JOB_ID", Long.toString(s.jobId()));
        crane.put("STEP_ID", Integer.toString(s.stepId()));
        crane.put("PROCID", Integer.toString(rank));
        crane.put("NODEID", Integer.toString(s.nodeIndex()));
        crane.put("LOCALID", Integer.toString(local));
        crane.put("NTASKS", Integer.toString(s.ntasks()));
        crane.put("STEP_NUM_TASKS", Integer.toString(s.ntasks()));
        crane.put("STEP_NUM_NODES", Integer.toString(s.nodes().size()));
        crane.put("NODELIST", String.join(";", s.nodes()));
        crane.put("STEP_NODELIST", String.join(";", s.nodes()));
        crane.put("JOB_NODELIST", String.join(";", s.jobNodes()));
        crane.put("JOB_NUM_NODES", Integer.toString(s.jobNodes().size()));
        crane.put("CLUSTER_NAME", cfg.clusterName);
        crane.forEach((k, v) -> env.put("CRANE_" + k, v));
        if (cfg.slurmCompatibleEnv) {
            crane.forEach((k, v) -> env.put("SLURM_" + k, v));
            env.put("SLURM_STEPID", Integer.toString(s.stepId()));
            env.put("SLURM_JOBID", Long.toString(s.jobId()));
            env.put("SLURM_NPROCS", Integer.toString(s.ntasks()));
            env.put("SLURM_STEP_NODELIST", HostList.compress(s.nodes()));
            env.put("SLURM_NODELIST", HostList.compress(s.jobNodes()));
            env.put("SLURM_JOB_NODELIST", HostList.compress(s.jobNodes()));
        }
        return env;
    }

    private void watch(RunningStep rs, Task t) {
        Thread out = pump(rs, t, t.process.getInputStream(), 1);
        Thread err = pump(rs, t, t.process.getErrorStream(), 2);
        t.process.onExit().thenRunAsync(() -> {
            int exit = t.process.exitValue();
            // background processes of the task may hold its output open: give them a moment, then end them
            join(out, 200);
            join(err, 200);
            killTree(rs, t.sid);
            join(out, cfg.killWaitMs + 1000);
            join(err, cfg.killWaitMs + 1000);
            sink.ended(rs.spec.jobId(), rs.spec.stepId(), t.rank, exit, null);
            synchronized (rs) {
                if (--rs.left == 0) finished(rs);
            }
        }, enders);
    }

    private Thread pump(RunningStep rs, Task t, InputStream in, int fd) {
        Thread th = new Thread(() -> {
            byte[] buf = new byte[16384];
            try (in) {
                int n;
                while ((n = in.read(buf)) > 0) sink.output(rs.spec.jobId(), rs.spec.stepId(), t.rank, fd, java.util.Arrays.copyOf(buf, n));
            } catch (IOException closed) {
                // the process is gone
            }
        }, "craned-step-io");
        th.setDaemon(true);
        th.start();
        return th;
    }

    private static void join(Thread t, long ms) {
        try {
            t.join(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** SIGTERM to what is left of a task's session and the step's group, SIGKILL after the kill wait. */
    private void killTree(RunningStep rs, long sid) {
        if (ProcessTree.signal(sid, null, false) == 0) return;
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(cfg.killWaitMs);
        while (ProcessTree.alive(sid, null) && System.nanoTime() < deadline) sleep(50);
        ProcessTree.signal(sid, null, true);
    }

    private void finished(RunningStep rs) {
        steps.remove(key(rs.spec));
        if (rs.cgroup != null) {
            // processes that left their session (setsid, daemons) are still in the group
            ProcessTree.signal(0, rs.cgroup, true);
            for (int i = 0; i < 40 && !rs.cgroup.pids().isEmpty(); i++) sleep(50);
            if (!rs.cgroup.remove()) LOG.warning("step " + key(rs.spec.jobId(), rs.spec.stepId()) + ": cgroup " + rs.cgroup + " not removed");
            removeJobGroupIfIdle(rs.spec.jobId());
        }
    }

    /** On a node without the job's batch script, the job's groups exist only for its steps. */
    private void removeJobGroupIfIdle(long jobId) {
        for (RunningStep o : steps.values()) if (o.spec.jobId() == jobId) return;
        Cgroups.JobCgroup job = cgroups.open(jobId);
        // on the batch node the group holds the batch script's processes and stays (its executor removes it)
        if (job.pids().isEmpty()) job.remove();
    }

    /** Data for task 0's stdin; {@code eof} closes it. */
    public void stdin(long jobId, int stepId, byte[] data, boolean eof) {
        Optional<Task> t0 = Optional.empty();
        for (RunningStep rs : steps.values()) {
            if (rs.spec.jobId() != jobId || rs.spec.stepId() != stepId) continue;
            synchronized (rs) {
                t0 = rs.tasks.stream().filter(t -> t.rank == 0).findFirst();
            }
            if (t0.isPresent()) break;
        }
        if (t0.isEmpty()) return;
        try {
            OutputStream o = t0.get().process.getOutputStream();
            if (data.length > 0) {
                o.write(data);
                o.flush();
            }
            if (eof) o.close();
        } catch (IOException gone) {
            // the task closed its stdin or ended
        }
    }

    /**
     * Sends a signal to every process of the step ({@code stepId} -1: every step of the job); an ending signal (HUP,
     * INT, TERM, KILL) also kills whatever of the step is left after the kill wait.
     */
    public void signal(long jobId, int stepId, int sig) {
        for (RunningStep rs : steps.values()) {
            if (rs.spec.jobId() != jobId || (stepId >= 0 && rs.spec.stepId() != stepId)) continue;
            List<Long> pids = new ArrayList<>();
            synchronized (rs) {
                for (Task t : rs.tasks) pids.addAll(ProcessTree.members(t.sid, rs.cgroup));
            }
            send(sig, pids);
            if ((sig == 1 || sig == 2 || sig == 15) && !rs.killing) {
                rs.killing = true;
                timer.schedule(() -> {
                    List<Long> left = new ArrayList<>();
                    synchronized (rs) {
                        for (Task t : rs.tasks) left.addAll(ProcessTree.members(t.sid, rs.cgroup));
                    }
                    send(9, left);
                }, cfg.killWaitMs, TimeUnit.MILLISECONDS);
            }
        }
    }

    /** kill(1) with a numeric signal and numeric pids: nothing a user wrote reaches its command line. */
    private static void send(int sig, List<Long> pids) {
        if (pids.isEmpty()) return;
        if (sig == 9 || sig == 15) {
            for (long pid : pids) ProcessHandle.of(pid).ifPresent(h -> {
                if (sig == 9) h.destroyForcibly();
                else h.destroy();
            });
            return;
        }
        List<String> cmd = new ArrayList<>(List.of("kill", "-" + sig));
        for (long p : pids) cmd.add(Long.toString(p));
        try {
            Process k = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            k.waitFor(5, TimeUnit.SECONDS);
        } catch (IOException e) {
            LOG.warning("kill -" + sig + " failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Kills every step of every job (the controller forgot them: it restarted). */
    public void killAll() {
        for (RunningStep rs : steps.values()) signal(rs.spec.jobId(), rs.spec.stepId(), 9);
    }

    public int runningSteps() {
        return steps.size();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        enders.shutdown();
    }
}
