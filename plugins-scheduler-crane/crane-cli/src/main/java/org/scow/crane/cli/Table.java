package org.scow.crane.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Columns of text output and the {@code -o/--format} languages:
 * <ul>
 *   <li>{@code %[.][width]<key>} with literal text in between, as in squeue/cqueue ({@code "%.10j %P %20n"}):
 *       {@code .} right-aligns, a width pads and truncates (unless {@code -F/--full}); without a width the column
 *       is as wide as its widest value; {@code %%} is a percent sign;</li>
 *   <li>a comma-separated list of field names with optional {@code %width}, as in sacct
 *       ({@code "JobID,JobName%30,State"}); names are case-insensitive.</li>
 * </ul>
 */
final class Table<T> {
    /** A printable field: its name for name lists, its column header and how to get its text. */
    record Field<T>(String name, String header, Function<T, String> value) {
    }

    private record Col<T>(String before, Field<T> field, int width, boolean right) {
    }

    private final List<Col<T>> cols;
    private final String after;
    private final boolean nameList;

    private Table(List<Col<T>> cols, String after, boolean nameList) {
        this.cols = cols;
        this.after = after;
        this.nameList = nameList;
    }

    /** A set of fields known by format letters (any length, e.g. {@code j} or {@code deadline}) and by name. */
    static final class Fields<T> {
        final Map<String, Field<T>> byKey = new LinkedHashMap<>();
        final Map<String, Field<T>> byName = new LinkedHashMap<>();

        Fields<T> add(String keys, String name, String header, Function<T, String> value) {
            Field<T> f = new Field<>(name, header, value);
            if (keys != null) for (String k : keys.split(",")) byKey.put(k, f);
            byName.put(name.toLowerCase(Locale.ROOT), f);
            return this;
        }

        /** A copy where {@code keys} point at other fields (the Slurm letters of the s* commands). */
        Fields<T> withKeys(Map<String, String> keyToName) {
            Fields<T> f = new Fields<>();
            f.byName.putAll(byName);
            keyToName.forEach((k, n) -> f.byKey.put(k, byName.get(n.toLowerCase(Locale.ROOT))));
            return f;
        }

        String names() {
            return String.join(",", byName.values().stream().map(Field::name).toList());
        }
    }

    static <T> Table<T> parse(String option, String format, Fields<T> fields) throws CliException {
        if (format.matches("\\s*[A-Za-z][A-Za-z0-9_]*(%\\d+)?(\\s*,\\s*[A-Za-z][A-Za-z0-9_]*(%\\d+)?)*\\s*")) {
            List<Col<T>> cols = new ArrayList<>();
            for (String item : format.split(",")) {
                String it = item.strip();
                int pct = it.indexOf('%');
                String name = pct < 0 ? it : it.substring(0, pct);
                Field<T> f = fields.byName.get(name.toLowerCase(Locale.ROOT));
                if (f == null) {
                    throw CliException.usage(option + ": unknown field '" + name + "' (fields: " + fields.names() + ")");
                }
                cols.add(new Col<>(cols.isEmpty() ? "" : " ", f, pct < 0 ? 0 : width(option, it.substring(pct + 1)), false));
            }
            return new Table<>(cols, "", true);
        }
        List<String> keys = new ArrayList<>(fields.byKey.keySet());
        keys.sort(Comparator.comparingInt(String::length).reversed());
        List<Col<T>> cols = new ArrayList<>();
        StringBuilder lit = new StringBuilder();
        int i = 0;
        while (i < format.length()) {
            char c = format.charAt(i);
            if (c != '%') {
                lit.append(c);
                i++;
                continue;
            }
            if (i + 1 < format.length() && format.charAt(i + 1) == '%') {
                lit.append('%');
                i += 2;
                continue;
            }
            int j = i + 1;
            boolean right = j < format.length() && format.charAt(j) == '.';
            if (right) j++;
            int ws = j;
            while (j < format.length() && Character.isDigit(format.charAt(j))) j++;
            int width = j > ws ? width(option, format.substring(ws, j)) : 0;
            String key = null;
            for (String k : keys) {
                if (format.startsWith(k, j)) {
                    key = k;
                    break;
                }
            }
            if (key == null) {
                String bad = j < format.length() ? format.substring(j, j + 1) : "";
                throw CliException.usage(option + ": unknown format field '%" + bad + "' in '" + format + "' (known: %"
                        + String.join(" %", fields.byKey.keySet()) + ")");
            }
            cols.add(new Col<>(lit.toString(), fields.byKey.get(key), width, right));
            lit.setLength(0);
            i = j + key.length();
        }
        if (cols.isEmpty()) throw CliException.usage(option + ": the format '" + format + "' has no field");
        return new Table<>(cols, lit.toString(), false);
    }

    private static int width(String option, String digits) throws CliException {
        try {
            int w = Integer.parseInt(digits);
            if (w <= 1000) return w;
        } catch (NumberFormatException e) {
            // below
        }
        throw CliException.usage(option + ": width '" + digits + "' is too large");
    }

    /**
     * Prints the rows: a header line unless {@code noHeader}; {@code full} disables truncation; {@code parsable}
     * joins the values with {@code |} and no padding (the header with field names).
     */
    void print(List<T> rows, PrintStream out, boolean noHeader, boolean full, boolean parsable) {
        List<String[]> cells = new ArrayList<>(rows.size());
        for (T row : rows) {
            String[] r = new String[cols.size()];
            for (int c = 0; c < r.length; c++) {
                String v = cols.get(c).field.value.apply(row);
                r[c] = v == null || v.isEmpty() ? (parsable ? "" : "-") : v;
            }
            cells.add(r);
        }
        if (parsable) {
            if (!noHeader) out.println(String.join("|", cols.stream().map(c -> nameList ? c.field.name : c.field.header).toList()));
            for (String[] r : cells) out.println(String.join("|", r));
            return;
        }
        int[] w = new int[cols.size()];
        for (int c = 0; c < w.length; c++) {
            Col<T> col = cols.get(c);
            if (col.width > 0) {
                w[c] = col.width;
                continue;
            }
            w[c] = noHeader ? 0 : col.field.header.length();
            for (String[] r : cells) w[c] = Math.max(w[c], r[c].length());
        }
        StringBuilder sb = new StringBuilder();
        if (!noHeader) {
            String[] h = new String[cols.size()];
            for (int c = 0; c < h.length; c++) h[c] = cols.get(c).field.header;
            out.println(line(sb, h, w, full));
        }
        for (String[] r : cells) out.println(line(sb, r, w, full));
    }

    private String line(StringBuilder sb, String[] values, int[] w, boolean full) {
        sb.setLength(0);
        for (int c = 0; c < values.length; c++) {
            Col<T> col = cols.get(c);
            sb.append(col.before);
            String v = values[c];
            if (v.length() > w[c] && !full) v = v.substring(0, w[c]);
            int pad = Math.max(0, w[c] - v.length());
            if (col.right) sb.append(" ".repeat(pad)).append(v);
            else sb.append(v).append(" ".repeat(pad));
        }
        sb.append(after);
        int end = sb.length();
        while (end > 0 && sb.charAt(end - 1) == ' ') end--;
        return sb.substring(0, end);
    }
}
