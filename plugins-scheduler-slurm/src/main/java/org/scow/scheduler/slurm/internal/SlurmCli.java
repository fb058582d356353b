package org.scow.scheduler.slurm.internal;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.scow.api.scheduler.ErrorCode;
import org.scow.api.scheduler.SchedulerException;

/**
 * Runs the Slurm client commands of one cluster: as root for administration and queries, as the job's user (through
 * runuser) for sbatch and scancel. Arguments always travel as an argument vector; nothing is ever interpreted by a
 * shell. Failures become {@link SchedulerException}s carrying Slurm's own message.
 */
public final class SlurmCli {
    /** Field separator for squeue/sacct output: a control character that job names and paths cannot contain. */
    public static final String SEP = "\u001f";

    /** Phrases of Slurm's clients meaning slurmctld, slurmdbd or munge could not be reached. */
    private static final List<String> UNREACHABLE = List.of("unable to contact slurm controller", "connection refused",
            "socket timed out", "connect failure", "problem talking to the database", "zero bytes were transmitted",
            "slurm_persist_conn_open", "munge", "unable to establish", "could not establish a configuration source",
            "transport endpoint is not connected", "slurmdbd: unable", "no route to host");

    private final SlurmSettings settings;
    private final CommandRunner runner;
    private volatile String cluster;

    public SlurmCli(SlurmSettings settings, CommandRunner runner) {
        this.settings = settings;
        this.runner = runner;
        this.cluster = settings.cluster().orElse(null);
    }

    public SlurmSettings settings() {
        return settings;
    }

    /** Runs a Slurm command as the driver's own (administrative) user; any exit code is returned. */
    public CommandResult exec(String tool, List<String> args) throws SchedulerException {
        return exec(tool, args, settings.timeout());
    }

    public CommandResult exec(String tool, List<String> args, Duration timeout) throws SchedulerException {
        List<String> argv = new ArrayList<>();
        argv.add(settings.tool(tool));
        argv.addAll(args);
        return runner.run(new Command(argv, env(null), null, null, timeout));
    }

    /** Runs a Slurm command and returns its output; a non-zero exit fails with {@code code} and Slurm's message. */
    public String call(String tool, List<String> args, ErrorCode code) throws SchedulerException {
        CommandResult r = exec(tool, args);
        if (!r.ok()) {
            throw failure(tool, r, code);
        }
        return r.stdout();
    }

    /**
     * Runs a Slurm command as {@code user}: {@code runuser -u <user> -- <tool> <args>} in a clean environment, with
     * {@code stdin} as its input and {@code directory} as its working directory.
     */
    public CommandResult execAs(UnixUser user, String tool, List<String> args, String stdin, Path directory)
            throws SchedulerException {
        List<String> argv = new ArrayList<>(List.of(settings.runuser().toString(), "-u", user.name(), "--",
                settings.tool(tool)));
        argv.addAll(args);
        return runner.run(new Command(argv, env(user), stdin, directory, settings.timeout()));
    }

    /** Looks up Unix users; unknown names are simply absent from the result. */
    public Map<String, UnixUser> unixUsers(List<String> names) throws SchedulerException {
        Map<String, UnixUser> out = new LinkedHashMap<>();
        if (names.isEmpty()) {
            return out;
        }
        List<String> argv = new ArrayList<>(List.of(settings.getent().toString(), "passwd"));
        argv.addAll(names);
        // getent exits 2 when some key was not found and prints the others
        CommandResult r = runner.run(new Command(argv, env(null), null, null, settings.timeout()));
        if (r.exitCode() != 0 && r.exitCode() != 2) {
            throw new SchedulerException(ErrorCode.INTERNAL, "getent passwd failed: " + r.message());
        }
        for (String line : r.stdout().split("\n")) {
            UnixUser u = UnixUser.parse(line);
            if (u != null && names.contains(u.name())) {
                out.put(u.name(), u);
            }
        }
        return out;
    }

    /** The Slurm ClusterName: the configured one, else slurm.conf's, read once. */
    public String cluster() throws SchedulerException {
        String c = cluster;
        if (c == null) {
            c = config().get("ClusterName");
            if (c == null || c.isEmpty()) {
                throw new SchedulerException(ErrorCode.INTERNAL,
                        "scontrol show config reports no ClusterName; set driver.cluster");
            }
            cluster = c;
        }
        return c;
    }

    /** slurmctld's running configuration ({@code scontrol show config}), as key-value pairs. */
    public Map<String, String> config() throws SchedulerException {
        String out = call("scontrol", List.of("show", "config"), ErrorCode.INTERNAL);
        Map<String, String> config = new LinkedHashMap<>();
        for (String line : out.split("\n")) {
            String[] kv = line.split("=", 2);
            if (kv.length == 2) {
                config.put(kv[0].strip(), kv[1].strip());
            }
        }
        return config;
    }

    /** The exception for a failed command: UNAVAILABLE when Slurm was unreachable, else {@code code}. */
    public SchedulerException failure(String tool, CommandResult r, ErrorCode code) {
        String message = r.message();
        if (message.isEmpty()) {
            message = tool + " exited with status " + r.exitCode();
        }
        ErrorCode effective = unreachable(message) ? ErrorCode.UNAVAILABLE : code;
        return new SchedulerException(effective, message, Map.of("program", tool));
    }

    public static boolean unreachable(String message) {
        String m = message.toLowerCase(Locale.ROOT);
        return UNREACHABLE.stream().anyMatch(m::contains);
    }

    /**
     * The environment of every command, built from scratch so nothing of the platform's own environment leaks
     * into jobs (sbatch hands its whole environment to the job). Administrative commands get TZ=UTC, so that Slurm
     * prints and reads UTC times, and the C locale for stable output; commands run as a user get the usual login
     * variables instead.
     */
    private Map<String, String> env(UnixUser user) {
        Map<String, String> env = new HashMap<>();
        env.put("PATH", settings.binDir() + ":/usr/local/bin:/usr/bin:/bin");
        settings.slurmConf().ifPresent(c -> env.put("SLURM_CONF", c));
        if (user == null) {
            env.put("TZ", "UTC");
            env.put("LC_ALL", "C");
        } else {
            env.put("HOME", user.home());
            env.put("USER", user.name());
            env.put("LOGNAME", user.name());
            env.put("SHELL", user.shell());
        }
        return env;
    }
}
