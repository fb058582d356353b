package org.scow.crane.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.scow.crane.protocol.BatchOptions;
import org.scow.crane.protocol.v1.JobRequest;
import org.scow.crane.protocol.v1.Submitted;

/**
 * {@code cbatch [options] SCRIPT}: submits a batch script. {@code #CBATCH} and {@code #SBATCH} directives before
 * the first command are read with the shared parser ({@link BatchOptions}); options given on the command line win
 * over them. The job runs in the current directory with the current environment (see {@code --export}).
 */
final class Cbatch extends Base {
    static Base create() {
        return new Cbatch();
    }

    /** Largest script read; the controller enforces its own (smaller) limit with a clear message. */
    private static final long MAX_READ = 4L << 20;

    private static final List<Args.Opt> OPTIONS = List.of(
            Args.value("-J, --job-name", "NAME", "Job name (default: the script's file name)"),
            Args.value("-A, --account", "ACCOUNT", "Account to charge"),
            Args.value("-p, --partition", "PARTITION", "Partition"),
            Args.value("-q, --qos", "QOS", "Quality of service"),
            Args.value("-N, --nodes", "N", "Number of nodes"),
            Args.value("-n, --ntasks", "N", "Number of tasks"),
            Args.value("--ntasks-per-node", "N", "Tasks per node"),
            Args.value("-c, --cpus-per-task", "N", "CPUs per task"),
            Args.value("--mem", "SIZE", "Memory per node (K/M/G/T, default M)"),
            Args.value("--mem-per-cpu", "SIZE", "Memory per CPU"),
            Args.value("--gres", "gpu[:TYPE]:N", "Generic resources per node"),
            Args.value("--gpus-per-node", "[TYPE:]N", "GPUs per node"),
            Args.value("-t, --time", "[D-]HH:MM:SS", "Time limit"),
            Args.value("-D, --chdir", "DIR", "Working directory (default: the current one)"),
            Args.value("-o, --output", "PATTERN", "stdout file (%j %x %u %N %A %a %%)"),
            Args.value("-e, --error", "PATTERN", "stderr file (default: with stdout)"),
            Args.value("-a, --array", "SPEC", "Job array, e.g. 1-100:2%10"),
            Args.value("-d, --dependency", "TYPE:ID[:ID][,|?...]", "after, afterok, afternotok, afterany"),
            Args.flag("-H, --hold", "Submit held"),
            Args.flag("--exclusive", "Whole nodes"),
            Args.value("-w, --nodelist", "HOSTS", "Run on these hosts"),
            Args.value("-x, --exclude", "HOSTS", "Not on these hosts"),
            Args.value("-b, --begin", "TIME", "now+1hour, HH:MM, YYYY-MM-DD[THH:MM]"),
            Args.value("--comment", "TEXT", "A comment"),
            Args.value("--export", "ALL|NONE|VAR[=VAL],...", "Environment of the job (default ALL)"),
            Args.flag("--requeue", "Requeue the job when its node fails"),
            Args.flag("--no-requeue", "Do not requeue"),
            Args.value("--mail-type", "TYPE", "Accepted for Slurm scripts; no mail is sent"),
            Args.value("--mail-user", "USER", "Accepted for Slurm scripts; no mail is sent"),
            Args.value("--wrap", "COMMAND", "Submit this shell command instead of a script"),
            Args.flag("--parsable", "Print only the job id"),
            Args.flag("--json", "Print {\"job_id\":N,\"tasks\":N}"));

    String jobName;
    String account;
    String partition;
    String qos;
    String nodes;
    String ntasks;
    String ntasksPerNode;
    String cpusPerTask;
    String mem;
    String memPerCpu;
    String gres;
    String gpusPerNode;
    String time;
    String chdir;
    String output;
    String error;
    String array;
    String dependency;
    boolean hold;
    boolean exclusive;
    String nodelist;
    String exclude;
    String begin;
    String comment;
    String export;
    boolean requeue;
    boolean noRequeue;
    String mailType;
    String mailUser;
    String wrap;
    boolean parsable;
    boolean json;
    List<String> positional;
    /** The parsed command line: how the user spelled each option ({@code -c} or {@code --cpus-per-task}). */
    private Args args;

    @Override
    List<Args.Opt> options() {
        return OPTIONS;
    }

    @Override
    String synopsis() {
        return "[OPTIONS] [SCRIPT]";
    }

    @Override
    List<String> description() {
        return List.of("Submit a batch script (#CBATCH / #SBATCH directives; command-line options win).",
                "  SCRIPT: the batch script (default: stdin)");
    }

    @Override
    boolean stopAtPositional() {
        // cbatch SCRIPT --x: words after the script are the script's, not cbatch's (as sbatch)
        return true;
    }

