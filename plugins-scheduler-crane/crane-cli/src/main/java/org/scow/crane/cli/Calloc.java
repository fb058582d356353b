package org.scow.crane.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.scow.crane.protocol.v1.Job;

/**
 * {@code calloc [OPTIONS] [COMMAND [ARGS...]]} (Slurm: salloc): gets an allocation, runs COMMAND (default: the
 * user's {@code $SHELL}) here with the allocation's environment ({@code CRANE_JOB_ID}, {@code CRANE_JOB_NODELIST},
 * ... and the {@code SLURM_*} names), so that {@code crun} inside runs steps in it, and releases the allocation when
 * the command ends. Ctrl-C belongs to the command (the terminal sends it to the command's process group);
 * SIGTERM or SIGHUP of calloc end the command and release the allocation.
 */
final class Calloc extends Base {
    static Base create() {
        return new Calloc();
    }

    private Args args;
    private List<String> command;

    @Override
    List<Args.Opt> options() {
        return Allocation.OPTIONS;
    }

    @Override
    String synopsis() {
        return "[OPTIONS] [COMMAND [ARGS...]]";
    }

    @Override
    List<String> description() {
        return List.of("Get an allocation and run COMMAND (default: $SHELL) here inside it; crun in it runs steps",
                "on its nodes. The allocation is released when COMMAND ends.");
    }

    @Override
    boolean stopAtPositional() {
        return true;
    }

    @Override
    void bind(Args a) {
        args = a;
        command = a.positionals();
    }

    @Override
    int run() throws CliException {
        List<String> cmd = new ArrayList<>(command);
        if (cmd.isEmpty()) cmd.add(io.env("SHELL") != null ? io.env("SHELL") : "/bin/sh");
        Signals signals = Signals.install(io);
        Job alloc = null;
        Process p = null;
        try {
            alloc = Allocation.grant(this, Allocation.words(args), "calloc", signals::interrupted);
            ProcessBuilder pb = new ProcessBuilder(cmd).directory(io.cwd().toFile());
            pb.environment().clear();
            pb.environment().putAll(io.env());
            pb.environment().putAll(Allocation.environment(alloc));
            if (Crane.standalone) pb.inheritIO(); // the terminal itself: an interactive shell works as at home
            try {
                p = pb.start();
            } catch (IOException e) {
                throw CliException.failed("cannot run " + cmd.get(0) + ": " + e.getMessage());
            }
            Process child = p;
            signals.onSignal(sig -> {
                if (sig != 2) child.destroy(); // Ctrl-C is the command's own business
            });
            List<Thread> pumps = new ArrayList<>();
            if (!Crane.standalone) {
                pumps.add(pump(p.getInputStream(), io.out(), false));
                pumps.add(pump(p.getErrorStream(), io.err(), false));
                pump(io.in(), p.getOutputStream(), true);
            }
            int rc = waitFor(p);
            for (Thread t : pumps) join(t);
            return rc;
        } finally {
            signals.onSignal(null);
            if (p != null && p.isAlive()) p.destroyForcibly();
            if (alloc != null) Allocation.release(this, alloc.getJobId());
            signals.close();
            io.out().flush();
        }
    }

    private static int waitFor(Process p) throws CliException {
        try {
            return p.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw CliException.failed("interrupted");
        }
    }

    private static Thread pump(InputStream in, OutputStream out, boolean closeOut) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[8192];
            try {
                int n;
                while ((n = in.read(buf)) > 0) {
                    out.write(buf, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // one side is gone
            } finally {
                if (closeOut) {
                    try {
                        out.close();
                    } catch (IOException ignored) {
                        // gone
                    }
                }
            }
        }, "calloc-io");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static void join(Thread t) {
        try {
            t.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

}
