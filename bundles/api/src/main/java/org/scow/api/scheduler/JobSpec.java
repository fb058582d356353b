package org.scow.api.scheduler;

import org.scow.api.scheduler.util.Names;
import java.util.List;

/**
 * A batch job described by structured fields; the driver turns it into its scheduler's script and options.
 *
 * @param user              the Unix user the job runs as
 * @param name              job name
 * @param account           account charged
 * @param partition         target partition
 * @param qos               QoS, or null for the account's default
 * @param nodes             node count, at least 1
 * @param coresPerNode      CPU cores per node, at least 1
 * @param gpusPerNode       GPUs per node, 0 or more
 * @param memoryMbPerNode   memory per node in MiB, or null for the partition default
 * @param timeLimitMinutes  wall time limit in minutes, or null for the partition default
 * @param script            the commands to run (a shebang line is added when missing)
 * @param workingDirectory  absolute directory the job starts in
 * @param stdout            output file pattern, or null for the scheduler default
 * @param stderr            error file pattern, or null for the scheduler default
 * @param extraOptions      raw scheduler options, each one whole option such as {@code --exclusive}
 */
public record JobSpec(String user, String name, String account, String partition, String qos,
                      int nodes, int coresPerNode, int gpusPerNode, Long memoryMbPerNode, Long timeLimitMinutes,
                      String script, String workingDirectory, String stdout, String stderr,
                      List<String> extraOptions) {

    public JobSpec {
        extraOptions = extraOptions == null ? List.of() : List.copyOf(extraOptions);
    }

    /**
     * Checks the fields every scheduler needs, naming the first bad one.
     *
     * @throws SchedulerException with {@link ErrorCode#INVALID_ARGUMENT} and detail {@code field}
     */
    public void validate() throws SchedulerException {
        requireName("user", user);
        requireText("name", name);
        requireName("account", account);
        requireName("partition", partition);
        if (qos != null) {
            requireName("qos", qos);
        }
        if (nodes < 1) throw SchedulerException.invalid("nodes", "must be at least 1, was " + nodes);
        if (coresPerNode < 1) {
            throw SchedulerException.invalid("coresPerNode", "must be at least 1, was " + coresPerNode);
        }
        if (gpusPerNode < 0) throw SchedulerException.invalid("gpusPerNode", "must not be negative");
        if (memoryMbPerNode != null && memoryMbPerNode < 1) {
            throw SchedulerException.invalid("memoryMbPerNode", "must be at least 1 MiB");
        }
        if (timeLimitMinutes != null && timeLimitMinutes < 1) {
            throw SchedulerException.invalid("timeLimitMinutes", "must be at least 1 minute");
        }
        if (script == null || script.isBlank()) throw SchedulerException.invalid("script", "must not be empty");
        if (workingDirectory == null || !workingDirectory.startsWith("/")) {
            throw SchedulerException.invalid("workingDirectory", "must be an absolute path");
        }
        requireLine("workingDirectory", workingDirectory);
        requireLine("stdout", stdout);
        requireLine("stderr", stderr);
        for (String option : extraOptions) {
            if (option == null || option.isBlank() || option.indexOf('\n') >= 0) {
                throw SchedulerException.invalid("extraOptions", "each option must be one non-empty line");
            }
        }
    }

    /** Total CPU cores requested. */
    public int totalCores() {
        return nodes * coresPerNode;
    }

    /** Paths end up in directive lines: a line break would start a new script line. */
    static void requireLine(String field, String value) throws SchedulerException {
        if (value != null && (value.isBlank() || value.chars().anyMatch(Character::isISOControl))) {
            throw SchedulerException.invalid(field, "must be one line without control characters");
        }
    }

    static void requireText(String field, String value) throws SchedulerException {
        if (value == null || value.isBlank()) throw SchedulerException.invalid(field, "is required");
        if (value.length() > 200 || value.chars().anyMatch(Character::isISOControl)) {
            throw SchedulerException.invalid(field, "must be at most 200 printable characters");
        }
    }

    /** Names of users, accounts, partitions and QoS: what every scheduler accepts. */
    static void requireName(String field, String value) throws SchedulerException {
        if (value == null || value.isBlank()) throw SchedulerException.invalid(field, "is required");
        if (!Names.isValid(value)) {
            throw SchedulerException.invalid(field, "'" + value + "' " + Names.RULE);
        }
    }
}
