package org.scow.loginnode;

import org.osgi.annotation.versioning.ProviderType;
import java.util.List;

/** Sessions to a cluster's login nodes as a given Unix user. */
@ProviderType
public interface LoginNodeService {
    /**
     * The cluster's login nodes in configuration order.
     *
     * @throws LoginNodeException {@code UNKNOWN_CLUSTER} or {@code NOT_CONFIGURED} (no {@code loginNodes})
     */
    List<LoginNode> nodes(String cluster) throws LoginNodeException;

    /**
     * A session to one login node of the cluster as {@code user}, from the pool or newly opened. If the node refuses
     * the platform key and the key installer is configured, the key is installed for the user and the login retried
     * once.
     *
     * @param node  the node's name, or null for the cluster's first login node
     */
    LoginConnection connect(String cluster, String node, String user) throws LoginNodeException;

    /** The platform's public key as an {@code authorized_keys} line. */
    String publicKey();
}
