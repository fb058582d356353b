package org.scow.crane.ctld.model;

import java.util.Arrays;
import java.util.TreeSet;
import org.scow.crane.ctld.CtldException;

/**
 * A job array: {@code 1-100:2%10}, {@code 0,3,7-9}, {@code 5}. Indices are sorted and unique; {@code maxConcurrent}
 * is 0 for unlimited.
 */
public record ArraySpec(String spec, int[] indices, int maxConcurrent) {
    /** Largest array index accepted (as Slurm's MaxArraySize-1 default order of magnitude). */
    public static final int MAX_INDEX = 4_000_000;

    public static ArraySpec parse(String field, String spec, int maxTasks) {
        if (spec == null || spec.isBlank()) throw CtldException.invalid(field, "empty array spec");
        String s = spec.trim();
        int max = 0;
        int pct = s.indexOf('%');
        if (pct >= 0) {
            String m = s.substring(pct + 1);
            if (!m.matches("\\d{1,7}") || Integer.parseInt(m) < 1) {
                throw CtldException.invalid(field, "bad %max in '" + spec + "' (a positive number)");
            }
            max = Integer.parseInt(m);
            s = s.substring(0, pct);
        }
        TreeSet<Integer> set = new TreeSet<>();
        for (String part : s.split(",", -1)) {
            if (!part.matches("\\d{1,9}(-\\d{1,9}(:\\d{1,9})?)?")) {
                throw CtldException.invalid(field, "malformed array spec '" + spec + "' (use start[-end[:step]][,..][%max])");
            }
            int colon = part.indexOf(':');
            int step = colon < 0 ? 1 : Integer.parseInt(part.substring(colon + 1));
            String range = colon < 0 ? part : part.substring(0, colon);
            int dash = range.indexOf('-');
            long lo = Long.parseLong(dash < 0 ? range : range.substring(0, dash));
            long hi = dash < 0 ? lo : Long.parseLong(range.substring(dash + 1));
            if (step < 1) throw CtldException.invalid(field, "array step must be at least 1 in '" + spec + "'");
            if (hi < lo) throw CtldException.invalid(field, "array range end before start in '" + spec + "'");
            if (hi > MAX_INDEX) throw CtldException.invalid(field, "array index above " + MAX_INDEX + " in '" + spec + "'");
            if ((hi - lo) / step + 1 + set.size() > maxTasks) {
                throw CtldException.invalid(field, "array has more than " + maxTasks + " tasks: '" + spec + "'");
            }
            for (long v = lo; v <= hi; v += step) set.add((int) v);
        }
        int[] idx = set.stream().mapToInt(Integer::intValue).toArray();
        return new ArraySpec(spec.trim(), idx, max);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ArraySpec a && a.spec.equals(spec) && Arrays.equals(a.indices, indices) && a.maxConcurrent == maxConcurrent;
    }

    @Override
    public int hashCode() {
        return spec.hashCode();
    }
}
