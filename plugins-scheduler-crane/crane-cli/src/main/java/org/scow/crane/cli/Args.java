package org.scow.crane.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The command-line parser of the commands, in the manner of getopt_long: {@code -x VALUE}, {@code -xVALUE},
 * {@code --long VALUE}, {@code --long=VALUE}, clustered short flags ({@code -NF}), {@code --} ends the options, and
 * options may follow positional words (unless the command stops at its first positional word, as cbatch).
 *
 * <p>It replaces picocli because start-up time is what a command line pays on every call: picocli's classes are
 * Java 5 bytecode, which class-data sharing cannot archive, and its annotation model costs 100-200 ms per run.
 * This parser is a table lookup with no reflection, so its few classes come from the AppCDS archive.
 */
final class Args {
    /** One option: its short name ({@code -J}, may be null), long name ({@code --job-name}) and help. */
    record Opt(String shortName, String longName, String label, String help) {
        boolean takesValue() {
            return label != null;
        }

        String names() {
            return (shortName == null ? "    " : shortName + ", ") + longName + (label == null ? "" : "=" + label);
        }
    }

    /** A flag ({@code names} is {@code "-H, --hold"} or {@code "--exclusive"}). */
    static Opt flag(String names, String help) {
        return opt(names, null, help);
    }

    /** An option with a value shown as {@code label} in the help. */
    static Opt value(String names, String label, String help) {
        return opt(names, label, help);
    }

    private static Opt opt(String names, String label, String help) {
        String shortName = null;
        String longName = names;
        int comma = names.indexOf(", ");
        if (comma >= 0) {
            shortName = names.substring(0, comma);
            longName = names.substring(comma + 2);
        }
        if (!longName.startsWith("--") || shortName != null && (shortName.length() != 2 || shortName.charAt(0) != '-')) {
            throw new IllegalArgumentException("bad option names '" + names + "'");
        }
        return new Opt(shortName, longName, label, help == null ? "" : help);
    }

    /** The options every command has. */
    static final List<Opt> COMMON = List.of(
            value("-C, --config", "FILE", "Configuration file (default: $CRANE_CONF, else /etc/crane/crane.conf)"),
            flag("-h, --help", "Show this help and exit"),
            flag("-v, --version", "Show the version and exit"));

    private final String prog;
    private final Map<String, Opt> byName = new HashMap<>();
    /** Values by long name; a flag has one empty string per occurrence. */
    private final Map<String, List<String>> values = new HashMap<>();
    private final List<String> positionals = new ArrayList<>();
    /** How the user spelled each option (long name -> {@code -c} or {@code --cpus-per-task}), last occurrence. */
    private final Map<String, String> spelled = new HashMap<>();

    private Args(String prog, List<Opt> options) {
        this.prog = prog;
        for (Opt o : options) {
            if (o.shortName != null) byName.put(o.shortName, o);
            byName.put(o.longName, o);
        }
    }

    /**
     * Parses {@code argv} against {@code options}. With {@code stopAtPositional}, every word from the first
     * positional one on is positional (cbatch SCRIPT ARGS...).
     */
    static Args parse(String prog, List<Opt> options, String[] argv, boolean stopAtPositional) throws CliException {
        Args a = new Args(prog, options);
        boolean optionsEnded = false;
        for (int i = 0; i < argv.length; i++) {
            String w = argv[i];
            if (optionsEnded || w.length() < 2 || w.charAt(0) != '-') {
                a.positionals.add(w);
                if (stopAtPositional) optionsEnded = true;
                continue;
            }
            if (w.equals("--")) {
                optionsEnded = true;
                continue;
            }
            if (w.startsWith("--")) {
                int eq = w.indexOf('=');
                String name = eq < 0 ? w : w.substring(0, eq);
                Opt o = a.known(name);
                a.spelled.put(o.longName, o.longName);
                if (!o.takesValue()) {
                    if (eq >= 0) throw CliException.usage("option '" + o.longName + "' takes no value");
                    a.put(o, "");
                } else if (eq >= 0) {
                    a.put(o, w.substring(eq + 1));
                } else {
                    if (i + 1 >= argv.length) throw a.missing(o);
                    a.put(o, argv[++i]);
                }
                continue;
            }
            // -x, -xVALUE, -xyz (flags x, y, z), -xyVALUE (flag x, option y with VALUE)
            for (int k = 1; k < w.length(); k++) {
                Opt o = a.known("-" + w.charAt(k));
                a.spelled.put(o.longName, o.shortName);
                if (!o.takesValue()) {
                    a.put(o, "");
                    continue;
                }
                if (k + 1 < w.length()) {
                    a.put(o, w.substring(k + 1));
                } else {
                    if (i + 1 >= argv.length) throw a.missing(o);
                    a.put(o, argv[++i]);
                }
                break;
            }
        }
        return a;
    }

    private Opt known(String name) throws CliException {
        Opt o = byName.get(name);
        if (o == null) throw CliException.usage("unknown option '" + name + "'");
        return o;
    }

    private CliException missing(Opt o) {
        return CliException.usage("option '" + o.longName + "'" + (o.shortName == null ? "" : " (" + o.shortName + ")")
                + " needs a value (" + o.label + ")");
    }

    private void put(Opt o, String v) {
        values.computeIfAbsent(o.longName, k -> new ArrayList<>(1)).add(v);
    }

    private Opt declared(String longName) {
        Opt o = byName.get(longName);
        // a typo in a command's own code, not a user error
        if (o == null) throw new IllegalStateException(prog + ": option " + longName + " is not declared");
        return o;
    }

    /** Whether the flag was given. */
    boolean flag(String longName) {
        declared(longName);
        return values.containsKey(longName);
    }

    /** The option's value (the last one when repeated), or null. */
    String string(String longName) {
        declared(longName);
        List<String> v = values.get(longName);
        return v == null ? null : v.get(v.size() - 1);
    }

    /** Every value of a repeatable option, each split on commas (empty items dropped), or null when not given. */
    List<String> list(String longName) {
        declared(longName);
        List<String> v = values.get(longName);
        if (v == null) return null;
        List<String> out = new ArrayList<>();
        for (String s : v) {
            for (String item : s.split(",")) if (!item.isEmpty()) out.add(item);
        }
        return out;
    }

    /** An integer option, or {@code dflt} when not given. */
    Integer integer(String longName, Integer dflt) throws CliException {
        String s = string(longName);
        if (s == null) return dflt;
        try {
            return Integer.valueOf(s.strip());
        } catch (NumberFormatException e) {
            throw CliException.usage("option '" + spelling(longName) + "': '" + s + "' is not a number");
        }
    }

    /** The option as the user wrote it ({@code -c} or {@code --cpus-per-task}); the long name when not given. */
    String spelling(String longName) {
        declared(longName);
        return spelled.getOrDefault(longName, longName);
    }

    /** The positional words, in order. */
    List<String> positionals() {
        return positionals;
    }

    /**
     * The help text: {@code Usage: prog SYNOPSIS}, the description lines, then one line per option, the common
     * ones last.
     */
    static String help(String prog, String synopsis, List<String> description, List<Opt> options) {
        StringBuilder sb = new StringBuilder("Usage: ").append(prog).append(' ').append(synopsis).append('\n');
        for (String d : description) sb.append(d).append('\n');
        int width = 0;
        for (Opt o : options) width = Math.max(width, o.names().length());
        for (Opt o : options) {
            String n = o.names();
            sb.append("  ").append(n);
            if (!o.help.isEmpty()) sb.append(" ".repeat(width - n.length() + 2)).append(o.help);
            sb.append('\n');
        }
        return sb.toString();
    }
}
