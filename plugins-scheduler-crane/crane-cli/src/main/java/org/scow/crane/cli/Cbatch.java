package org.scow.crane.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.scow.crane.protocol.BatchOptions;
import org.scow.crane.protocol.v1.JobRequest;
import org.scow.crane.protocol.v1.Submitted;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code cbatch [options] SCRIPT}: submits a batch script. {@code #CBATCH} and {@code #SBATCH} directives before
 * the first command are read with the shared parser ({@link BatchOptions}); options given on the command line win
 * over them. The job runs in the current directory with the current environment (see {@code --export}).
 */
@Command(name = "cbatch", versionProvider = Crane.Version.class, sortOptions = false,
        description = "Submit a batch script (#CBATCH / #SBATCH directives; command-line options win).")
final class Cbatch extends Base {
    /** Largest script read; the controller enforces its own (smaller) limit with a clear message. */
    private static final long MAX_READ = 4L << 20;

    @Option(names = {"-J", "--job-name"}, paramLabel = "NAME") String jobName;
    @Option(names = {"-A", "--account"}) String account;
    @Option(names = {"-p", "--partition"}) String partition;
    @Option(names = {"-q", "--qos"}) String qos;
    @Option(names = {"-N", "--nodes"}, paramLabel = "N") String nodes;
    @Option(names = {"-n", "--ntasks"}, paramLabel = "N") String ntasks;
    @Option(names = "--ntasks-per-node", paramLabel = "N") String ntasksPerNode;
    @Option(names = {"-c", "--cpus-per-task"}, paramLabel = "N") String cpusPerTask;
    @Option(names = "--mem", paramLabel = "SIZE", description = "Memory per node (K/M/G/T, default M)") String mem;
    @Option(names = "--mem-per-cpu", paramLabel = "SIZE") String memPerCpu;
    @Option(names = "--gres", paramLabel = "gpu[:TYPE]:N") String gres;
    @Option(names = "--gpus-per-node", paramLabel = "[TYPE:]N") String gpusPerNode;
    @Option(names = {"-t", "--time"}, paramLabel = "[D-]HH:MM:SS") String time;
    @Option(names = {"-D", "--chdir"}, paramLabel = "DIR") String chdir;
    @Option(names = {"-o", "--output"}, paramLabel = "PATTERN", description = "stdout file (%%j %%x %%u %%N %%A %%a %%%%)") String output;
    @Option(names = {"-e", "--error"}, paramLabel = "PATTERN") String error;
    @Option(names = {"-a", "--array"}, paramLabel = "SPEC", description = "e.g. 1-100:2%%10") String array;
    @Option(names = {"-d", "--dependency"}, paramLabel = "TYPE:ID[:ID][,|?...]") String dependency;
    @Option(names = {"-H", "--hold"}) boolean hold;
    @Option(names = "--exclusive") boolean exclusive;
    @Option(names = {"-w", "--nodelist"}, paramLabel = "HOSTS") String nodelist;
    @Option(names = {"-x", "--exclude"}, paramLabel = "HOSTS") String exclude;
    @Option(names = {"-b", "--begin"}, paramLabel = "TIME", description = "now+1hour, HH:MM, YYYY-MM-DD[THH:MM]") String begin;
    @Option(names = "--comment") String comment;
    @Option(names = "--export", paramLabel = "ALL|NONE|VAR[=VAL],...") String export;
    @Option(names = "--requeue") boolean requeue;
    @Option(names = "--no-requeue") boolean noRequeue;
    @Option(names = "--mail-type", description = "Accepted for Slurm scripts; no mail is sent") String mailType;
    @Option(names = "--mail-user", description = "Accepted for Slurm scripts; no mail is sent") String mailUser;
    @Option(names = "--wrap", paramLabel = "COMMAND", description = "Submit this shell command instead of a script") String wrap;
    @Option(names = "--parsable", description = "Print only the job id") boolean parsable;
    @Option(names = "--json", description = "Print {\"job_id\":N,\"tasks\":N}") boolean json;

    @Parameters(arity = "0..*", paramLabel = "SCRIPT [ARGS]", description = "The batch script (default: stdin)")
    List<String> positional = new ArrayList<>();

    @Override
    int run() throws CliException {
        String script;
        String defaultName;
        if (wrap != null) {
            if (!positional.isEmpty()) throw CliException.usage("--wrap and a script file exclude each other");
            script = "#!/bin/sh\n" + wrap + "\n";
            defaultName = "wrap";
        } else if (!positional.isEmpty()) {
            if (positional.size() > 1) {
                throw CliException.usage("arguments after the script are not supported (" + positional.subList(1,
                        positional.size()) + "); pass values through --export or the environment");
            }
            Path file = io.cwd().resolve(positional.get(0));
            script = read(file);
            defaultName = file.getFileName().toString();
        } else {
            script = readStdin(io.in());
            defaultName = prog;
        }
        if (script.isBlank()) throw CliException.usage("the batch script is empty");

        JobRequest.Builder job = JobRequest.newBuilder().setName(defaultName).setScript(script)
                .setWorkDir(io.cwd().toString());
        putEnvironment(job);
        try {
            BatchOptions.applyDirectives(script, job);
        } catch (BatchOptions.BadOptionException e) {
            throw CliException.usage("in the script's directives: " + e.getMessage());
        }
        if (export != null) {
            // the command line wins: start again from the full environment, then apply its --export
            job.clearEnv();
            putEnvironment(job);
        }
        try {
            BatchOptions.apply(commandLineWords(), job);
        } catch (BatchOptions.BadOptionException e) {
            throw CliException.usage(e.getMessage());
        }
        Submitted s = client().call(c -> c.submitJob(job.build()));
        if (json) io.out().println(Json.of(Json.obj("job_id", s.getJobId(), "tasks", s.getTasks())));
        else if (parsable) io.out().println(s.getJobId());
        else io.out().println("Submitted batch job " + s.getJobId());
        return 0;
    }

    /** The submission environment: variables with names the controller accepts (others cannot be exported). */
    private void putEnvironment(JobRequest.Builder job) {
        for (Map.Entry<String, String> e : io.env().entrySet()) {
            if (e.getKey().matches("[A-Za-z_][A-Za-z0-9_]{0,255}") && e.getValue().indexOf('\0') < 0
                    && e.getValue().length() <= 131072) {
                job.putEnv(e.getKey(), e.getValue());
            }
        }
    }

    /** The options given here, as words for the shared parser; -D first so relative paths follow it. */
    private List<String> commandLineWords() {
        List<String> w = new ArrayList<>();
        add(w, "--chdir", chdir);
        add(w, "--job-name", jobName);
        add(w, "--account", account);
        add(w, "--partition", partition);
        add(w, "--qos", qos);
        add(w, "--nodes", nodes);
        add(w, "--ntasks", ntasks);
        add(w, "--ntasks-per-node", ntasksPerNode);
        add(w, "--cpus-per-task", cpusPerTask);
        add(w, "--mem", mem);
        add(w, "--mem-per-cpu", memPerCpu);
        add(w, "--gres", gres);
        add(w, "--gpus-per-node", gpusPerNode);
        add(w, "--time", time);
        add(w, "--output", output);
        add(w, "--error", error);
        add(w, "--array", array);
        add(w, "--dependency", dependency);
        add(w, "--nodelist", nodelist);
        add(w, "--exclude", exclude);
        add(w, "--begin", begin);
        add(w, "--comment", comment);
        add(w, "--export", export);
        add(w, "--mail-type", mailType);
        add(w, "--mail-user", mailUser);
        if (hold) w.add("--hold");
        if (exclusive) w.add("--exclusive");
        if (requeue) w.add("--requeue");
        if (noRequeue) w.add("--no-requeue");
        return w;
    }

    private static void add(List<String> words, String option, String value) {
        if (value != null) words.add(option + "=" + value);
    }

    private String read(Path file) throws CliException {
        try {
            if (Files.isDirectory(file)) throw CliException.usage(file + " is a directory, not a batch script");
            if (Files.size(file) > MAX_READ) throw CliException.usage("the script " + file + " is larger than 4 MiB");
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw CliException.usage("no such script: " + file);
        } catch (IOException e) {
            throw CliException.usage("cannot read the script " + file + ": " + e.getMessage());
        }
    }

    private static String readStdin(InputStream in) throws CliException {
        if (in == null || in == System.in && System.console() != null) {
            throw CliException.usage("no batch script given (cbatch SCRIPT, --wrap COMMAND, or a script on stdin)");
        }
        try {
            byte[] b = in.readNBytes((int) MAX_READ + 1);
            if (b.length > MAX_READ) throw CliException.usage("the script on stdin is larger than 4 MiB");
            return new String(b, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw CliException.usage("cannot read the script from stdin: " + e.getMessage());
        }
    }
}
