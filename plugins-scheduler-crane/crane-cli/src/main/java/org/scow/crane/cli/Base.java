package org.scow.crane.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Option;

/**
 * What every command has: {@code -C/--config}, {@code -h/--help}, {@code -v/--version}, the streams, and the
 * connection to cranectld (opened on first use, closed at the end).
 */
abstract class Base implements Callable<Integer> {
    /** Set by {@link Crane#run} before execution. */
    Io io;
    /** The name the command was invoked by (cbatch, sbatch, ...), for messages. */
    String prog;
    /** True when invoked by a Slurm name (sbatch, squeue, ...). */
    boolean slurm;

    @Option(names = {"-C", "--config"}, paramLabel = "FILE",
            description = "Configuration file (default: $CRANE_CONF, else /etc/crane/crane.conf)")
    String config;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit")
    boolean help;

    @Option(names = {"-v", "--version"}, versionHelp = true, description = "Show the version and exit")
    boolean version;

    private CraneClient client;

    CraneClient client() throws CliException {
        if (client == null) client = CraneClient.open(ClientConfig.resolve(io, config));
        return client;
    }

    @Override
    public final Integer call() {
        try {
            return run();
        } catch (CliException e) {
            io.err().println(prog + ": error: " + e.getMessage());
            return e.exit;
        } finally {
            if (client != null) client.close();
            client = null;
        }
    }

    abstract int run() throws CliException;

    /** Prints a warning on stderr. */
    void warn(String message) {
        io.err().println(prog + ": warning: " + message);
    }
}
