package org.scow.crane.cli;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.scow.crane.protocol.v1.Job;
import org.scow.crane.protocol.v1.StepChunk;
import org.scow.crane.protocol.v1.StepIoReply;
import org.scow.crane.protocol.v1.StepIoRequest;
import org.scow.crane.protocol.v1.StepRequest;
import org.scow.crane.protocol.v1.StepStarted;

/**
 * {@code crun [OPTIONS] PROGRAM [ARGS...]} (Slurm: srun): runs a job step, {@code -n} tasks of PROGRAM on {@code -N}
 * nodes of an allocation: the job named by {@code --jobid} or by {@code CRANE_JOB_ID}/{@code SLURM_JOB_ID} (inside a
 * batch job or calloc); without one, crun gets its own allocation with the given resources and releases it at the end.
 * Output of every task comes back here ({@code -l} prefixes each line with the task's rank), stdin goes to task 0,
 * Ctrl-C (SIGINT) and SIGTERM go to every task and end the step. The exit code is the worst task's.
 * {@code --pty} runs one task on a pseudo-terminal, with this terminal in raw mode: an interactive shell.
 */
final class Crun extends Base {
    static Base create() {
        return new Crun();
    }

    /** A poll waits this long for output; a live step answers sooner. */
    static final int POLL_WAIT_MS = 10_000;

    private static final List<Args.Opt> OPTIONS;

    static {
        List<Args.Opt> o = new ArrayList<>(Allocation.OPTIONS);
        o.add(Args.value("--jobid", "ID", "Run the step in this (running) job"));
        o.add(Args.flag("-l, --label", "Prefix each output line with the task's rank"));
        o.add(Args.flag("--pty", "One task on a pseudo-terminal (an interactive shell)"));
        OPTIONS = List.copyOf(o);
    }

    private Args args;
    private List<String> argv;
    private boolean label;
    private boolean pty;
    private String jobid;
    /** Set by Ctrl-C while crun still waits for its allocation. */
    private final AtomicBoolean interrupted = new AtomicBoolean();

    @Override
    List<Args.Opt> options() {
        return OPTIONS;
    }

    @Override
    String synopsis() {
        return "[OPTIONS] PROGRAM [ARGS...]";
    }

    @Override
    List<String> description() {
        return List.of("Run a job step: tasks of PROGRAM across the nodes of an allocation (CRANE_JOB_ID, --jobid,",
                "or a new one with the given resources, released at the end). Each task gets CRANE_PROCID,",
                "CRANE_NODEID, CRANE_LOCALID, CRANE_STEP_ID, CRANE_NTASKS, CRANE_NODELIST.");
    }

    @Override
    boolean stopAtPositional() {
        return true; // crun -n2 prog -x: -x is the program's
    }

    @Override
    void bind(Args a) throws CliException {
        args = a;
        argv = a.positionals();
        label = a.flag("--label");
        pty = a.flag("--pty");
        jobid = a.string("--jobid");
        if (argv.isEmpty()) throw CliException.usage("no program to run (crun [OPTIONS] PROGRAM [ARGS...])");
    }

    @Override
    int run() throws CliException {
        Integer nodes = count("--nodes");
        Integer ntasks = count("--ntasks");
        if (pty && ntasks != null && ntasks != 1) throw CliException.usage("--pty runs one task, not " + args.spelling("--ntasks") + " " + ntasks);
        String job = jobid != null ? jobid : io.env("CRANE_JOB_ID") != null ? io.env("CRANE_JOB_ID") : io.env("SLURM_JOB_ID");
        String shown = jobid != null ? "--jobid" : io.env("CRANE_JOB_ID") != null ? "CRANE_JOB_ID" : "SLURM_JOB_ID";
        Signals signals = Signals.install(io);
        try {
            if (job != null) {
                long id;
                try {
                    id = Long.parseLong(job.trim());
                } catch (NumberFormatException e) {
                    throw CliException.usage(shown + ": not a job id: '" + job + "'");
                }
                if (ntasks == null && nodes == null && jobid == null && !pty) {
                    // inside a batch job: as srun, as many tasks as the job asked for
                    String n = io.env("CRANE_NTASKS") != null ? io.env("CRANE_NTASKS") : io.env("SLURM_NTASKS");
                    try {
                        if (n != null) ntasks = Math.max(1, Integer.parseInt(n.trim()));
                    } catch (NumberFormatException e) {
                        throw CliException.usage("CRANE_NTASKS: not a number: '" + n + "'");
                    }
                }
                return step(id, nodes, ntasks, signals);
            }
            // no allocation around: get one for this step alone
            List<String> words = Allocation.words(args);
            if (ntasks == null && nodes == null && pty) words.add("--ntasks=1");
            Job alloc = Allocation.grant(this, words, baseName(argv.get(0)), signals::interrupted);
            try {
                return step(alloc.getJobId(), null, ntasks, signals);
            } finally {
                Allocation.release(this, alloc.getJobId());
            }
        } finally {
            signals.close();
        }
    }

    private Integer count(String option) throws CliException {
        String v = args.string(option);
        if (v == null) return null;
        try {
            int n = Integer.parseInt(v.trim());
            if (n < 1) throw new NumberFormatException();
            return n;
        } catch (NumberFormatException e) {
            throw CliException.usage(args.spelling(option) + ": not a positive number: '" + v + "'");
        }
    }

