package org.scow.crane.cli;

import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;

/**
 * Entry point of the commands: {@code crane <command> [args]}, where the launcher {@code bin/crane} passes the
 * name it was invoked by (so a symlink {@code cqueue -> crane} runs cqueue). The Slurm names map onto the same
 * code: sbatch=cbatch, squeue=cqueue, sinfo=cinfo, scancel=ccancel, sacct=cacct, scontrol=ccontrol,
 * sacctmgr=cacctmgr, with the few Slurm spellings that differ translated (e.g. {@code squeue -h} = no header).
 */
public final class Crane {
    static final String VERSION = "crane 0.1.0";
    private static final Map<String, String> SLURM = Map.of("sbatch", "cbatch", "squeue", "cqueue", "sinfo", "cinfo",
            "scancel", "ccancel", "sacct", "cacct", "scontrol", "ccontrol", "sacctmgr", "cacctmgr");
    static final List<String> COMMANDS = List.of("cbatch", "cqueue", "cinfo", "ccancel", "ccontrol", "cacctmgr", "cacct");

    private Crane() {
    }

    public static void main(String[] args) {
        if (args.length == 1 && args[0].equals(WARMUP)) {
            warmup();
            return;
        }
        Io io = Io.system();
        if (args.length == 0 || !isCommand(args[0])) {
            io.err().println("usage: crane <command> [options]   (or run the command by its own name)\n"
                    + "commands: " + String.join(" ", COMMANDS) + "\n"
                    + "Slurm names: " + String.join(" ", SLURM.keySet().stream().sorted().toList()));
            System.exit(CliException.USAGE);
        }
        String[] rest = new String[args.length - 1];
        System.arraycopy(args, 1, rest, 0, rest.length);
        int rc = run(args[0], rest, io);
        io.out().flush();
        System.exit(rc);
    }

    /** Hidden argument of the launcher: load what the commands load, for the class-data-sharing archive. */
    static final String WARMUP = "--cds-warmup";

    /**
     * Runs every command's parser and help, and each kind of output and call against a port where nothing
     * listens, so that the launcher's AppCDS archive holds the classes of every command, not just the first one
     * that happened to run.
     */
    static void warmup() {
        java.io.PrintStream sink = new java.io.PrintStream(java.io.OutputStream.nullOutputStream());
        Map<String, String> env = Map.of("CRANE_CONTROLLER", "127.0.0.1:1", "CRANE_CREDENTIAL", "/dev/null/none",
                "CRANE_CONF", "/dev/null", "HOME", "/nonexistent", "USER", "nobody");
        Io io = new Io(sink, sink, java.io.InputStream.nullInputStream(), env, java.nio.file.Path.of("/"));
        // a local gRPC server that answers UNIMPLEMENTED to everything: the client's whole call path gets loaded
        Server server = null;
        try {
            server = NettyServerBuilder
                    .forAddress(new java.net.InetSocketAddress("127.0.0.1", 0))
                    .addService(new org.scow.crane.protocol.v1.CraneGrpc.CraneImplBase() { }).build().start();
            env = new java.util.HashMap<>(env);
            env.put("CRANE_CONTROLLER", "127.0.0.1:" + server.getPort());
            io = new Io(sink, sink, java.io.InputStream.nullInputStream(), env, java.nio.file.Path.of("/"));
        } catch (java.io.IOException | RuntimeException e) {
            // warm up without it
        }
        for (String c : COMMANDS) {
            run(c, new String[] {"--help"}, io);
            run(c, new String[] {"--no-such-option"}, io);
        }
        run("cqueue", new String[] {"--json"}, io);
        try {
            java.nio.file.Path cred = java.nio.file.Files.createTempFile("crane-warmup", ".cred");
            java.nio.file.Files.writeString(cred, "crane1:user:nobody:1:x\n");
            Map<String, String> env2 = new java.util.HashMap<>(env);
            env2.put("CRANE_CREDENTIAL", cred.toString());
            Io io2 = new Io(sink, sink, java.io.InputStream.nullInputStream(), env2, java.nio.file.Path.of("/"));
            run("cqueue", new String[] {"-o", "%j %t"}, io2);
            run("cbatch", new String[] {"--wrap", "true", "-N", "1"}, io2);
            java.nio.file.Files.deleteIfExists(cred);
        } catch (java.io.IOException e) {
            // a partial archive is still an archive
        }
        org.scow.crane.protocol.v1.Job j = org.scow.crane.protocol.v1.Job.newBuilder().setJobId(1).setDisplayId("1")
                .setState("RUNNING").build();
        Jobs.FIELDS.byKey.values().forEach(f -> f.value().apply(j));
        sink.print(Json.of(Json.obj("jobs", List.of(j))));
        sink.print(Ccontrol.keyValues(j));
        if (server != null) server.shutdownNow();
    }

