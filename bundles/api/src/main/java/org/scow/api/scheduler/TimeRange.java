package org.scow.api.scheduler;

import java.time.Instant;

/**
 * An inclusive time range; either end may be open (null).
 */
public record TimeRange(Instant from, Instant to) {
    public TimeRange {
        if (from != null && to != null && from.isAfter(to)) {
            throw new IllegalArgumentException("time range starts after it ends: " + from + " > " + to);
        }
    }

    /** True when {@code t} is non-null and lies in the range. */
    public boolean contains(Instant t) {
        return t != null && (from == null || !t.isBefore(from)) && (to == null || !t.isAfter(to));
    }
}
