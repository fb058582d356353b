package org.scow.crane.driver;

import java.nio.file.Path;
import java.time.Duration;
import org.scow.api.scheduler.ClusterConfig;
import org.scow.api.scheduler.SchedulerException;

/**
 * The {@code driver.*} settings of a Crane cluster.
 *
 * <ul>
 *   <li>{@code host} — cranectld's address (default {@code 127.0.0.1})</li>
 *   <li>{@code port} — its gRPC port (default {@code 10011})</li>
 *   <li>{@code credentialFile} — required: a <em>proxy</em> credential issued with
 *       {@code cranectld credential --scope proxy}; the driver acts as its principal for administration and on
 *       behalf of the job's user for submissions and cancels</li>
 *   <li>{@code timeoutSeconds} — deadline of every call (default 30)</li>
 *   <li>{@code tlsTrustFile} — a PEM certificate (cranectld's own or its CA's): the driver then speaks TLS and
 *       accepts only that controller; without it, plaintext (a controller on loopback)</li>
 * </ul>
 * The credential file is read when the driver is created, so a re-issued credential needs a driver restart
 * (the platform recreates drivers when the cluster's configuration changes).
 */
record CraneSettings(String host, int port, Path credentialFile, Duration timeout, Path tlsTrustFile) {
    static final int DEFAULT_PORT = 10011;

    static CraneSettings from(ClusterConfig c) throws SchedulerException {
        String host = c.setting("host").orElse("127.0.0.1");
        int port = integer(c, "port", DEFAULT_PORT, 1, 65535);
        Path credential = Path.of(c.require("credentialFile"));
        if (!credential.isAbsolute()) throw SchedulerException.invalid("driver.credentialFile", "must be absolute");
        int timeout = integer(c, "timeoutSeconds", 30, 1, 3600);
        Path trust = c.setting("tlsTrustFile").map(String::strip).filter(v -> !v.isEmpty()).map(Path::of).orElse(null);
        if (trust != null && !trust.isAbsolute()) throw SchedulerException.invalid("driver.tlsTrustFile", "must be absolute");
        return new CraneSettings(host, port, credential, Duration.ofSeconds(timeout), trust);
    }

    private static int integer(ClusterConfig c, String key, int def, int min, int max) throws SchedulerException {
        String v = c.setting(key).orElse(null);
        if (v == null) return def;
        try {
            int n = Integer.parseInt(v.strip());
            if (n < min || n > max) throw SchedulerException.invalid("driver." + key, "must be " + min + ".." + max);
            return n;
        } catch (NumberFormatException e) {
            throw SchedulerException.invalid("driver." + key, "'" + v + "' is not a number");
        }
    }
}
