package org.scow.apps.internal;

import java.util.HashMap;
import java.util.Map;

/**
 * Where the proxy reaches a cluster's nodes when their scheduler names are not host names (setting
 * {@code nodeAddresses} of PID {@code org.scow.apps}, {@code <cluster>=<address>,...}): e.g. a Slurm test host with
 * several slurmd ({@code NodeName=c[1-4] NodeAddr=127.0.0.1}). The session's node is still checked against the job's
 * node list; only the address the proxy connects to changes. Clusters not listed are reached by node name (DNS).
 */
final class NodeAddresses {
    private final Map<String, String> byCluster;

    private NodeAddresses(Map<String, String> byCluster) {
        this.byCluster = Map.copyOf(byCluster);
    }

    /**
     * @throws IllegalArgumentException naming the entry that is not {@code cluster=address}
     */
    static NodeAddresses parse(String setting) {
        Map<String, String> m = new HashMap<>();
        if (setting != null) {
            for (String entry : setting.split(",")) {
                String e = entry.strip();
                if (e.isEmpty()) {
                    continue;
                }
                int eq = e.indexOf('=');
                String cluster = eq < 0 ? "" : e.substring(0, eq).strip();
                String address = eq < 0 ? "" : e.substring(eq + 1).strip();
                if (cluster.isEmpty() || !address.matches("[A-Za-z0-9][A-Za-z0-9.:-]{0,252}")) {
                    throw new IllegalArgumentException("nodeAddresses: '" + e + "' is not <cluster>=<address>");
                }
                m.put(cluster, address);
            }
        }
        return new NodeAddresses(m);
    }

    /** The connection the proxy uses for a session on {@code cluster}: its node replaced by the configured address. */
    Connection route(String cluster, Connection c) {
        String address = c == null ? null : byCluster.get(cluster);
        return address == null ? c : new Connection(address, c.port(), c.password(), c.basePath());
    }
}