    private static String baseName(String p) {
        int i = p.lastIndexOf('/');
        return i >= 0 && i < p.length() - 1 ? p.substring(i + 1) : p;
    }

    /** Starts the step and relays its I/O until it ends; returns its exit code. */
    private int step(long jobId, Integer nodes, Integer ntasks, Signals signals) throws CliException {
        StepRequest.Builder r = StepRequest.newBuilder().setJobId(jobId).addAllArgv(argv).setWorkDir(io.cwd().toString())
                .setPty(pty);
        if (nodes != null) r.setNodes(nodes);
        if (ntasks != null) r.setNtasks(ntasks);
        else if (pty) r.setNtasks(1);
        int[] size = pty ? Terminal.size() : null;
        if (size != null) r.setPtyRows(size[0]).setPtyCols(size[1]);
        for (Map.Entry<String, String> e : io.env().entrySet()) {
            if (e.getKey().matches("[A-Za-z_][A-Za-z0-9_]{0,255}") && e.getValue().indexOf('\0') < 0) r.addEnv(e.getKey() + "=" + e.getValue());
        }
        Map<String, String> written = Map.of("nodes", args.spelling("--nodes"), "ntasks", args.spelling("--ntasks"),
                "pty", "--pty");
        StepStarted st = client().call(c -> c.startStep(r.build()), written);
        // input and signals go on a connection of their own: the poll of this one may wait for output
        CraneClient input = CraneClient.open(ClientConfig.resolve(io, config));
        Terminal term = pty ? Terminal.raw(io) : null;
        Thread stdin = null;
        try {
            signals.onSignal(sig -> send(input, st, StepIoRequest.newBuilder().setSignal(sig)));
            stdin = forwardStdin(input, st);
            return relay(st);
        } finally {
            if (term != null) term.restore();
            if (stdin != null) stdin.interrupt();
            signals.onSignal(null);
            input.close();
        }
    }

    private void send(CraneClient input, StepStarted st, StepIoRequest.Builder b) {
        try {
            synchronized (input) {
                input.call(c -> c.stepIo(b.setJobId(st.getJobId()).setStepId(st.getStepId()).build()));
            }
        } catch (CliException e) {
            // the step ended meanwhile; the relay says how
        }
    }

    private Thread forwardStdin(CraneClient input, StepStarted st) {
        InputStream in = io.in();
        Thread t = new Thread(() -> {
            byte[] buf = new byte[8192];
            try {
                int n;
                while ((n = in.read(buf)) > 0) {
                    send(input, st, StepIoRequest.newBuilder().setStdin(ByteString.copyFrom(buf, 0, n)));
                }
            } catch (IOException e) {
                // stdin unreadable: as at its end
            }
            if (!Thread.currentThread().isInterrupted()) send(input, st, StepIoRequest.newBuilder().setStdinEof(true));
        }, "crun-stdin");
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** Polls the step's output until it is done. */
    private int relay(StepStarted st) throws CliException {
        long after = 0;
        Map<Long, StringBuilder> partial = new HashMap<>();
        int unavailable = 0;
        while (true) {
            final long a = after;
            StepIoReply rep;
            try {
                rep = client().call(c -> c.stepIo(StepIoRequest.newBuilder().setJobId(st.getJobId())
                        .setStepId(st.getStepId()).setAfterSeq(a).setWaitMs(POLL_WAIT_MS).build()));
                unavailable = 0;
            } catch (CliException e) {
                if (e.getMessage().startsWith("cannot reach") && ++unavailable < 10) {
                    Allocation.sleep(500);
                    continue;
                }
                throw CliException.failed("step " + st.getJobId() + "." + st.getStepId() + ": " + e.getMessage());
            }
            for (StepChunk c : rep.getChunksList()) {
                after = Math.max(after, c.getSeq());
                PrintStream out = c.getFd() == 2 ? io.err() : io.out();
                if (!label) {
                    out.write(c.getData().toByteArray(), 0, c.getData().size());
                    out.flush();
                    continue;
                }
                long k = ((long) c.getTask() << 1) | (c.getFd() == 2 ? 1 : 0);
                StringBuilder b = partial.computeIfAbsent(k, x -> new StringBuilder());
                b.append(c.getData().toString(StandardCharsets.UTF_8));
                int nl;
                while ((nl = b.indexOf("\n")) >= 0) {
                    out.print(c.getTask() + ": " + b.substring(0, nl + 1));
                    b.delete(0, nl + 1);
                }
                out.flush();
            }
            if (rep.getDone()) {
                partial.forEach((k, b) -> {
                    if (b.length() > 0) ((k & 1) == 1 ? io.err() : io.out()).println((k >> 1) + ": " + b);
                });
                io.out().flush();
                if (!rep.getState().equals("COMPLETED") && !rep.getReason().isEmpty()) {
                    io.err().println(prog + ": step " + st.getJobId() + "." + st.getStepId() + " " + rep.getState()
                            + ": " + rep.getReason());
                }
                return rep.getExitCode();
            }
        }
    }
}
