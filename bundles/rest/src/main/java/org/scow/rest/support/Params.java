package org.scow.rest.support;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.scow.api.scheduler.util.Names;

/**
 * Parses request parameters with errors that name the parameter. (JAX-RS turns an unparsable typed parameter into a
 * bare 404, so parameters arrive as strings and are parsed here.)
 */
public final class Params {
    private Params() {
    }

    public static Integer integer(String name, String value, int min, int max) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            int v = Integer.parseInt(value.trim());
            if (v < min || v > max) {
                throw ApiException.badField(name, "must be between " + min + " and " + max + ", was " + v);
            }
            return v;
        } catch (NumberFormatException e) {
            throw ApiException.badField(name, "must be a whole number, was '" + value + "'");
        }
    }

    /** {@link #integer(String, String, int, int)} with a default for an absent or empty parameter ({@code limit=}). */
    public static int integer(String name, String value, int min, int max, int absent) {
        Integer v = integer(name, value, min, max);
        return v == null ? absent : v;
    }

    public static Instant instant(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(value.trim());
        } catch (DateTimeParseException e) {
            throw ApiException.badField(name, "must be an ISO-8601 instant such as 2026-01-31T08:00:00Z, was '"
                    + value + "'");
        }
    }

    /** Comma-separated and/or repeated values. */
    public static Set<String> list(List<String> values) {
        Set<String> out = new LinkedHashSet<>();
        if (values != null) {
            values.stream().flatMap(v -> Arrays.stream(v.split(","))).map(String::trim).filter(s -> !s.isEmpty())
                    .forEach(out::add);
        }
        return out;
    }

    public static Set<String> names(String param, List<String> values) {
        Set<String> names = list(values);
        names.forEach(n -> name(param, n));
        return names;
    }

    public static String name(String param, String value) {
        if (value == null || value.isBlank()) {
            throw ApiException.badField(param, "is required");
        }
        if (!Names.isValid(value)) {
            throw ApiException.badField(param, "'" + value + "' " + Names.RULE);
        }
        return value;
    }

    /** Accepts {@code end_time}, {@code END_TIME} and {@code endTime}. */
    public static <E extends Enum<E>> E enumValue(String param, String value, Class<E> type) {
        if (value == null || value.isBlank()) {
            throw ApiException.badField(param, "is required: one of " + Arrays.toString(type.getEnumConstants()));
        }
        String key = value.trim().replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT);
        try {
            return Enum.valueOf(type, key);
        } catch (IllegalArgumentException e) {
            throw ApiException.badField(param, "'" + value + "' is not one of " + Arrays.toString(type.getEnumConstants()));
        }
    }

    /** A POST/PUT body that must be present. */
    public static <T> T body(T body) {
        if (body == null) {
            throw new ApiException(400, "INVALID_ARGUMENT", "a JSON request body is required", java.util.Map.of());
        }
        return body;
    }
}
