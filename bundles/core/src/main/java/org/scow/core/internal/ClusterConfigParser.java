package org.scow.core.internal;

import java.util.Collections;
import java.util.Dictionary;
import java.util.LinkedHashMap;
import java.util.Map;
import org.scow.api.scheduler.ClusterConfig;
import org.scow.api.scheduler.util.Names;

/**
 * Reads one {@code etc/org.scow.cluster-<name>.cfg}: {@code id}, {@code displayName}, {@code driver} and any number of
 * {@code driver.<key>} settings handed to the driver without the prefix.
 */
final class ClusterConfigParser {
    static final String ID = "id";
    static final String DISPLAY_NAME = "displayName";
    static final String DRIVER = "driver";
    static final String DRIVER_PREFIX = "driver.";

    private ClusterConfigParser() {
    }

    /** @throws IllegalArgumentException naming the bad key and what to write instead */
    static ClusterConfig parse(Dictionary<String, ?> properties) {
        String id = string(properties, ID);
        if (id == null) {
            throw new IllegalArgumentException("missing 'id': add a line such as 'id = hpc01'");
        }
        if (!Names.isValid(id)) {
            throw new IllegalArgumentException("'id' " + Names.RULE + ", was '" + id + "'");
        }
        String driver = string(properties, DRIVER);
        if (driver == null) {
            throw new IllegalArgumentException("cluster '" + id + "': missing 'driver', e.g. 'driver = crane'");
        }
        String displayName = string(properties, DISPLAY_NAME);
        Map<String, String> settings = new LinkedHashMap<>();
        for (String key : Collections.list(properties.keys())) {
            if (key.startsWith(DRIVER_PREFIX) && properties.get(key) != null) {
                settings.put(key.substring(DRIVER_PREFIX.length()), String.valueOf(properties.get(key)).trim());
            }
        }
        return new ClusterConfig(id, displayName == null ? id : displayName, driver, settings);
    }

    private static String string(Dictionary<String, ?> properties, String key) {
        Object v = properties.get(key);
        return v == null || String.valueOf(v).isBlank() ? null : String.valueOf(v).trim();
    }
}
