package org.scow.federation;

import java.time.Instant;
import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/** The record of every cross-center call, made (OUT) and received (IN), kept on both sides. */
@ProviderType
public interface FederationAudit {
    enum Direction { IN, OUT }

    /**
     * @param status      HTTP status answered; 0 when no answer came (connection failure, time-out)
     * @param durationMs  time from sending to the full answer
     * @param message     the error's message, or null
     */
    record Entry(Long id, Instant occurredAt, Direction direction, String peer, String actor, String method,
                 String path, int status, long durationMs, String message) {
    }

    /** Records one call; never throws (an audit outage must not fail the call, it is logged instead). */
    void record(Entry entry);

    /** Newest first; {@code peer} null for every peer. */
    List<Entry> recent(String peer, int limit);
}
