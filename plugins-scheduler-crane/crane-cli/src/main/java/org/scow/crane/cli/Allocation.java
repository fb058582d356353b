package org.scow.crane.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.scow.crane.protocol.BatchOptions;
import org.scow.crane.protocol.v1.Job;
import org.scow.crane.protocol.v1.JobRef;
import org.scow.crane.protocol.v1.JobRequest;
import org.scow.crane.protocol.v1.Submitted;

/**
 * An interactive allocation for {@code calloc} and a lone {@code crun}: a job whose batch script only holds the
 * nodes ({@link #HOLD_SCRIPT}) until the command that asked for it cancels it. The resource options are the ones of
 * cbatch, parsed by the same shared parser, so refusals name the option as the user wrote it.
 */
final class Allocation {
    /** Holds the allocation; the command that asked for it ends it (cancel) when it is done. */
    static final String HOLD_SCRIPT = "#!/bin/sh\n# an interactive allocation (calloc/crun): ended by its command\n"
            + "while :; do sleep 3600; done\n";

    /** The resource and identity options of calloc and a lone crun (cbatch's, spelled the same). */
    static final List<Args.Opt> OPTIONS = List.of(
            Args.value("-N, --nodes", "N", "Number of nodes"),
            Args.value("-n, --ntasks", "N", "Number of tasks"),
            Args.value("-c, --cpus-per-task", "N", "CPUs per task"),
            Args.value("--mem", "SIZE", "Memory per node (K/M/G/T, default M)"),
            Args.value("-J, --job-name", "NAME", "Job name"),
            Args.value("-A, --account", "ACCOUNT", "Account to charge"),
            Args.value("-p, --partition", "PARTITION", "Partition"),
            Args.value("-q, --qos", "QOS", "Quality of service"),
            Args.value("-t, --time", "[D-]HH:MM:SS", "Time limit"),
            Args.value("--gres", "gpu[:TYPE]:N", "Generic resources per node"),
            Args.value("-w, --nodelist", "HOSTS", "Run on these hosts"),
            Args.value("-x, --exclude", "HOSTS", "Not on these hosts"),
            Args.flag("--exclusive", "Whole nodes"));

    private static final String[] VALUE_OPTIONS = {"--nodes", "--ntasks", "--cpus-per-task", "--mem", "--job-name",
            "--account", "--partition", "--qos", "--time", "--gres", "--nodelist", "--exclude"};

    private Allocation() {
    }

    /** The allocation options given, as words for the shared parser, spelled as the user wrote them. */
    static List<String> words(Args a) {
        List<String> w = new ArrayList<>();
        for (String o : VALUE_OPTIONS) {
            String v = a.string(o);
            if (v == null) continue;
            String spelled = a.spelling(o);
            if (spelled.startsWith("--")) {
                w.add(spelled + "=" + v);
            } else {
                w.add(spelled);
                w.add(v);
            }
        }
        if (a.flag("--exclusive")) w.add("--exclusive");
        return w;
    }

    /**
     * Submits the allocation and waits until it runs; says so on stderr as salloc does. {@code stop} is asked while
     * waiting (Ctrl-C): then the pending allocation is cancelled and the call fails.
     *
     * @return the running job
     */
    static Job grant(Base cmd, List<String> words, String name, BooleanSupplier stop) throws CliException {
        JobRequest.Builder job = JobRequest.newBuilder().setName(name).setScript(HOLD_SCRIPT)
                .setWorkDir(cmd.io.cwd().toString()).setStdout("/dev/null");
        for (Map.Entry<String, String> e : cmd.io.env().entrySet()) {
            if (e.getKey().matches("[A-Za-z_][A-Za-z0-9_]{0,255}") && e.getValue().indexOf('\0') < 0
                    && e.getValue().length() <= 131072) {
                job.putEnv(e.getKey(), e.getValue());
            }
        }
        Map<String, String> written = new HashMap<>();
        try {
            BatchOptions.apply(words, job, written);
        } catch (BatchOptions.BadOptionException e) {
            throw CliException.usage(e.getMessage());
        }
        Submitted s = cmd.client().call(c -> c.submitJob(job.build()), written);
        long id = s.getJobId();
        boolean said = false;
        long start = System.nanoTime();
        long pause = 20;
        while (true) {
            Job j = cmd.client().call(c -> c.getJob(JobRef.newBuilder().setJobId(id).build()));
            if (j.getState().equals("RUNNING")) {
                cmd.io.err().println(cmd.prog + ": Granted job allocation " + id);
                return j;
            }
            if (!j.getState().equals("PENDING")) {
                throw CliException.failed("job allocation " + id + " ended " + j.getState()
                        + (j.getReason().isEmpty() ? "" : " (" + j.getReason() + ")") + " before it was granted");
            }
            if (stop.getAsBoolean()) {
                release(cmd, id);
                throw CliException.failed("job allocation " + id + " cancelled while it waited");
            }
            if (!said && System.nanoTime() - start > 1_000_000_000L) {
                cmd.io.err().println(cmd.prog + ": Pending job allocation " + id
                        + (j.getReason().isEmpty() ? "" : " (" + j.getReason() + ")"));
                said = true;
            }
            sleep(pause);
            pause = Math.min(500, pause * 2);
        }
    }

    /** Ends the allocation (its holder job); an allocation that already ended is fine. */
    static void release(Base cmd, long id) {
        try {
            cmd.client().call(c -> c.cancelJob(JobRef.newBuilder().setJobId(id).build()));
            cmd.io.err().println(cmd.prog + ": Relinquishing job allocation " + id);
        } catch (CliException e) {
            if (!e.getMessage().contains("already finished")) {
                cmd.io.err().println(cmd.prog + ": warning: job allocation " + id + " not released: " + e.getMessage());
            }
        }
    }

    /** The allocation's environment for commands run inside it (CRANE_* and the SLURM_* names). */
    static Map<String, String> environment(Job j) {
        Map<String, String> env = new HashMap<>();
        String id = Long.toString(j.getJobId());
        String nodes = j.getNodeList();
        for (String p : List.of("CRANE_", "SLURM_")) {
            env.put(p + "JOB_ID", id);
            env.put(p + "JOB_NODELIST", nodes);
            env.put(p + "JOB_NUM_NODES", Integer.toString(j.getNodes()));
            env.put(p + "JOB_PARTITION", j.getPartition());
            env.put(p + "JOB_ACCOUNT", j.getAccount());
        }
        env.put("SLURM_JOBID", id);
        env.put("SLURM_NODELIST", nodes);
        env.put("SLURM_NNODES", Integer.toString(j.getNodes()));
        return env;
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
