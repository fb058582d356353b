package org.scow.apps.internal;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * One interactive app, as read from {@code etc/apps/<id>.yaml}.
 *
 * @param id                   the file name without {@code .yaml}
 * @param type                 how the browser uses it: a web page, or a VNC desktop shown with noVNC
 * @param clusters             clusters where it is offered; {@code *} for all
 * @param proxy                {@code absolute}: the app serves under the proxy base path itself (it gets
 *                             {@code SCOW_PROXY_BASE_PATH}); {@code relative}: the proxy strips the base path
 * @param startTimeoutSeconds  how long the app may take to open its port once the job runs
 * @param scheduler            the scheduler fields of the form (account, partition, qos, gpus, cores, time)
 * @param attributes           the app's own form fields
 * @param beforeScript         shell lines that must set {@code PORT} (and usually {@code PASSWORD})
 * @param script               shell lines that start the server in the foreground
 * @param connect              how the browser signs in to the app
 */
public record AppDefinition(String id, String name, String description, String icon, Type type,
                            List<String> clusters, Proxy proxy, int startTimeoutSeconds,
                            Map<SchedulerField.Name, SchedulerField> scheduler, List<Attribute> attributes,
                            String beforeScript, String script, Connect connect) {

    /** How the browser uses the app. */
    public enum Type { WEB, VNC }

    /** Whether the app serves under the proxy base path itself. */
    public enum Proxy { ABSOLUTE, RELATIVE }

    /** True when the app is offered on that cluster. */
    public boolean offeredOn(String cluster) {
        return clusters.contains("*") || clusters.contains(cluster);
    }

    /** The attribute of that name, or null. */
    public Attribute attribute(String name) {
        return attributes.stream().filter(a -> a.name().equals(name)).findFirst().orElse(null);
    }

    /**
     * One of the app's own form fields.
     *
     * @param type       text, number, select or file (a path on the cluster)
     * @param options    the choices of a select
     * @param min        least number; null: none
     * @param max        greatest number; null: none
     * @param maxLength  longest text or path
     */
    public record Attribute(String name, String label, AttributeType type, boolean required, String defaultValue,
                            List<Option> options, BigDecimal min, BigDecimal max, int maxLength, String help) {
    }

    /** Kinds of app form fields. */
    public enum AttributeType { TEXT, NUMBER, SELECT, FILE }

    /** One choice of a select field. */
    public record Option(String value, String label) {
    }

    /**
     * How the browser signs in once the app runs: {@code method} on {@code path} (below the proxy base path), with
     * the session's password in the query parameter (GET) or form field (POST) {@code passwordField}, if any.
     */
    public record Connect(String method, String path, String passwordField) {
    }

    /**
     * A scheduler field of the form and what the administrator reserved of it.
     *
     * @param fixed         the value every session gets; the user cannot change it
     * @param defaultValue  the value proposed
     * @param hidden        not shown to the user (it takes the fixed or default value)
     * @param allowed       the only values a user may choose (account, partition, qos); empty: whatever the user
     *                      may use
     * @param min           least number (gpus, cores, time)
     * @param max           greatest number (gpus, cores, time)
     */
    public record SchedulerField(Name name, String fixed, String defaultValue, boolean hidden, List<String> allowed,
                                 Long min, Long max) {
        /** The scheduler fields; time is in minutes. */
        public enum Name {
            ACCOUNT, PARTITION, QOS, GPUS, CORES, TIME;

            /** Name in YAML and in form values. */
            public String key() {
                return name().toLowerCase(java.util.Locale.ROOT);
            }

            public boolean numeric() {
                return this == GPUS || this == CORES || this == TIME;
            }
        }

        /** The field as nothing reserved it. */
        public static SchedulerField open(Name name) {
            return new SchedulerField(name, null, null, false, List.of(), null, null);
        }
    }
}
