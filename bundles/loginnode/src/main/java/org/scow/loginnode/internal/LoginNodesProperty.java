package org.scow.loginnode.internal;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.scow.api.scheduler.util.Names;
import org.scow.loginnode.LoginNode;

/** Parses a cluster's {@code loginNodes} property: {@code name=host[:port]} or {@code host[:port]}, comma-separated. */
final class LoginNodesProperty {
    static final String KEY = "loginNodes";

    private LoginNodesProperty() {
    }

    /** @throws IllegalArgumentException naming the bad entry */
    static List<LoginNode> parse(String value) {
        List<LoginNode> nodes = new ArrayList<>();
        Set<String> names = new HashSet<>();
        if (value == null) {
            return nodes;
        }
        for (String raw : value.split(",")) {
            String entry = raw.trim();
            if (entry.isEmpty()) {
                continue;
            }
            int eq = entry.indexOf('=');
            String address = eq < 0 ? entry : entry.substring(eq + 1).trim();
            String host = address;
            int port = 22;
            if (address.startsWith("[")) { // [v6 address]:port
                int close = address.indexOf(']');
                if (close < 0) {
                    throw new IllegalArgumentException("loginNodes: unclosed '[' in '" + entry + "'");
                }
                host = address.substring(1, close);
                String rest = address.substring(close + 1);
                if (rest.startsWith(":")) {
                    port = port(rest.substring(1), entry);
                } else if (!rest.isEmpty()) {
                    throw new IllegalArgumentException("loginNodes: bad address in '" + entry + "'");
                }
            } else if (address.indexOf(':') >= 0 && address.indexOf(':') == address.lastIndexOf(':')) {
                host = address.substring(0, address.indexOf(':'));
                port = port(address.substring(address.indexOf(':') + 1), entry);
            }
            if (host.isEmpty() || !host.matches("[A-Za-z0-9._:%-]+")) {
                throw new IllegalArgumentException("loginNodes: bad host in '" + entry + "'");
            }
            String name = eq < 0 ? host : entry.substring(0, eq).trim();
            if (!Names.isValid(name)) {
                throw new IllegalArgumentException("loginNodes: node name '" + name + "' " + Names.RULE);
            }
            if (!names.add(name)) {
                throw new IllegalArgumentException("loginNodes: node name '" + name + "' appears twice");
            }
            nodes.add(new LoginNode(name, host, port));
        }
        return nodes;
    }

    private static int port(String s, String entry) {
        try {
            int p = Integer.parseInt(s.trim());
            if (p > 0 && p < 65536) {
                return p;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("loginNodes: bad port in '" + entry + "'");
    }
}
