package org.scow.crane.ctld.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.scow.crane.ctld.CtldException;

/**
 * Interns generic resources ({@code name:type}, e.g. {@code gpu:a100}) to small dense indices, so per-node and
 * per-segment GRES counts are plain int arrays.
 */
public final class GresRegistry {
    private final List<String> keys = new ArrayList<>();
    private final Map<String, Integer> index = new HashMap<>();

    /** Index of {@code name:type}, registering it when new (config time only). */
    public int register(String name, String type) {
        return index.computeIfAbsent(name + ":" + type, k -> {
            keys.add(k);
            return keys.size() - 1;
        });
    }

    public int size() {
        return keys.size();
    }

    public String key(int idx) {
        return keys.get(idx);
    }

    /** Indices of every type of {@code name}. */
    public int[] typesOf(String name) {
        return java.util.stream.IntStream.range(0, keys.size())
                .filter(i -> keys.get(i).startsWith(name + ":")).toArray();
    }

    /** A parsed job GRES request: the acceptable type indices (one type must satisfy the count) and the count. */
    public record Request(String spec, int[] choices, int count) {
        public static final Request NONE = new Request(null, new int[0], 0);

        public boolean none() {
            return count == 0;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Request r && r.count == count && Arrays.equals(r.choices, choices);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(choices) * 31 + count;
        }
    }

    /** Parses {@code gpu:a100:2}, {@code gpu:2} (any type) or {@code gpu} (one, any type); one kind per job. */
    public Request parseRequest(String field, String spec) {
        if (spec == null || spec.isBlank() || spec.equals("none")) return Request.NONE;
        String s = spec.trim();
        if (s.indexOf(',') >= 0) throw CtldException.invalid(field, "only one GRES kind per job is supported: '" + spec + "'");
        String[] p = s.split(":", -1);
        for (String x : p) {
            if (!x.matches("[A-Za-z0-9._-]{1,64}")) throw CtldException.invalid(field, "malformed GRES '" + spec + "'");
        }
        String name = p[0];
        String type = null;
        int count;
        try {
            if (p.length == 1) {
                count = 1;
            } else if (p.length == 2) {
                if (p[1].matches("-?\\d+")) count = Integer.parseInt(p[1]);
                else {
                    type = p[1];
                    count = 1;
                }
            } else if (p.length == 3) {
                type = p[1];
                count = Integer.parseInt(p[2]);
            } else {
                throw CtldException.invalid(field, "malformed GRES '" + spec + "' (use name[:type][:count])");
            }
        } catch (NumberFormatException e) {
            throw CtldException.invalid(field, "bad GRES count in '" + spec + "'");
        }
        if (count < 0) throw CtldException.invalid(field, "GRES count must not be negative: '" + spec + "'");
        if (count == 0) return Request.NONE;
        int[] choices;
        if (type == null) {
            choices = typesOf(name);
            if (choices.length == 0) throw CtldException.notFound(field, "no node has GRES '" + name + "'");
        } else {
            Integer i = index.get(name + ":" + type);
            if (i == null) throw CtldException.notFound(field, "no node has GRES '" + name + ":" + type + "'");
            choices = new int[] {i};
        }
        return new Request(s, choices, count);
    }
}