    @Override
    void bind(Args a) {
        args = a;
        jobName = a.string("--job-name");
        account = a.string("--account");
        partition = a.string("--partition");
        qos = a.string("--qos");
        nodes = a.string("--nodes");
        ntasks = a.string("--ntasks");
        ntasksPerNode = a.string("--ntasks-per-node");
        cpusPerTask = a.string("--cpus-per-task");
        mem = a.string("--mem");
        memPerCpu = a.string("--mem-per-cpu");
        gres = a.string("--gres");
        gpusPerNode = a.string("--gpus-per-node");
        time = a.string("--time");
        chdir = a.string("--chdir");
        output = a.string("--output");
        error = a.string("--error");
        array = a.string("--array");
        dependency = a.string("--dependency");
        hold = a.flag("--hold");
        exclusive = a.flag("--exclusive");
        nodelist = a.string("--nodelist");
        exclude = a.string("--exclude");
        begin = a.string("--begin");
        comment = a.string("--comment");
        export = a.string("--export");
        requeue = a.flag("--requeue");
        noRequeue = a.flag("--no-requeue");
        mailType = a.string("--mail-type");
        mailUser = a.string("--mail-user");
        wrap = a.string("--wrap");
        parsable = a.flag("--parsable");
        json = a.flag("--json");
        positional = a.positionals();
    }

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
            script = read(file, positional.get(0));
            defaultName = file.getFileName().toString();
        } else {
            script = readStdin(io.in());
            defaultName = prog;
        }
        if (script.isBlank()) throw CliException.usage("the batch script is empty");

        JobRequest.Builder job = JobRequest.newBuilder().setName(defaultName).setScript(script)
                .setWorkDir(io.cwd().toString());
        putEnvironment(job);
        // request field -> the option or directive that set it, so refusals name what the user wrote
        Map<String, String> written = new HashMap<>();
        try {
            BatchOptions.applyDirectives(script, job, written);
        } catch (BatchOptions.BadOptionException e) {
            throw CliException.usage("in the script's directives: " + e.getMessage());
        }
        if (export != null) {
            // the command line wins: start again from the full environment, then apply its --export
            job.clearEnv();
            putEnvironment(job);
        }
        try {
            BatchOptions.apply(commandLineWords(), job, written);
        } catch (BatchOptions.BadOptionException e) {
            throw CliException.usage(e.getMessage());
        }
        written.putIfAbsent("script", positional.isEmpty() ? "the script" : "the script " + positional.get(0));
        Submitted s = client().call(c -> c.submitJob(job.build()), written);
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

    /** The option as the user wrote it: {@code -t VALUE} stays two words, so a refusal can say {@code -t}. */
    private void add(List<String> words, String option, String value) {
        if (value == null) return;
        String spelled = args == null ? option : args.spelling(option);
        if (spelled.startsWith("--")) {
            words.add(spelled + "=" + value);
        } else {
            words.add(spelled);
            words.add(value);
        }
    }

    /** Reads the script; messages name it as the user wrote it ({@code shown}). */
    private String read(Path file, String shown) throws CliException {
        try {
            if (Files.isDirectory(file)) throw CliException.usage(shown + " is a directory, not a batch script");
            if (Files.size(file) > MAX_READ) throw CliException.usage("the script " + shown + " is larger than 4 MiB");
            return text(Files.readAllBytes(file), "the script " + shown);
        } catch (NoSuchFileException e) {
            throw CliException.usage("no such script: " + shown);
        } catch (java.nio.file.AccessDeniedException e) {
            throw CliException.usage("cannot read the script " + shown + ": permission denied");
        } catch (IOException e) {
            throw CliException.usage("cannot read the script " + shown + ": " + e.getMessage());
        }
    }

    /**
     * The script as text: UTF-8 without NUL bytes. A binary file or another encoding is refused with what is wrong
     * and where, instead of the decoder's own words ("Input length = 1") or a script full of replacement characters.
     */
    static String text(byte[] b, String what) throws CliException {
        for (int i = 0; i < b.length; i++) {
            if (b[i] == 0) throw CliException.usage(what + " is not a text file (a NUL byte at offset " + i + ")");
        }
        CharsetDecoder d = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(b);
        CharBuffer out = CharBuffer.allocate(b.length);
        CoderResult r = d.decode(in, out, true);
        if (r.isError()) {
            int at = in.position();
            throw CliException.usage(what + " is not UTF-8 text (byte 0x" + String.format("%02x", b[at] & 0xff)
                    + " at offset " + at + ", line " + (lineOf(b, at)) + "); save it as UTF-8");
        }
        d.flush(out);
        return out.flip().toString();
    }

    private static int lineOf(byte[] b, int offset) {
        int line = 1;
        for (int i = 0; i < offset; i++) if (b[i] == '\n') line++;
        return line;
    }

    private static String readStdin(InputStream in) throws CliException {
        if (in == null || in == System.in && System.console() != null) {
            throw CliException.usage("no batch script given (cbatch SCRIPT, --wrap COMMAND, or a script on stdin)");
        }
        try {
            byte[] b = in.readNBytes((int) MAX_READ + 1);
            if (b.length > MAX_READ) throw CliException.usage("the script on stdin is larger than 4 MiB");
            return text(b, "the script on stdin");
        } catch (IOException e) {
            throw CliException.usage("cannot read the script from stdin: " + e.getMessage());
        }
    }
}
