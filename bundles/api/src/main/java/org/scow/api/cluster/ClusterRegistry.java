package org.scow.api.cluster;

import org.osgi.annotation.versioning.ProviderType;
import java.util.List;
import java.util.Optional;

/**
 * The configured clusters. A cluster is configured by a factory configuration of PID {@value #FACTORY_PID}
 * ({@code etc/org.scow.cluster-<id>.cfg}) and is online while a driver of its type is installed.
 */
@ProviderType
public interface ClusterRegistry {
    /** Factory PID of cluster configurations. */
    String FACTORY_PID = "org.scow.cluster";

    /** Every configured cluster, online or not, sorted by id. */
    List<Cluster> clusters();

    /** The cluster with that id, if configured. */
    Optional<Cluster> cluster(String id);

    /** Driver types currently installed, sorted. */
    List<String> driverTypes();
}
