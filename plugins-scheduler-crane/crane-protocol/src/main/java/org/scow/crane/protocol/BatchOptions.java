package org.scow.crane.protocol;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.scow.crane.protocol.v1.JobRequest;

/**
 * Slurm/Crane batch options ({@code --partition=cpu}, {@code -N 2}, ...) applied to a {@link JobRequest}, and the
 * {@code #CBATCH}/{@code #SBATCH} directives of a script. Values are copied into request fields only, never into a
 * command line, so no option can inject anything; the controller validates every value.
 */
public final class BatchOptions {
    private BatchOptions() {
    }

    /** A malformed or unsupported option; {@link #option} names it. */
    public static final class BadOptionException extends Exception {
        private static final long serialVersionUID = 1L;
        private final String option;

        BadOptionException(String option, String message) {
            super(option + ": " + message);
            this.option = option;
        }

        /** The same refusal, said of the directive line it came from. */
        private BadOptionException(BadOptionException e, String directive, int line) {
            super("line " + line + ": " + directive.strip() + ": " + e.getMessage().substring(e.option.length() + 2));
            this.option = e.option;
        }

        public String option() {
            return option;
        }
    }

    /**
     * Applies the directives of {@code script}: lines starting with {@code #CBATCH} or {@code #SBATCH} before the
     * first command (as Slurm does, later directive lines are ordinary comments). Later directives win.
     */
    public static void applyDirectives(String script, JobRequest.Builder job) throws BadOptionException {
        applyDirectives(script, job, null);
    }