    static boolean isCommand(String name) {
        return COMMANDS.contains(name) || SLURM.containsKey(name);
    }

    /** Runs one command in-process and returns its exit code; nothing is thrown and nothing exits the JVM. */
    public static int run(String name, String[] args, Io io) {
        boolean slurm = SLURM.containsKey(name);
        String canonical = slurm ? SLURM.get(name) : name;
        Base cmd = switch (canonical) {
            case "cbatch" -> new Cbatch();
            case "cqueue" -> new Cqueue();
            case "cinfo" -> new Cinfo();
            case "ccancel" -> new Ccancel();
            case "ccontrol" -> new Ccontrol();
            case "cacctmgr" -> new Cacctmgr();
            case "cacct" -> new Cacct();
            default -> null;
        };
        if (cmd == null) {
            io.err().println("crane: unknown command '" + name + "'");
            return CliException.USAGE;
        }
        cmd.io = io;
        cmd.prog = name;
        cmd.slurm = slurm;
        CommandLine cl = new CommandLine(cmd);
        cl.setCommandName(name);
        // cbatch SCRIPT --x: words after the script are the script's, not cbatch's (as sbatch)
        if (cmd instanceof Cbatch) cl.setStopAtPositional(true);
        PrintWriter out = new PrintWriter(io.out(), true);
        PrintWriter err = new PrintWriter(io.err(), true);
        cl.setOut(out);
        cl.setErr(err);
        cl.setParameterExceptionHandler((e, a) -> {
            err.println(name + ": error: " + e.getMessage());
            err.println("Try '" + name + " --help' for more information.");
            return CliException.USAGE;
        });
        cl.setExecutionExceptionHandler((e, c, p) -> {
            // a bug, not a user error: still one line, no stack trace
            err.println(name + ": error: internal error: " + e);
            return CliException.FAILED;
        });
        try {
            return cl.execute(slurm ? translate(name, args) : args);
        } finally {
            out.flush();
            err.flush();
        }
    }

    /** The Slurm spellings that mean something else (or nothing) in the Crane commands. */
    static String[] translate(String name, String[] args) {
        Map<String, String> map = switch (name) {
            case "squeue" -> Map.of("-h", "--noheader", "--me", "--self");
            case "sinfo" -> Map.of("-h", "--noheader", "-N", "--node-oriented", "--Node", "--node-oriented");
            case "sacct" -> Map.of("-n", "--noheader", "-X", "", "--allocations", "", "-a", "", "--allusers", "",
                    "-P", "--parsable", "--parsable2", "--parsable");
            case "scancel" -> Map.of("--me", "--self");
            default -> Map.of();
        };
        List<String> out = new ArrayList<>();
        for (String a : args) {
            if (a.equals("--")) {
                out.add(a);
                continue;
            }
            String t = map.get(a);
            if (t == null) out.add(a);
            else if (!t.isEmpty()) out.add(t);
        }
        return out.toArray(new String[0]);
    }

    /** picocli's version provider. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {VERSION};
        }
    }
}
