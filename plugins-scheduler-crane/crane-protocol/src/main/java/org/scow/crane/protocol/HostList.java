package org.scow.crane.protocol;

import java.util.ArrayList;
import java.util.List;

/**
 * Expands and compresses host lists such as {@code cn[001-004,010],gpu1}: shared by the controller, the node side
 * and the commands (which must not need the controller core for it).
 */
public final class HostList {
    /** A malformed host list; the message is {@code <field>: <reason>}, as the controller reports it. */
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

    private static final int MAX_EXPANSION = 1_000_000;

    private HostList() {
    }

    public static List<String> expand(String field, String spec) {
        List<String> out = new ArrayList<>();
        if (spec == null || spec.isBlank()) return out;
        int depth = 0;
        int start = 0;
        for (int i = 0; i <= spec.length(); i++) {
            char c = i < spec.length() ? spec.charAt(i) : ',';
            if (c == '[') depth++;
            else if (c == ']') depth--;
            if (depth < 0 || depth > 1) throw new Invalid(field, "unbalanced brackets in '" + spec + "'");
            if (c == ',' && depth == 0) {
                expandOne(field, spec.substring(start, i).trim(), out);
                start = i + 1;
            }
        }
        if (depth != 0) throw new Invalid(field, "unbalanced brackets in '" + spec + "'");
        return out;
    }

    private static void expandOne(String field, String part, List<String> out) {
        if (part.isEmpty()) throw new Invalid(field, "empty host name");
        int lb = part.indexOf('[');
        if (lb < 0) {
            checkName(field, part);
            out.add(part);
            return;
        }
        int rb = part.indexOf(']', lb);
        String prefix = part.substring(0, lb);
        String suffix = part.substring(rb + 1);
        for (String r : part.substring(lb + 1, rb).split(",")) {
            r = r.trim();
            int dash = r.indexOf('-');
            String a = dash < 0 ? r : r.substring(0, dash);
            String z = dash < 0 ? r : r.substring(dash + 1);
            if (!a.matches("\\d{1,9}") || !z.matches("\\d{1,9}")) {
                throw new Invalid(field, "bad range '" + r + "' in '" + part + "'");
            }
            int lo = Integer.parseInt(a);
            int hi = Integer.parseInt(z);
            if (hi < lo) throw new Invalid(field, "descending range '" + r + "'");
            if ((long) out.size() + (hi - lo + 1) > MAX_EXPANSION) throw new Invalid(field, "too many hosts");
            int width = a.length();
            for (int v = lo; v <= hi; v++) {
                String num = Integer.toString(v);
                StringBuilder sb = new StringBuilder(prefix);
                for (int k = num.length(); k < width; k++) sb.append('0');
                String name = sb.append(num).append(suffix).toString();
                checkName(field, name);
                out.add(name);
            }
        }
    }

    private static void checkName(String field, String name) {
        if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}")) throw new Invalid(field, "bad host name '" + name + "'");
    }

    /** Compresses names that share a prefix and numeric suffix width into ranges, keeping the given order. */
    public static String compress(List<String> names) {
        StringBuilder sb = new StringBuilder();
        int i = 0;
        while (i < names.size()) {
            String n = names.get(i);
            int d = n.length();
            while (d > 0 && Character.isDigit(n.charAt(d - 1))) d--;
            if (d == n.length()) {
                if (sb.length() > 0) sb.append(',');
                sb.append(n);
                i++;
                continue;
            }
            String prefix = n.substring(0, d);
            int width = n.length() - d;
            List<long[]> ranges = new ArrayList<>();
            int j = i;
            while (j < names.size()) {
                String m = names.get(j);
                if (!m.startsWith(prefix) || m.length() != prefix.length() + width) break;
                String tail = m.substring(prefix.length());
                if (!tail.chars().allMatch(Character::isDigit) || tail.length() > 18) break;
                long v = Long.parseLong(tail);
                if (!ranges.isEmpty() && ranges.get(ranges.size() - 1)[1] + 1 == v) ranges.get(ranges.size() - 1)[1] = v;
                else ranges.add(new long[] {v, v});
                j++;
            }
            if (sb.length() > 0) sb.append(',');
            if (j - i == 1) {
                sb.append(n);
            } else {
                sb.append(prefix).append('[');
                for (int k = 0; k < ranges.size(); k++) {
                    if (k > 0) sb.append(',');
                    long[] r = ranges.get(k);
                    sb.append(pad(r[0], width));
                    if (r[1] != r[0]) sb.append('-').append(pad(r[1], width));
                }
                sb.append(']');
            }
            i = j;
        }
        return sb.toString();
    }

    private static String pad(long v, int width) {
        String s = Long.toString(v);
        StringBuilder sb = new StringBuilder();
        for (int k = s.length(); k < width; k++) sb.append('0');
        return sb.append(s).toString();
    }
}
