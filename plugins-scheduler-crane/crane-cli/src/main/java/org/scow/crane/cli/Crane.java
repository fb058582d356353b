package org.scow.crane.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Entry point of the commands: {@code crane <command> [args]}, where the launcher {@code bin/crane} passes the
 * name it was invoked by (so a symlink {@code cqueue -> crane} runs cqueue). The Slurm names map onto the same
 * code: sbatch=cbatch, squeue=cqueue, sinfo=cinfo, scancel=ccancel, sacct=cacct, scontrol=ccontrol,
 * sacctmgr=cacctmgr, srun=crun, salloc=calloc, with the few Slurm spellings that differ translated (e.g. {@code squeue -h} = no header).
 */
public final class Crane {
    static final String VERSION = "crane 0.1.0";
    private static final Map<String, String> SLURM = Map.ofEntries(Map.entry("sbatch", "cbatch"),
            Map.entry("squeue", "cqueue"), Map.entry("sinfo", "cinfo"), Map.entry("scancel", "ccancel"),
            Map.entry("sacct", "cacct"), Map.entry("scontrol", "ccontrol"), Map.entry("sacctmgr", "cacctmgr"),
            Map.entry("srun", "crun"), Map.entry("salloc", "calloc"));
    static final List<String> COMMANDS = List.of("cbatch", "cqueue", "cinfo", "ccancel", "ccontrol", "cacctmgr", "cacct",
            "crun", "calloc");
    /** True in the real process ({@link #main}): crun and calloc may catch signals and change the terminal. */
    static volatile boolean standalone;

    private Crane() {
    }

    public static void main(String[] args) {
        if (args.length == 1 && args[0].equals(CdsWarmup.ARGUMENT)) {
            CdsWarmup.run();
            return;
        }
        Io io = Io.system();
        standalone = true;
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

    static boolean isCommand(String name) {
        return COMMANDS.contains(name) || SLURM.containsKey(name);
    }

    /** Runs one command in-process and returns its exit code; nothing is thrown and nothing exits the JVM. */
    public static int run(String name, String[] args, Io io) {
        boolean slurm = SLURM.containsKey(name);
        String canonical = slurm ? SLURM.get(name) : name;
        // factories, not constructors here: verifying "new Cbatch()" as a Base would load every command's class
        Base cmd = switch (canonical) {
            case "cbatch" -> Cbatch.create();
            case "cqueue" -> Cqueue.create();
            case "cinfo" -> Cinfo.create();
            case "ccancel" -> Ccancel.create();
            case "ccontrol" -> Ccontrol.create();
            case "cacctmgr" -> Cacctmgr.create();
            case "cacct" -> Cacct.create();
            case "crun" -> Crun.create();
            case "calloc" -> Calloc.create();
            default -> null;
        };
        if (cmd == null) {
            io.err().println("crane: unknown command '" + name + "'");
            return CliException.USAGE;
        }
        cmd.io = io;
        cmd.prog = name;
        cmd.slurm = slurm;
        try {
            return cmd.execute(slurm ? translate(name, args) : args);
        } finally {
            io.out().flush();
            io.err().flush();
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
        boolean optionsEnded = false;
        for (String a : args) {
            if (optionsEnded || a.equals("--")) {
                // words after "--" are not options
                out.add(a);
                optionsEnded = true;
                continue;
            }
            String t = map.get(a);
            if (t == null) out.add(a);
            else if (!t.isEmpty()) out.add(t);
        }
        return out.toArray(new String[0]);
    }
}
