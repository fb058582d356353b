package org.scow.api.scheduler.util;

import org.scow.api.scheduler.JobSpec;
import org.scow.api.scheduler.SchedulerException;

/**
 * Turns a {@link JobSpec} into a complete batch script whose directives ({@code #SBATCH}, or a scheduler's own
 * prefix such as {@code #CBATCH}, with sbatch's option names) carry every option. Drivers submit this script and
 * return it as the generated script, so what the user sees is what ran.
 */
public final class BatchScript {
    /** Slurm's directive prefix, which Crane also reads. */
    public static final String SBATCH = "#SBATCH";

    private BatchScript() {
    }

    /**
     * The script: the spec's shebang line (or {@code #!/bin/bash}), the directives, then the spec's commands.
     * Resources are per node ({@code --ntasks-per-node=1 --cpus-per-task=N}, {@code --mem}, {@code --gres=gpu:N}),
     * matching {@link JobSpec}'s per-node fields.
     */
    public static String render(JobSpec spec, String directive) throws SchedulerException {
        String body = spec.script();
        String shebang = "#!/bin/bash";
        if (body.startsWith("#!")) {
            int nl = body.indexOf('\n');
            shebang = nl < 0 ? body : body.substring(0, nl);
            body = nl < 0 ? "" : body.substring(nl + 1);
        }
        StringBuilder s = new StringBuilder(shebang).append('\n');
        directive(s, directive, "--job-name", "name", spec.name());
        directive(s, directive, "--account", "account", spec.account());
        directive(s, directive, "--partition", "partition", spec.partition());
        if (spec.qos() != null) {
            directive(s, directive, "--qos", "qos", spec.qos());
        }
        directive(s, directive, "--nodes", "nodes", Integer.toString(spec.nodes()));
        directive(s, directive, "--ntasks-per-node", "nodes", "1");
        directive(s, directive, "--cpus-per-task", "coresPerNode", Integer.toString(spec.coresPerNode()));
        if (spec.gpusPerNode() > 0) {
            directive(s, directive, "--gres", "gpusPerNode", "gpu:" + spec.gpusPerNode());
        }
        if (spec.memoryMbPerNode() != null) {
            directive(s, directive, "--mem", "memoryMbPerNode", spec.memoryMbPerNode() + "M");
        }
        if (spec.timeLimitMinutes() != null) {
            directive(s, directive, "--time", "timeLimitMinutes", Long.toString(spec.timeLimitMinutes()));
        }
        directive(s, directive, "--chdir", "workingDirectory", spec.workingDirectory());
        if (spec.stdout() != null) {
            directive(s, directive, "--output", "stdout", spec.stdout());
        }
        if (spec.stderr() != null) {
            directive(s, directive, "--error", "stderr", spec.stderr());
        }
        // raw options are the caller's responsibility, written as given (validated to be one line each)
        for (String option : spec.extraOptions()) {
            s.append(directive).append(' ').append(option.strip()).append('\n');
        }
        s.append(body);
        if (!body.endsWith("\n")) {
            s.append('\n');
        }
        return s.toString();
    }

    /** One directive line; a line break or other control character in a value would start a new script line. */
    private static void directive(StringBuilder s, String directive, String option, String field, String value)
            throws SchedulerException {
        if (value.chars().anyMatch(Character::isISOControl)) {
            throw SchedulerException.invalid(field, "must not contain line breaks or control characters");
        }
        s.append(directive).append(' ').append(option).append('=').append(quote(value)).append('\n');
    }

    /**
     * sbatch splits a directive line at white space unless it is inside double quotes, where a backslash escapes
     * the next character; plain values stay unquoted for readability.
     */
    public static String quote(String value) {
        if (value.matches("[A-Za-z0-9._/:%@+=,-]+")) {
            return value;
        }
        return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
