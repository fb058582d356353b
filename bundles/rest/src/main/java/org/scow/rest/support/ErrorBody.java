package org.scow.rest.support;

import java.util.Map;

/**
 * Every error the API returns: a stable {@code code}, a {@code message} for people that says what to fix, and
 * machine-readable {@code details} such as the offending {@code field}.
 */
public record ErrorBody(String code, String message, Map<String, Object> details) {
    public ErrorBody {
        details = details == null ? Map.of() : Map.copyOf(details);
    }
}
