package org.scow.federation;

import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/** The peers configured at this center; a center not listed here is no peer, whatever it claims. */
@ProviderType
public interface PeerDirectory {
    Optional<Peer> peer(String id);

    /** Every configured peer, sorted by id. */
    List<Peer> peers();

    /** What the last reachability probe of the peer found, or null before the first probe. */
    Reachability reachability(String id);

    /**
     * @param reachable  the peer's center endpoint answered in time with the expected id and key
     * @param checkedAt  when, in ISO-8601
     * @param problem    what went wrong, or null
     */
    record Reachability(boolean reachable, java.time.Instant checkedAt, String problem) {
    }
}
