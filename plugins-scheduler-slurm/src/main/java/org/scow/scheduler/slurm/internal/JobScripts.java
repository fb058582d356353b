package org.scow.scheduler.slurm.internal;

import org.scow.api.scheduler.JobSpec;
import org.scow.api.scheduler.SchedulerException;

/**
 * Turns a {@link JobSpec} into a complete batch script whose {@code #SBATCH} directives carry every option. The
 * script is what sbatch reads on stdin and what the platform shows as the generated script, so the two never
 * disagree.
 */
public final class JobScripts {
    private JobScripts() {
    }

    /**
     * The script: the spec's shebang line (or {@code #!/bin/bash}), the directives, then the spec's commands.
     * Resources are per node ({@code --ntasks-per-node=1 --cpus-per-task=N}, {@code --mem}, {@code --gres=gpu:N}),
     * matching {@link JobSpec}'s per-node fields.
     */
    public static String render(JobSpec spec) throws SchedulerException {
        String body = spec.script();
        String shebang = "#!/bin/bash";
        if (body.startsWith("#!")) {
            int nl = body.indexOf('\n');
            shebang = nl < 0 ? body : body.substring(0, nl);
            body = nl < 0 ? "" : body.substring(nl + 1);
        }
        StringBuilder s = new StringBuilder(shebang).append('\n');
        directive(s, "--job-name", "name", spec.name());
        directive(s, "--account", "account", spec.account());
        directive(s, "--partition", "partition", spec.partition());
        if (spec.qos() != null) {
            directive(s, "--qos", "qos", spec.qos());
        }
        directive(s, "--nodes", "nodes", Integer.toString(spec.nodes()));
        directive(s, "--ntasks-per-node", "nodes", "1");
        directive(s, "--cpus-per-task", "coresPerNode", Integer.toString(spec.coresPerNode()));
        if (spec.gpusPerNode() > 0) {
            directive(s, "--gres", "gpusPerNode", "gpu:" + spec.gpusPerNode());
        }
        if (spec.memoryMbPerNode() != null) {
            directive(s, "--mem", "memoryMbPerNode", spec.memoryMbPerNode() + "M");
        }
        if (spec.timeLimitMinutes() != null) {
            directive(s, "--time", "timeLimitMinutes", Long.toString(spec.timeLimitMinutes()));
        }
        directive(s, "--chdir", "workingDirectory", spec.workingDirectory());
        if (spec.stdout() != null) {
            directive(s, "--output", "stdout", spec.stdout());
        }
        if (spec.stderr() != null) {
            directive(s, "--error", "stderr", spec.stderr());
        }
        // raw options are the caller's responsibility, written as given (validated to be one line each)
        for (String option : spec.extraOptions()) {
            s.append("#SBATCH ").append(option.strip()).append('\n');
        }
        s.append(body);
        if (!body.endsWith("\n")) {
            s.append('\n');
        }
        return s.toString();
    }

    /** One directive line; a line break or other control character in a value would start a new script line. */
    private static void directive(StringBuilder s, String option, String field, String value)
            throws SchedulerException {
        if (value.chars().anyMatch(Character::isISOControl)) {
            throw SchedulerException.invalid(field, "must not contain line breaks or control characters");
        }
        s.append("#SBATCH ").append(option).append('=').append(quote(value)).append('\n');
    }

    /**
     * sbatch splits a directive line at white space unless it is inside double quotes, where a backslash escapes
     * the next character; plain values stay unquoted for readability.
     */
    static String quote(String value) {
        if (value.matches("[A-Za-z0-9._/:%@+=,-]+")) {
            return value;
        }
        return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
