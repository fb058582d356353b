package org.scow.crane.ctld.util;

import org.scow.crane.ctld.CtldException;

/**
 * Durations (Slurm notation) and sizes for the controller: the shared parsers of crane-protocol
 * ({@link org.scow.crane.protocol.TimeSpec}), a malformed value reported as the controller's {@link CtldException}
 * (INVALID_ARGUMENT on the field).
 */
public final class TimeSpec {
    public static final long MAX_SECONDS = org.scow.crane.protocol.TimeSpec.MAX_SECONDS;

    private TimeSpec() {
    }

    public static long parseDuration(String field, String s) {
        try {
            return org.scow.crane.protocol.TimeSpec.parseDuration(field, s);
        } catch (org.scow.crane.protocol.TimeSpec.Invalid e) {
            throw CtldException.invalid(e.field(), e.reason());
        }
    }

    public static String formatDuration(long secs) {
        return org.scow.crane.protocol.TimeSpec.formatDuration(secs);
    }

    public static long parseMemMb(String field, String s) {
        try {
            return org.scow.crane.protocol.TimeSpec.parseMemMb(field, s);
        } catch (org.scow.crane.protocol.TimeSpec.Invalid e) {
            throw CtldException.invalid(e.field(), e.reason());
        }
    }
}
