package org.scow.crane.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * What every command has: {@code -C/--config}, {@code -h/--help}, {@code -v/--version}, the streams, option
 * parsing ({@link Args}) and the connection to cranectld (opened on first use, closed at the end).
 */
abstract class Base {
    /** Set by {@link Crane#run} before execution. */
    Io io;
    /** The name the command was invoked by (cbatch, sbatch, ...), for messages. */
    String prog;
    /** True when invoked by a Slurm name (sbatch, squeue, ...). */
    boolean slurm;

    String config;

    private CraneClient client;

    /** The command's own options (the common ones are added). */
    abstract List<Args.Opt> options();

    /** The part of the usage line after the command's name, e.g. {@code [OPTIONS] [SCRIPT]}. */
    String synopsis() {
        return "[OPTIONS]";
    }

    /** The help's description lines. */
    abstract List<String> description();

    /** True when every word from the first positional one on is positional (cbatch SCRIPT ARGS...). */
    boolean stopAtPositional() {
        return false;
    }

    /** Takes the parsed options and positional words; usage errors are thrown. */
    abstract void bind(Args a) throws CliException;

    /** For commands without positional words: refuses any. */
    static void noPositionals(Args a) throws CliException {
        if (!a.positionals().isEmpty()) throw CliException.usage("unexpected argument '" + a.positionals().get(0) + "'");
    }

    String help() {
        List<Args.Opt> all = new ArrayList<>(options());
        all.addAll(Args.COMMON);
        return Args.help(prog, synopsis(), description(), all);
    }

    /** Parses the arguments, then runs; returns the exit code. Nothing is thrown. */
    final int execute(String[] argv) {
        try {
            List<Args.Opt> all = new ArrayList<>(options());
            all.addAll(Args.COMMON);
            Args a = Args.parse(prog, all, argv, stopAtPositional());
            if (a.flag("--help")) {
                io.out().print(help());
                return 0;
            }
            if (a.flag("--version")) {
                io.out().println(Crane.VERSION);
                return 0;
            }
            config = a.string("--config");
            bind(a);
        } catch (CliException e) {
            io.err().println(prog + ": error: " + e.getMessage());
            io.err().println("Try '" + prog + " --help' for more information.");
            return e.exit;
        }
        try {
            return run();
        } catch (CliException e) {
            io.err().println(prog + ": error: " + e.getMessage());
            return e.exit;
        } catch (RuntimeException e) {
            // a bug, not a user error: still one line, no stack trace
            io.err().println(prog + ": error: internal error: " + e);
            return CliException.FAILED;
        } finally {
            if (client != null) client.close();
            client = null;
        }
    }

    CraneClient client() throws CliException {
        if (client == null) client = CraneClient.open(ClientConfig.resolve(io, config));
        return client;
    }

    abstract int run() throws CliException;

    /** Prints a warning on stderr. */
    void warn(String message) {
        io.err().println(prog + ": warning: " + message);
    }
}
