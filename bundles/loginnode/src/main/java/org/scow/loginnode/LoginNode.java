package org.scow.loginnode;

/**
 * One login node of a cluster.
 *
 * @param name  name within the cluster, e.g. {@code login0}
 * @param host  host name or address
 * @param port  SSH port
 */
public record LoginNode(String name, String host, int port) {
}
