package org.scow.api.scheduler;

import java.util.Map;
import java.util.Optional;

/**
 * The configuration of one cluster, as given to {@link SchedulerDriverFactory#create}.
 *
 * @param id           platform-wide cluster id
 * @param displayName  name shown to people
 * @param driverType   driver type that serves it
 * @param settings     driver-specific settings (keys without the {@code driver.} prefix)
 */
public record ClusterConfig(String id, String displayName, String driverType, Map<String, String> settings) {
    public ClusterConfig {
        settings = Map.copyOf(settings);
    }

    /** A setting, if present and not blank. */
    public Optional<String> setting(String key) {
        return Optional.ofNullable(settings.get(key)).filter(s -> !s.isBlank());
    }

    /** A required setting. */
    public String require(String key) throws SchedulerException {
        return setting(key).orElseThrow(() -> SchedulerException.invalid("driver." + key,
                "is required for cluster '" + id + "'"));
    }
}
