package org.scow.itest.driver.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.scow.api.scheduler.SchedulerException;

/**
 * What the simulator reads from a batch script: its {@code #SBATCH} directives, how long it runs (the sum of its
 * {@code sleep N} commands, else the default job duration) and its exit status (the last command's: {@code exit N},
 * or 1 for {@code false}).
 *
 * @param directives  long option name (without dashes) to value, e.g. {@code account -> a1}
 * @param sleepMs     summed sleep time, or null when the script does not sleep
 * @param exitCode    exit status of the last command
 */
record Script(Map<String, String> directives, Long sleepMs, int exitCode) {
    static final String DIRECTIVE = "#SBATCH";

    private static final Map<String, String> SHORT_OPTIONS = Map.of(
            "A", "account", "p", "partition", "J", "job-name", "N", "nodes", "c", "cpus-per-task",
            "t", "time", "o", "output", "e", "error", "q", "qos", "D", "chdir");
    private static final Pattern SLEEP = Pattern.compile("sleep\\s+(\\d+(?:\\.\\d+)?)([smh]?)");
    private static final Pattern EXIT = Pattern.compile("exit(?:\\s+(\\d+))?");

    Script {
        directives = Map.copyOf(directives);
    }

    long durationMs(long defaultMs) {
        return sleepMs == null ? defaultMs : sleepMs;
    }

    static Script parse(String text) {
        Map<String, String> directives = new LinkedHashMap<>();
        List<String> commands = new ArrayList<>();
        for (String raw : text.split("\n")) {
            String line = raw.trim();
            if (line.startsWith(DIRECTIVE + " ")) {
                readDirective(line.substring(DIRECTIVE.length()).trim(), directives);
            } else if (!line.isEmpty() && !line.startsWith("#")) {
                for (String command : line.split(";|&&")) {
                    if (!command.isBlank()) {
                        commands.add(command.trim());
                    }
                }
            }
        }
        Long sleepMs = null;
        for (String command : commands) {
            Matcher m = SLEEP.matcher(command);
            if (m.matches()) {
                long unit = switch (m.group(2)) {
                    case "m" -> 60_000;
                    case "h" -> 3_600_000;
                    default -> 1_000;
                };
                sleepMs = (sleepMs == null ? 0 : sleepMs) + (long) (Double.parseDouble(m.group(1)) * unit);
            }
        }
        return new Script(directives, sleepMs, exitCode(commands.isEmpty() ? "" : commands.get(commands.size() - 1)));
    }

    private static int exitCode(String last) {
        if (last.equals("false")) {
            return 1;
        }
        Matcher m = EXIT.matcher(last);
        if (m.matches()) {
            return m.group(1) == null ? 0 : (int) Math.min(255, Long.parseLong(m.group(1)));
        }
        return 0;
    }

    private static void readDirective(String options, Map<String, String> into) {
        String[] tokens = options.split("\\s+");
        for (int i = 0; i < tokens.length; i++) {
            String t = tokens[i];
            String key;
            String value = null;
            if (t.startsWith("--")) {
                int eq = t.indexOf('=');
                key = eq < 0 ? t.substring(2) : t.substring(2, eq);
                value = eq < 0 ? null : t.substring(eq + 1);
            } else if (t.startsWith("-") && t.length() >= 2) {
                key = SHORT_OPTIONS.getOrDefault(t.substring(1, 2), t.substring(1, 2));
                value = t.length() > 2 ? t.substring(2) : null;
            } else {
                continue;
            }
            if (value == null) {
                boolean hasValue = i + 1 < tokens.length && !tokens[i + 1].startsWith("-");
                value = hasValue ? tokens[++i] : "true";
            }
            into.put(key, value);
        }
    }

    /** A Slurm-style time limit ({@code M}, {@code M:S}, {@code H:M:S}, {@code D-H[:M[:S]]}) in minutes, rounded up. */
    static long minutes(String value) throws SchedulerException {
        try {
            long days = 0;
            String rest = value;
            int dash = value.indexOf('-');
            if (dash >= 0) {
                days = Long.parseLong(value.substring(0, dash));
                rest = value.substring(dash + 1);
            }
            String[] parts = rest.split(":");
            long seconds;
            if (dash >= 0) {
                seconds = Long.parseLong(parts[0]) * 3600 + (parts.length > 1 ? Long.parseLong(parts[1]) * 60 : 0)
                        + (parts.length > 2 ? Long.parseLong(parts[2]) : 0);
            } else if (parts.length == 1) {
                seconds = Long.parseLong(parts[0]) * 60;
            } else if (parts.length == 2) {
                seconds = Long.parseLong(parts[0]) * 60 + Long.parseLong(parts[1]);
            } else if (parts.length == 3) {
                seconds = Long.parseLong(parts[0]) * 3600 + Long.parseLong(parts[1]) * 60 + Long.parseLong(parts[2]);
            } else {
                throw new NumberFormatException(value);
            }
            long minutes = days * 1440 + (seconds + 59) / 60;
            if (minutes < 1) {
                throw new NumberFormatException(value);
            }
            return minutes;
        } catch (NumberFormatException e) {
            throw SchedulerException.submitFailed("invalid time limit '" + value + "'");
        }
    }

    /** A memory size such as {@code 512}, {@code 512M} or {@code 4G}, in MiB. */
    static long megabytes(String value) throws SchedulerException {
        try {
            char unit = Character.toUpperCase(value.charAt(value.length() - 1));
            String digits = Character.isDigit(unit) ? value : value.substring(0, value.length() - 1);
            long n = Long.parseLong(digits);
            long mb = switch (unit) {
                case 'K' -> (n + 1023) / 1024;
                case 'G' -> n * 1024;
                case 'T' -> n * 1024 * 1024;
                case 'M' -> n;
                default -> {
                    if (!Character.isDigit(unit)) throw new NumberFormatException(value);
                    yield n;
                }
            };
            if (mb < 1) {
                throw new NumberFormatException(value);
            }
            return mb;
        } catch (RuntimeException e) {
            throw SchedulerException.submitFailed("invalid memory size '" + value + "'");
        }
    }

    /** GPUs per node from {@code --gres=gpu:N} or {@code gpu:type:N}; 0 for other resources. */
    static int gpus(String gres) throws SchedulerException {
        String[] parts = gres.split(":");
        if (!parts[0].equals("gpu")) {
            return 0;
        }
        try {
            return parts.length == 1 ? 1 : Integer.parseInt(parts[parts.length - 1]);
        } catch (NumberFormatException e) {
            throw SchedulerException.submitFailed("invalid gres '" + gres + "'");
        }
    }

}
