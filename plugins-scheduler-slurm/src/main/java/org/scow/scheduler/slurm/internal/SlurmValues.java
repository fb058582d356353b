package org.scow.scheduler.slurm.internal;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Parsers for the value notations of Slurm's command output: times, durations, memory sizes, TRES lists and exit
 * codes. Every parser maps Slurm's words for "nothing" (Unknown, None, N/A, ...) to null instead of failing, because
 * those words are ordinary output for jobs that have not started or ended.
 */
public final class SlurmValues {
    private static final Set<String> NOTHING = Set.of("", "unknown", "none", "n/a", "(null)", "not_set",
            "none assigned", "invalid");
    private static final Set<String> NO_LIMIT = Set.of("unlimited", "infinite", "partition_limit");

    private static final DateTimeFormatter SACCT_TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss");

    private SlurmValues() {
    }

    /** Null for Slurm's words for "no value", else the trimmed text. */
    public static String text(String raw) {
        if (raw == null) {
            return null;
        }
        String s = raw.strip();
        return NOTHING.contains(s.toLowerCase(Locale.ROOT)) ? null : s;
    }

    /**
     * A timestamp such as {@code 2024-05-01T12:00:00}. The driver runs every command with {@code TZ=UTC}, so Slurm
     * prints UTC wall-clock times.
     */
    public static Instant time(String raw) {
        String s = text(raw);
        if (s == null) {
            return null;
        }
        try {
            return LocalDateTime.parse(s).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** Formats an instant the way sacct's -S/-E options read it (UTC, as the commands run with TZ=UTC). */
    public static String formatTime(Instant t) {
        return SACCT_TIME.format(LocalDateTime.ofInstant(t, ZoneOffset.UTC));
    }

    /**
     * A duration in Slurm notation, {@code [days-]hours:minutes:seconds}, {@code minutes:seconds} or plain minutes
     * ({@code TimelimitRaw}); null for unlimited or unknown.
     */
    public static Long seconds(String raw) {
        String s = text(raw);
        if (s == null || NO_LIMIT.contains(s.toLowerCase(Locale.ROOT))) {
            return null;
        }
        try {
            long days = 0;
            int dash = s.indexOf('-');
            if (dash >= 0) {
                days = Long.parseLong(s.substring(0, dash));
                s = s.substring(dash + 1);
            }
            String[] p = s.split(":");
            long secs = switch (p.length) {
                // "D-HH" is hours after a day count, a bare number is minutes (TimelimitRaw, scontrol input)
                case 1 -> dash >= 0 ? Long.parseLong(p[0]) * 3600 : Long.parseLong(p[0]) * 60;
                case 2 -> dash >= 0 ? Long.parseLong(p[0]) * 3600 + Long.parseLong(p[1]) * 60
                        : Long.parseLong(p[0]) * 60 + Long.parseLong(p[1]);
                case 3 -> Long.parseLong(p[0]) * 3600 + Long.parseLong(p[1]) * 60 + parseSeconds(p[2]);
                default -> throw new NumberFormatException(s);
            };
            return days * 86400 + secs;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** A duration in whole minutes (rounded up, as Slurm rounds time limits), or null. */
    public static Long minutes(String raw) {
        Long s = seconds(raw);
        return s == null ? null : (s + 59) / 60;
    }

    /**
     * A memory size in MiB: {@code 600M}, {@code 4G}, {@code 1.50T}, {@code 100} (MiB), optionally with the old
     * per-CPU/per-node markers {@code c}/{@code n}, which callers that care must strip first.
     */
    public static Long memoryMb(String raw) {
        String s = text(raw);
        if (s == null) {
            return null;
        }
        if (s.endsWith("c") || s.endsWith("n")) {
            s = s.substring(0, s.length() - 1);
        }
        char unit = Character.toUpperCase(s.charAt(s.length() - 1));
        int shift = switch (unit) {
            case 'K' -> -10;
            case 'M' -> 0;
            case 'G' -> 10;
            case 'T' -> 20;
            case 'P' -> 30;
            default -> Integer.MIN_VALUE;
        };
        String number = shift == Integer.MIN_VALUE ? s : s.substring(0, s.length() - 1);
        try {
            BigDecimal mb = new BigDecimal(number);
            if (shift != Integer.MIN_VALUE) {
                mb = shift >= 0 ? mb.multiply(BigDecimal.valueOf(1L << shift))
                        : mb.divide(BigDecimal.valueOf(1L << -shift));
            }
            return mb.setScale(0, java.math.RoundingMode.CEILING).longValueExact();
        } catch (NumberFormatException | ArithmeticException e) {
            return null;
        }
    }

    /** A TRES list such as {@code cpu=4,mem=600M,node=2,billing=4,gres/gpu=2}; empty for none. */
    public static Map<String, String> tres(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        String s = text(raw);
        if (s == null) {
            return out;
        }
        for (String item : s.split(",")) {
            int eq = item.indexOf('=');
            if (eq > 0) {
                out.put(item.substring(0, eq).strip(), item.substring(eq + 1).strip());
            }
        }
        return out;
    }

    /** GPUs in a TRES list: the untyped {@code gres/gpu} count, which Slurm keeps as the sum of typed ones. */
    public static Integer tresGpus(Map<String, String> tres) {
        return integer(tres.get("gres/gpu"));
    }

    public static Integer tresCpus(Map<String, String> tres) {
        return integer(tres.get("cpu"));
    }

    public static Integer tresNodes(Map<String, String> tres) {
        return integer(tres.get("node"));
    }

    public static Long tresMemoryMb(Map<String, String> tres) {
        return memoryMb(tres.get("mem"));
    }

    /**
     * GPUs in a GRES request such as {@code gres:gpu:2}, {@code gres/gpu:a100:2} or {@code gpu:2} (squeue's
     * tres-per-node); null when it names no GPUs.
     */
    public static Integer gresGpus(String raw) {
        String s = text(raw);
        if (s == null) {
            return null;
        }
        int total = 0;
        boolean any = false;
        for (String item : s.split(",")) {
            String[] p = item.replace("gres/", "gres:").split(":");
            int i = p.length > 0 && p[0].equals("gres") ? 1 : 0;
            if (p.length > i && p[i].equals("gpu")) {
                any = true;
                Integer n = p.length > i + 1 ? integer(p[p.length - 1].replaceAll("\\(.*\\)$", "")) : null;
                total += n == null ? 1 : n;
            }
        }
        return any ? total : null;
    }

    /**
     * Slurm's {@code status:signal} exit code as one number: the status, or 128 + n when signal n ended the job
     * (the shell convention).
     */
    public static Integer exitCode(String raw) {
        String s = text(raw);
        if (s == null) {
            return null;
        }
        String[] p = s.split(":");
        Integer status = integer(p[0]);
        Integer signal = p.length > 1 ? integer(p[1]) : Integer.valueOf(0);
        if (status == null || signal == null) {
            return null;
        }
        return signal > 0 ? 128 + signal : status;
    }

    public static Integer integer(String raw) {
        String s = text(raw);
        if (s == null) {
            return null;
        }
        try {
            return Integer.valueOf(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    public static Long longValue(String raw) {
        String s = text(raw);
        if (s == null) {
            return null;
        }
        try {
            return Long.valueOf(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static long parseSeconds(String s) {
        int dot = s.indexOf('.');
        return Long.parseLong(dot < 0 ? s : s.substring(0, dot));
    }
}