    /**
     * As {@link #applyDirectives(String, JobRequest.Builder)}; {@code written} (when not null) gets, per request field
     * (the controller's field names, e.g. {@code timeLimit}), the directive that set it, e.g.
     * {@code #CBATCH --time=abc (line 3)}, so that a refusal of the value can name what the user wrote. A bad
     * directive is refused with its line number and text.
     */
    public static void applyDirectives(String script, JobRequest.Builder job, Map<String, String> written)
            throws BadOptionException {
        String[] lines = script.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (i == 0 && line.startsWith("#!")) continue;
            if (line.startsWith("#CBATCH") || line.startsWith("#SBATCH")) {
                String directive = line.substring(0, 7);
                int lineNo = i + 1;
                try {
                    apply(tokens(line.substring(7)), job, written, (o, w) -> directive + " " + w + " (line " + lineNo + ")");
                } catch (BadOptionException e) {
                    throw new BadOptionException(e, line, lineNo);
                }
            } else if (!line.isEmpty() && !line.startsWith("#")) {
                return;
            }
        }
    }

    /** Applies options given as separate words, e.g. {@code ["--exclusive", "-N", "2", "--time=10"]}. */
    public static void apply(List<String> words, JobRequest.Builder job) throws BadOptionException {
        apply(words, job, null);
    }

    /**
     * As {@link #apply(List, JobRequest.Builder)}; {@code written} (when not null) gets, per request field, the option
     * name as the user wrote it ({@code -c}, {@code --time}).
     */
    public static void apply(List<String> words, JobRequest.Builder job, Map<String, String> written)
            throws BadOptionException {
        apply(words, job, written, (name, word) -> name);
    }

    /** How a recorded option is shown: from its name as written and the whole word(s) it came from. */
    private interface Label {
        String of(String name, String words);
    }

    private static void apply(List<String> words, JobRequest.Builder job, Map<String, String> written, Label label)
            throws BadOptionException {
        for (int i = 0; i < words.size(); i++) {
            String w = words.get(i);
            String name;
            String value = null;
            if (w.startsWith("--")) {
                int eq = w.indexOf('=');
                name = eq < 0 ? w : w.substring(0, eq);
                if (eq >= 0) value = w.substring(eq + 1);
            } else if (w.startsWith("-") && w.length() >= 2) {
                name = w.substring(0, 2);
                if (w.length() > 2) value = w.substring(2);
            } else {
                throw new BadOptionException(w, "not an option");
            }
            Option o = Option.find(name);
            if (o == null) throw new BadOptionException(name, "unknown or unsupported option");
            String asWritten = w;
            if (o.takesValue && value == null) {
                if (i + 1 >= words.size()) throw new BadOptionException(name, "needs a value");
                value = words.get(++i);
                asWritten = w + " " + value;
            } else if (!o.takesValue && value != null) {
                throw new BadOptionException(name, "takes no value");
            }
            // an empty value would read as "not given" on the wire and silently become the default
            if (o.takesValue && value.isBlank() && o != Option.COMMENT) {
                throw new BadOptionException(name, "needs a value, got an empty one");
            }
            set(o, name, value, job);
            if (written != null && o.field != null) written.put(o.field, label.of(name, asWritten));
        }
    }

    private static void set(Option o, String name, String v, JobRequest.Builder job) throws BadOptionException {
        switch (o) {
            case JOB_NAME -> job.setName(v);
            case ACCOUNT -> job.setAccount(v);
            case PARTITION -> job.setPartition(v);
            case QOS -> job.setQos(v);
            case NODES -> job.setNodes(count(name, v));
            case NTASKS -> job.setNtasks(count(name, v));
            case NTASKS_PER_NODE -> job.setNtasksPerNode(count(name, v));
            case CPUS_PER_TASK -> job.setCpusPerTask(count(name, v));
            case MEM -> job.setMem(v);
            case MEM_PER_CPU -> job.setMemPerCpu(v);
            case GRES -> job.setGres(v);
            case TIME -> job.setTimeLimit(v);
            case OUTPUT -> job.setStdout(v);
            case ERROR -> job.setStderr(v);
            case ARRAY -> job.setArray(v);
            case DEPENDENCY -> job.setDependency(v);
            case CHDIR -> job.setWorkDir(v.startsWith("/") || job.getWorkDir().isEmpty() ? v
                    : job.getWorkDir().replaceAll("/+$", "") + "/" + v);
            case HOLD -> job.setHold(true);
            case EXCLUSIVE -> job.setExclusive(true);
            case NODELIST -> job.setNodelist(v);
            case EXCLUDE -> job.setExclude(v);
            case COMMENT -> job.setComment(v);
            case REQUEUE -> job.setRequeue(true);
            case NO_REQUEUE -> job.setRequeue(false);
            case BEGIN -> job.setBeginTime(parseBegin(name, v, System.currentTimeMillis() / 1000, ZoneId.systemDefault()));
            case EXPORT -> export(name, v, job);
            case GPUS_PER_NODE -> job.setGres("gpu:" + v.strip());
            case MAIL_TYPE, MAIL_USER -> {
                // accepted so that Slurm scripts run unchanged; Crane sends no mail
            }
        }
    }

    private static final Pattern RELATIVE = Pattern.compile("now(?:\\+(\\d+)([a-z]*))?");

    /**
     * A begin time in Slurm's forms: {@code now[+N[seconds|minutes|hours|days|weeks]]} (default unit seconds),
     * {@code HH:MM[:SS]} (today, or tomorrow when that time has passed), {@code YYYY-MM-DD[THH:MM[:SS]]},
     * {@code midnight}, {@code noon}, {@code teatime} (16:00), {@code today}, {@code tomorrow}. Epoch seconds.
     */
    public static long parseBegin(String name, String v, long nowSec, ZoneId zone) throws BadOptionException {
        String s = v.strip().toLowerCase(Locale.ROOT);
        LocalDateTime now = LocalDateTime.ofInstant(Instant.ofEpochSecond(nowSec), zone);
        Matcher m = RELATIVE.matcher(s);
        if (m.matches()) {
            if (m.group(1) == null) return nowSec;
            long n;
            try {
                n = Long.parseLong(m.group(1));
            } catch (NumberFormatException e) {
                throw new BadOptionException(name, "'" + v + "' is out of range");
            }
            long unit = switch (m.group(2)) {
                case "", "s", "sec", "secs", "second", "seconds" -> 1;
                case "m", "min", "mins", "minute", "minutes" -> 60;
                case "h", "hour", "hours" -> 3600;
                case "d", "day", "days" -> 86400;
                case "w", "week", "weeks" -> 7 * 86400;
                default -> throw new BadOptionException(name, "unknown time unit '" + m.group(2) + "' in '" + v + "'");
            };
            if (n > Long.MAX_VALUE / unit / 2) throw new BadOptionException(name, "'" + v + "' is out of range");
            return nowSec + n * unit;
        }
        LocalDateTime t;
        try {
            t = switch (s) {
                case "today" -> now.toLocalDate().atStartOfDay();
                case "tomorrow" -> now.toLocalDate().plusDays(1).atStartOfDay();
                case "midnight" -> next(now, LocalTime.MIDNIGHT);
                case "noon" -> next(now, LocalTime.NOON);
                case "teatime" -> next(now, LocalTime.of(16, 0));
                default -> {
                    if (s.matches("\\d{1,2}:\\d{2}(:\\d{2})?")) {
                        yield next(now, LocalTime.parse(s.indexOf(':') == 1 ? "0" + s : s));
                    }
                    if (s.matches("\\d{4}-\\d{2}-\\d{2}")) {
                        yield LocalDate.parse(s).atStartOfDay();
                    }
                    if (s.matches("\\d{4}-\\d{2}-\\d{2}t\\d{2}:\\d{2}(:\\d{2})?")) {
                        yield LocalDateTime.parse(s.toUpperCase(Locale.ROOT));
                    }
                    throw new BadOptionException(name, "'" + v + "' is not a time (now+1hour, HH:MM[:SS], "
                            + "YYYY-MM-DD[THH:MM[:SS]], midnight, noon, tomorrow)");
                }
            };
        } catch (DateTimeParseException e) {
            throw new BadOptionException(name, "'" + v + "' is not a valid date or time");
        }
        return t.atZone(zone).toEpochSecond();
    }

    private static LocalDateTime next(LocalDateTime now, LocalTime at) {
        LocalDateTime t = now.toLocalDate().atTime(at);
        return t.isAfter(now) ? t : t.plusDays(1);
    }

    /**
     * {@code --export}: Slurm's forms on the job's environment, which the caller filled with the submission
     * environment. {@code ALL} keeps it, {@code NONE} empties it, {@code A,B=x} keeps only {@code A} and sets
     * {@code B}; {@code ALL,B=x} keeps everything and sets {@code B}. Names are checked by the controller.
     */
    private static void export(String name, String v, JobRequest.Builder job) throws BadOptionException {
        Map<String, String> env = new HashMap<>(job.getEnvMap());
        Map<String, String> out = new HashMap<>();
        boolean all = false;
        for (String item : v.split(",")) {
            String it = item.strip();
            if (it.isEmpty()) throw new BadOptionException(name, "empty item in '" + v + "'");
            int eq = it.indexOf('=');
            if (it.equals("ALL")) {
                all = true;
            } else if (it.equals("NONE")) {
                continue;
            } else if (eq > 0) {
                out.put(it.substring(0, eq), it.substring(eq + 1));
            } else if (eq == 0) {
                throw new BadOptionException(name, "'" + it + "' has no variable name");
            } else if (env.containsKey(it)) {
                out.put(it, env.get(it));
            }
        }
        if (all) {
            env.putAll(out);
            out = env;
        }
        job.clearEnv().putAllEnv(out);
    }

    /** Counts are parsed here only to fit the protocol's integer field; range checks stay in the controller. */
    private static int count(String name, String v) throws BadOptionException {
        try {
            return Integer.parseInt(v.strip());
        } catch (NumberFormatException e) {
            throw new BadOptionException(name, "'" + v + "' is not a number");
        }
    }

    /** Splits a directive's text into words; double or single quotes group words, as a user would expect. */
    static List<String> tokens(String text) throws BadOptionException {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        char quote = 0;
        boolean inWord = false;
        for (char c : text.toCharArray()) {
            if (quote != 0) {
                if (c == quote) quote = 0;
                else cur.append(c);
            } else if (c == '"' || c == '\'') {
                quote = c;
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) out.add(cur.toString());
                cur.setLength(0);
                inWord = false;
            } else if (c == '#' && !inWord) {
                break; // a trailing comment
            } else {
                cur.append(c);
                inWord = true;
            }
        }
        if (quote != 0) throw new BadOptionException(text.strip(), "unbalanced quote");
        if (inWord) out.add(cur.toString());
        return out;
    }

    private enum Option {
        JOB_NAME("-J", "--job-name", true, "name"), ACCOUNT("-A", "--account", true, "account"),
        PARTITION("-p", "--partition", true, "partition"), QOS("-q", "--qos", true, "qos"),
        NODES("-N", "--nodes", true, "nodes"), NTASKS("-n", "--ntasks", true, "ntasks"),
        NTASKS_PER_NODE(null, "--ntasks-per-node", true, "ntasksPerNode"),
        CPUS_PER_TASK("-c", "--cpus-per-task", true, "cpusPerTask"), MEM(null, "--mem", true, "mem"),
        MEM_PER_CPU(null, "--mem-per-cpu", true, "memPerCpu"), GRES(null, "--gres", true, "gres"),
        TIME("-t", "--time", true, "timeLimit"), OUTPUT("-o", "--output", true, "stdout"),
        ERROR("-e", "--error", true, "stderr"), ARRAY("-a", "--array", true, "array"),
        DEPENDENCY("-d", "--dependency", true, "dependency"), CHDIR("-D", "--chdir", true, "workDir"),
        HOLD("-H", "--hold", false, null), EXCLUSIVE(null, "--exclusive", false, null),
        NODELIST("-w", "--nodelist", true, "nodelist"), EXCLUDE("-x", "--exclude", true, "exclude"),
        COMMENT(null, "--comment", true, "comment"), REQUEUE(null, "--requeue", false, null),
        NO_REQUEUE(null, "--no-requeue", false, null), BEGIN("-b", "--begin", true, "beginTime"),
        EXPORT(null, "--export", true, "env"), GPUS_PER_NODE(null, "--gpus-per-node", true, "gres"),
        MAIL_TYPE(null, "--mail-type", true, null), MAIL_USER(null, "--mail-user", true, null);

        final String shortName;
        final String longName;
        final boolean takesValue;
        /** The request field the controller names when it refuses the value (its {@code crane-field}). */
        final String field;

        Option(String shortName, String longName, boolean takesValue, String field) {
            this.shortName = shortName;
            this.longName = longName;
            this.takesValue = takesValue;
            this.field = field;
        }

        static Option find(String name) {
            for (Option o : values()) {
                if (name.equals(o.longName) || name.equals(o.shortName)) return o;
            }
            return null;
        }
    }
}
