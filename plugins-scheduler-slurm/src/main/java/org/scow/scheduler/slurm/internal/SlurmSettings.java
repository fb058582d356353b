package org.scow.scheduler.slurm.internal;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

import org.scow.api.scheduler.ClusterConfig;
import org.scow.api.scheduler.util.Names;
import org.scow.api.scheduler.SchedulerException;

/**
 * The driver settings of one Slurm cluster, read from {@link ClusterConfig#settings()}. Every key is documented in
 * the module's README.md; keep the two in step.
 *
 * @param binDir          directory of the Slurm client commands (sbatch, squeue, sacct, sacctmgr, ...)
 * @param runuser         the runuser program that starts sbatch/scancel as the job's user
 * @param getent          the getent program that resolves Unix users
 * @param cluster         Slurm ClusterName for sacctmgr/sacct, or empty to read it from slurm.conf on first use
 * @param slurmConf       SLURM_CONF for every command, or empty for the Slurm default
 * @param timeout         limit of every Slurm command except the accounting queries
 * @param queryTimeout    limit of sacct, which may scan a large accounting database
 * @param minSubmitUid    lowest Unix uid jobs may be submitted and cancelled as (keeps system users out)
 * @param deniedUsers     user names that never submit or cancel, whatever their uid (default root and nobody)
 * @param allowRootJobs   whether uid 0 may submit at all; without it, {@code minSubmitUid=0} still keeps root out
 */
public record SlurmSettings(Path binDir, Path runuser, Path getent, Optional<String> cluster,
                            Optional<String> slurmConf, Duration timeout, Duration queryTimeout, int minSubmitUid,
                            Set<String> deniedUsers, boolean allowRootJobs) {

    public static final String MODE = "mode";
    public static final String BIN_DIR = "binDir";
    public static final String RUNUSER = "runuser";
    public static final String GETENT = "getent";
    public static final String CLUSTER = "cluster";
    public static final String SLURM_CONF = "slurmConf";
    public static final String TIMEOUT_SECONDS = "timeoutSeconds";
    public static final String QUERY_TIMEOUT_SECONDS = "queryTimeoutSeconds";
    public static final String MIN_SUBMIT_UID = "minSubmitUid";
    public static final String DENIED_USERS = "deniedUsers";
    public static final String ALLOW_ROOT_JOBS = "allowRootJobs";
    public static final String DEFAULT_DENIED_USERS = "root,nobody";

    /** The only mode implemented: the platform runs on a Slurm host (login or management node). */
    public static final String MODE_LOCAL = "local";

    public static SlurmSettings from(ClusterConfig config) throws SchedulerException {
        String mode = config.setting(MODE).orElse(MODE_LOCAL);
        if (!MODE_LOCAL.equals(mode)) {
            throw SchedulerException.invalid("driver." + MODE, "'" + mode + "' is not supported; use '"
                    + MODE_LOCAL + "' (the Slurm commands run on this host)");
        }
        Optional<String> cluster = config.setting(CLUSTER);
        if (cluster.isPresent() && !Names.isValid(cluster.get())) {
            throw SchedulerException.invalid("driver." + CLUSTER, "'" + cluster.get() + "' "
                    + Names.RULE);
        }
        return new SlurmSettings(
                absolute(config, BIN_DIR, "/usr/bin"),
                absolute(config, RUNUSER, "/usr/sbin/runuser"),
                absolute(config, GETENT, "/usr/bin/getent"),
                cluster,
                config.setting(SLURM_CONF),
                Duration.ofSeconds(positive(config, TIMEOUT_SECONDS, 30)),
                Duration.ofSeconds(positive(config, QUERY_TIMEOUT_SECONDS, 120)),
                positive(config, MIN_SUBMIT_UID, 1000),
                deniedUsers(config.setting(DENIED_USERS).orElse(DEFAULT_DENIED_USERS), bool(config, ALLOW_ROOT_JOBS)),
                bool(config, ALLOW_ROOT_JOBS));
    }

    /**
     * A comma-separated list of user names; {@code none} is the empty list (a blank setting counts as absent).
     * {@code allowRootJobs} takes root off the list: the opt-in is one switch, as in Crane.
     */
    private static Set<String> deniedUsers(String csv, boolean allowRoot) {
        Set<String> out = new LinkedHashSet<>();
        if (!csv.strip().equals("none")) {
            for (String n : csv.split(",")) {
                if (!n.isBlank()) {
                    out.add(n.strip());
                }
            }
        }
        if (allowRoot) {
            out.remove("root");
        }
        return Set.copyOf(out);
    }

    private static boolean bool(ClusterConfig config, String key) throws SchedulerException {
        String v = config.setting(key).orElse("false").strip();
        if (!v.equals("true") && !v.equals("false")) {
            throw SchedulerException.invalid("driver." + key, "must be true or false, was '" + v + "'");
        }
        return v.equals("true");
    }

    /** Path of a Slurm client command. */
    public String tool(String name) {
        return binDir.resolve(name).toString();
    }

    private static Path absolute(ClusterConfig config, String key, String dflt) throws SchedulerException {
        String value = config.setting(key).orElse(dflt);
        if (!value.startsWith("/")) {
            throw SchedulerException.invalid("driver." + key, "must be an absolute path, was '" + value + "'");
        }
        return Path.of(value);
    }

    private static int positive(ClusterConfig config, String key, int dflt) throws SchedulerException {
        Optional<String> value = config.setting(key);
        if (value.isEmpty()) {
            return dflt;
        }
        try {
            int n = Integer.parseInt(value.get().strip());
            if (n >= 0 && (n > 0 || key.equals(MIN_SUBMIT_UID))) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw SchedulerException.invalid("driver." + key, "must be a positive whole number, was '" + value.get()
                + "'");
    }
}
