package org.scow.crane.ctld.model;

import java.util.ArrayList;
import java.util.List;
import org.scow.crane.ctld.CtldException;

/**
 * Job dependencies: {@code afterok:12:13,afterany:14} (all must hold) or {@code afterok:12?afternotok:13} (any).
 * An id naming an array job refers to all its tasks.
 */
public record Dependency(String spec, int[] types, long[] ids, boolean or) {
    public static final int AFTER = 0;
    public static final int AFTER_OK = 1;
    public static final int AFTER_NOT_OK = 2;
    public static final int AFTER_ANY = 3;
    public static final int MAX_TERMS = 1000;

    /** Outcome of evaluating one term or the whole dependency. */
    public enum Status { SATISFIED, WAITING, NEVER }

    public static Dependency parse(String field, String spec) {
        if (spec == null || spec.isBlank()) return null;
        String s = spec.trim();
        boolean hasAnd = s.indexOf(',') >= 0;
        boolean hasOr = s.indexOf('?') >= 0;
        if (hasAnd && hasOr) throw CtldException.invalid(field, "cannot mix ',' (AND) and '?' (OR) in '" + spec + "'");
        List<Integer> types = new ArrayList<>();
        List<Long> ids = new ArrayList<>();
        for (String term : s.split(hasOr ? "\\?" : ",", -1)) {
            String[] p = term.trim().split(":", -1);
            if (p.length < 2) throw CtldException.invalid(field, "malformed dependency '" + term + "' (use type:jobid[:jobid..])");
            int type = switch (p[0]) {
                case "after" -> AFTER;
                case "afterok" -> AFTER_OK;
                case "afternotok" -> AFTER_NOT_OK;
                case "afterany" -> AFTER_ANY;
                default -> throw CtldException.invalid(field, "unknown dependency type '" + p[0]
                        + "' (after, afterok, afternotok, afterany)");
            };
            for (int i = 1; i < p.length; i++) {
                if (!p[i].matches("\\d{1,18}")) throw CtldException.invalid(field, "bad job id '" + p[i] + "' in '" + spec + "'");
                types.add(type);
                ids.add(Long.parseLong(p[i]));
                if (ids.size() > MAX_TERMS) throw CtldException.invalid(field, "more than " + MAX_TERMS + " dependencies");
            }
        }
        return new Dependency(s, types.stream().mapToInt(Integer::intValue).toArray(),
                ids.stream().mapToLong(Long::longValue).toArray(), hasOr);
    }
}
