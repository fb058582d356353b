package org.scow.apps.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * What a running session's job wrote to its {@value ScriptRenderer#CONNECTION_FILE} file: where the app listens
 * and its password. The file is the user's, so it is checked: the host must be one of the job's own nodes (the
 * proxy never connects anywhere else) and the port an unprivileged one.
 */
public record Connection(String host, int port, String password, String basePath) {

    /**
     * Parses the file.
     *
     * @param nodeList  the job's nodes in the scheduler's compact notation ({@code cn[01-03],gpu1})
     * @throws IllegalArgumentException saying what is wrong
     */
    public static Connection parse(String text, String nodeList) {
        String host = null;
        String port = null;
        String password = "";
        String basePath = null;
        for (String line : text.split("\n")) {
            int eq = line.indexOf('=');
            if (eq < 0) {
                continue;
            }
            String key = line.substring(0, eq);
            String value = line.substring(eq + 1).strip();
            switch (key) {
                case "host" -> host = value;
                case "port" -> port = value;
                case "password" -> password = value;
                case "basePath" -> basePath = value;
                default -> { }
            }
        }
        if (host == null || !host.matches("[A-Za-z0-9][A-Za-z0-9.-]{0,252}")) {
            throw new IllegalArgumentException("the connection file names no valid host");
        }
        int p;
        try {
            p = Integer.parseInt(port);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("the connection file names no valid port");
        }
        if (p < 1024 || p > 65535) {
            throw new IllegalArgumentException("the app's port " + p + " is not between 1024 and 65535");
        }
        if (!onNodes(host, nodeList)) {
            throw new IllegalArgumentException("the app's host " + host + " is not a node of its job (" + nodeList
                    + ")");
        }
        return new Connection(host, p, password, basePath);
    }

    /** True when {@code host} (or its first label) is one of the nodes. */
    static boolean onNodes(String host, String nodeList) {
        if (nodeList == null || nodeList.isBlank()) {
            return false;
        }
        String shortName = host.contains(".") ? host.substring(0, host.indexOf('.')) : host;
        for (String node : expand(nodeList)) {
            if (node.equalsIgnoreCase(host) || node.equalsIgnoreCase(shortName)) {
                return true;
            }
        }
        return false;
    }

    /** Expands Slurm-style host lists: {@code a,b}, {@code cn[01-03,07]}, {@code rack[1-2]-n1}. */
    static List<String> expand(String list) {
        List<String> out = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i <= list.length(); i++) {
            char ch = i < list.length() ? list.charAt(i) : ',';
            if (ch == '[') {
                depth++;
            } else if (ch == ']') {
                depth--;
            } else if (ch == ',' && depth == 0) {
                String item = list.substring(start, i).strip();
                if (!item.isEmpty()) {
                    expandOne(item, out);
                }
                start = i + 1;
            }
        }
        return out;
    }

    private static void expandOne(String item, List<String> out) {
        int open = item.indexOf('[');
        int close = item.indexOf(']');
        if (open < 0 || close < open) {
            out.add(item);
            return;
        }
        String prefix = item.substring(0, open);
        String suffix = item.substring(close + 1);
        for (String range : item.substring(open + 1, close).split(",")) {
            String[] ab = range.split("-", 2);
            try {
                if (ab.length == 1) {
                    out.add(prefix + ab[0] + suffix);
                    continue;
                }
                int a = Integer.parseInt(ab[0]);
                int b = Integer.parseInt(ab[1]);
                for (int n = a; n <= b && n - a < 100_000; n++) {
                    String num = Integer.toString(n);
                    while (num.length() < ab[0].length()) {
                        num = "0" + num;
                    }
                    out.add(prefix + num + suffix);
                }
            } catch (NumberFormatException e) {
                out.add(prefix + range + suffix);
            }
        }
    }
}
