package org.scow.crane.protocol;


/** Parses and prints durations and sizes in the scheduler's usual notations. */
public final class TimeSpec {
    /** A malformed duration or size; the message is {@code <field>: <reason>}, as the controller reports it. */
    public static final class Invalid extends IllegalArgumentException {
        private final String field;
        private final String reason;

        Invalid(String field, String reason) {
            super(field == null ? reason : field + ": " + reason);
            this.field = field;
            this.reason = reason;
        }

        public String field() {
            return field;
        }

        public String reason() {
            return reason;
        }
    }

    /** Longest duration accepted anywhere: 1000 days. */
    public static final long MAX_SECONDS = 1000L * 86400;

    private TimeSpec() {
    }

    /**
     * Parses a duration: {@code M}, {@code M:S}, {@code H:M:S}, {@code D-H}, {@code D-H:M}, {@code D-H:M:S}
     * (Slurm's forms). Returns seconds, at least 1.
     */
    public static long parseDuration(String field, String s) {
        if (s == null || s.isBlank()) throw new Invalid(field, "empty duration");
        String t = s.trim();
        if (!t.matches("(\\d{1,7}-)?\\d{1,9}(:\\d{1,9}){0,2}")) {
            throw new Invalid(field, "malformed duration '" + s
                    + "' (use minutes, M:S, H:M:S, D-H, D-H:M or D-H:M:S)");
        }
        long days = 0;
        int dash = t.indexOf('-');
        String rest = t;
        if (dash >= 0) {
            days = Long.parseLong(t.substring(0, dash));
            rest = t.substring(dash + 1);
        }
        String[] p = rest.split(":");
        long secs;
        if (dash >= 0) {
            long h = Long.parseLong(p[0]);
            long m = p.length > 1 ? Long.parseLong(p[1]) : 0;
            long sec = p.length > 2 ? Long.parseLong(p[2]) : 0;
            if (m > 59 || sec > 59 || h > 23) throw new Invalid(field, "field out of range in '" + s + "'");
            secs = days * 86400 + h * 3600 + m * 60 + sec;
        } else if (p.length == 1) {
            secs = Long.parseLong(p[0]) * 60;
        } else if (p.length == 2) {
            long sec = Long.parseLong(p[1]);
            if (sec > 59) throw new Invalid(field, "seconds out of range in '" + s + "'");
            secs = Long.parseLong(p[0]) * 60 + sec;
        } else {
            long m = Long.parseLong(p[1]);
            long sec = Long.parseLong(p[2]);
            if (m > 59 || sec > 59) throw new Invalid(field, "field out of range in '" + s + "'");
            secs = Long.parseLong(p[0]) * 3600 + m * 60 + sec;
        }
        if (secs < 1) throw new Invalid(field, "duration must be positive, was '" + s + "'");
        if (secs > MAX_SECONDS) throw new Invalid(field, "duration over 1000 days: '" + s + "'");
        return secs;
    }

    public static String formatDuration(long secs) {
        long d = secs / 86400;
        long h = secs / 3600 % 24;
        long m = secs / 60 % 60;
        long s = secs % 60;
        String hms = String.format("%02d:%02d:%02d", h, m, s);
        return d > 0 ? d + "-" + hms : hms;
    }

    /** Parses a memory size in MiB: a number with optional K/M/G/T suffix (default M). */
    public static long parseMemMb(String field, String s) {
        if (s == null || s.isBlank()) throw new Invalid(field, "empty size");
        String t = s.trim().toUpperCase();
        if (!t.matches("\\d{1,12}[KMGT]?B?")) throw new Invalid(field, "malformed size '" + s + "'");
        if (t.endsWith("B")) t = t.substring(0, t.length() - 1);
        char u = Character.isDigit(t.charAt(t.length() - 1)) ? 'M' : t.charAt(t.length() - 1);
        long v = Long.parseLong(Character.isDigit(t.charAt(t.length() - 1)) ? t : t.substring(0, t.length() - 1));
        long mb = switch (u) {
            case 'K' -> (v + 1023) / 1024;
            case 'G' -> v * 1024;
            case 'T' -> v * 1024 * 1024;
            default -> v;
        };
        if (mb > (1L << 40)) throw new Invalid(field, "size too large: '" + s + "'");
        return mb;
    }
}
