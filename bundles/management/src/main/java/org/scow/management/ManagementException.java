package org.scow.management;

import java.util.Map;

/**
 * A refused management or billing operation: HTTP-like {@code status}, stable {@code code}, a message that says what
 * to fix, and details such as the offending {@code field}. Nothing was changed.
 */
public class ManagementException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String code;
    private final transient Map<String, Object> details;

    public ManagementException(int status, String code, String message, Map<String, Object> details) {
        super(message);
        this.status = status;
        this.code = code;
        this.details = details == null ? Map.of() : Map.copyOf(details);
    }

    public static ManagementException invalid(String field, String problem) {
        return new ManagementException(400, "INVALID_ARGUMENT", field + ": " + problem, Map.of("field", field));
    }

    public static ManagementException notFound(String what, String name) {
        return new ManagementException(404, what.toUpperCase() + "_NOT_FOUND", "no " + what + " '" + name + "'",
                Map.of(what, String.valueOf(name)));
    }

    public static ManagementException exists(String what, String name) {
        return new ManagementException(409, "ALREADY_EXISTS", what + " '" + name + "' already exists",
                Map.of(what, String.valueOf(name)));
    }

    public static ManagementException conflict(String message) {
        return new ManagementException(409, "CONFLICT", message, Map.of());
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public Map<String, Object> details() {
        return details;
    }
}
