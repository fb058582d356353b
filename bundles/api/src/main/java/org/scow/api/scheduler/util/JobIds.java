package org.scow.api.scheduler.util;

import java.util.Comparator;

/** Ordering of scheduler job ids such as {@code 42} and {@code 42_7}: numeric where possible. */
public final class JobIds {
    /** Numeric ids ({@code 42}, {@code 42_7}) in numeric order first, then the others by text. */
    public static final Comparator<String> COMPARATOR = JobIds::compare;

    private JobIds() {
    }

    private static int compare(String a, String b) {
        long[] x = parse(a);
        long[] y = parse(b);
        if (x != null && y != null) {
            int c = Long.compare(x[0], y[0]);
            return c != 0 ? c : Long.compare(x[1], y[1]);
        }
        if (x != null || y != null) {
            return x != null ? -1 : 1; // numeric ids first: keeps the order transitive for mixed ids
        }
        return a.compareTo(b);
    }

    private static long[] parse(String id) {
        int sep = id.indexOf('_');
        try {
            return sep < 0 ? new long[] {Long.parseLong(id), -1}
                    : new long[] {Long.parseLong(id.substring(0, sep)), Long.parseLong(id.substring(sep + 1))};
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
