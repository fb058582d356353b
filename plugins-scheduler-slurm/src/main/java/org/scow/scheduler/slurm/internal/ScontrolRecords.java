package org.scow.scheduler.slurm.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Parses {@code scontrol show <entity> -o} output: one record per line, {@code Key=Value} pairs separated by spaces.
 * Some values contain spaces themselves (a node's {@code OS} or {@code Reason}), so a space only starts a new pair
 * when the next word looks like {@code Key=}.
 */
public final class ScontrolRecords {
    private static final Pattern KEY = Pattern.compile("[A-Za-z][A-Za-z0-9_/:.]*=.*");

    private ScontrolRecords() {
    }

    public static List<Map<String, String>> parse(String output) {
        List<Map<String, String>> records = new ArrayList<>();
        for (String line : output.split("\n")) {
            if (!line.isBlank()) {
                records.add(parseLine(line));
            }
        }
        return records;
    }

    public static Map<String, String> parseLine(String line) {
        Map<String, String> out = new LinkedHashMap<>();
        String key = null;
        StringBuilder value = new StringBuilder();
        for (String word : line.strip().split(" +")) {
            if (KEY.matcher(word).matches()) {
                if (key != null) {
                    out.put(key, value.toString().strip());
                }
                int eq = word.indexOf('=');
                key = word.substring(0, eq);
                value.setLength(0);
                value.append(word.substring(eq + 1));
            } else if (key != null) {
                value.append(' ').append(word);
            }
        }
        if (key != null) {
            out.put(key, value.toString().strip());
        }
        return out;
    }
}
