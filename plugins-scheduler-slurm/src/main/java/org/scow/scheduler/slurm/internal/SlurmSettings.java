package org.scow.scheduler.slurm.internal;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

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
 * @param minSubmitUid    lowest Unix uid jobs may be submitted and cancelled as (keeps root and system users out)
 */
public record SlurmSettings(Path binDir, Path runuser, Path getent, Optional<String> cluster,
                            Optional<String> slurmConf, Duration timeout, Duration queryTimeout, int minSubmitUid) {

    public static final String MODE = "mode";
    public static final String BIN_DIR = "binDir";
    public static final String RUNUSER = "runuser";
    public static final String GETENT = "getent";
    public static final String CLUSTER = "cluster";
    public static final String SLURM_CONF = "slurmConf";
    public static final String TIMEOUT_SECONDS = "timeoutSeconds";
    public static final String QUERY_TIMEOUT_SECONDS = "queryTimeoutSeconds";
    public static final String MIN_SUBMIT_UID = "minSubmitUid";

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
                positive(config, MIN_SUBMIT_UID, 1000));
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
