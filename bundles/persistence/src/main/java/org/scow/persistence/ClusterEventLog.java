package org.scow.persistence;

import org.osgi.annotation.versioning.ProviderType;
import java.time.Instant;
import java.util.List;

/** Durable history of cluster events (online, offline, blocks, ...), newest first. */
@ProviderType
public interface ClusterEventLog {

    /** Appends an event and returns it with its id. */
    Entry append(String clusterId, String topic, String detail, Instant at);

    /** The newest {@code limit} events of a cluster, newest first. */
    List<Entry> recent(String clusterId, int limit);

    /** One stored event. */
    record Entry(long id, String clusterId, String topic, String detail, Instant occurredAt) {
    }
}
