package org.scow.crane.cli;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Printing and parsing of times for the commands; times are shown in the local time zone. */
final class Times {
    private static final Pattern RELATIVE = Pattern.compile("now(?:([+-])(\\d{1,9})([a-z]*))?");

    private Times() {
    }

    /** Loaded on first use only: java.time's formatting machinery costs start-up time most commands do not need. */
    private static final class Show {
        static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss");
    }

    /** An epoch time, or {@code N/A} for 0 (not happened). */
    static String show(long epochSec) {
        if (epochSec <= 0) return "N/A";
        return Show.FORMAT.format(LocalDateTime.ofInstant(Instant.ofEpochSecond(epochSec), ZoneId.systemDefault()));
    }

    /**
     * A duration as {@code [D-]HH:MM:SS}, as the controller's {@code TimeSpec.formatDuration} writes it, without
     * String.format, whose first use costs a command milliseconds of locale set-up.
     */
    static String duration(long sec) {
        long s = Math.max(0, sec);
        StringBuilder sb = new StringBuilder(12);
        if (s >= 86400) sb.append(s / 86400).append('-');
        two(sb, s / 3600 % 24).append(':');
        two(sb, s / 60 % 60).append(':');
        return two(sb, s % 60).toString();
    }

    private static StringBuilder two(StringBuilder sb, long v) {
        return (v < 10 ? sb.append('0') : sb).append(v);
    }

    /** A time limit; 0 is unlimited. */
    static String limit(long sec) {
        return sec <= 0 ? "UNLIMITED" : duration(sec);
    }

    /**
     * A point in time: {@code YYYY-MM-DD}, {@code YYYY-MM-DDTHH:MM[:SS]} (also with a space), {@code HH:MM[:SS]}
     * (today), {@code now}, {@code now-N[unit]} / {@code now+N[unit]} (units s, m, h, d, w and their long names;
     * default seconds) or plain epoch seconds.
     */
    static long parse(String option, String text, long nowSec) throws CliException {
        String s = text.strip().toLowerCase(Locale.ROOT).replace(' ', 't');
        ZoneId zone = ZoneId.systemDefault();
        Matcher m = RELATIVE.matcher(s);
        if (m.matches()) {
            if (m.group(1) == null) return nowSec;
            long unit = switch (m.group(3)) {
                case "", "s", "sec", "second", "seconds" -> 1;
                case "m", "min", "minute", "minutes" -> 60;
                case "h", "hour", "hours" -> 3600;
                case "d", "day", "days" -> 86400;
                case "w", "week", "weeks" -> 7 * 86400;
                default -> throw CliException.usage(option + ": unknown time unit '" + m.group(3) + "'");
            };
            long delta = Long.parseLong(m.group(2)) * unit;
            return m.group(1).equals("+") ? nowSec + delta : nowSec - delta;
        }
        try {
            if (s.matches("\\d{9,}")) return Long.parseLong(s);
            if (s.matches("\\d{4}-\\d{2}-\\d{2}")) return LocalDate.parse(s).atStartOfDay(zone).toEpochSecond();
            if (s.matches("\\d{4}-\\d{2}-\\d{2}t\\d{2}:\\d{2}(:\\d{2})?")) {
                return LocalDateTime.parse(s.toUpperCase(Locale.ROOT)).atZone(zone).toEpochSecond();
            }
            if (s.matches("\\d{1,2}:\\d{2}(:\\d{2})?")) {
                LocalTime t = LocalTime.parse(s.indexOf(':') == 1 ? "0" + s : s);
                return LocalDate.ofInstant(Instant.ofEpochSecond(nowSec), zone).atTime(t).atZone(zone).toEpochSecond();
            }
        } catch (DateTimeParseException | NumberFormatException e) {
            throw CliException.usage(option + ": '" + text + "' is not a valid time");
        }
        throw CliException.usage(option + ": '" + text + "' is not a time (YYYY-MM-DD[THH:MM[:SS]], HH:MM[:SS], "
                + "now, now-2days, epoch seconds)");
    }

    /**
     * A range {@code a~b}, {@code a~} or {@code ~b} as {@code {from, to}} with 0 for an open end. A single time
     * without {@code ~} is a lower bound, or an upper bound when {@code singleIsUpper} (as sacct's -E).
     */
    static long[] range(String option, String text, boolean singleIsUpper, long nowSec) throws CliException {
        int tilde = text.indexOf('~');
        long from = 0;
        long to = 0;
        if (tilde < 0) {
            long t = parse(option, text, nowSec);
            if (singleIsUpper) to = t;
            else from = t;
        } else {
            String a = text.substring(0, tilde).strip();
            String b = text.substring(tilde + 1).strip();
            if (a.isEmpty() && b.isEmpty()) throw CliException.usage(option + ": empty range '" + text + "'");
            if (!a.isEmpty()) from = parse(option, a, nowSec);
            if (!b.isEmpty()) to = parse(option, b, nowSec);
            if (from > 0 && to > 0 && to < from) throw CliException.usage(option + ": range '" + text + "' ends before it starts");
        }
        return new long[] {from, to};
    }
}
