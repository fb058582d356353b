package org.scow.federation.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.Optional;
import java.util.regex.Pattern;
import org.scow.api.scheduler.util.Names;
import org.scow.federation.Peer;
import org.scow.federation.SignedRequests;

/**
 * Checks a peer call's signature headers: a configured peer, a valid Ed25519 signature over the canonical request, a
 * date inside the clock-skew window, and a nonce not seen before from that peer within the window. A nonce is
 * remembered for twice the window, which covers every date the window accepts, so a captured request cannot be
 * replayed. Thread-safe.
 */
public final class SignatureVerifier {
    private static final Pattern NONCE = Pattern.compile("[0-9a-f]{32}");
    /** More nonces than this inside one window means a flood; refuse rather than grow without bound. */
    static final int MAX_NONCES = 200_000;

    private final Function<String, Optional<Peer>> peers;
    private final Duration skew;
    private final Clock clock;
    /** peer + nonce -> when it may be forgotten; insertion order is expiry order (constant lifetime). */
    private final LinkedHashMap<String, Instant> seen = new LinkedHashMap<>();

    public SignatureVerifier(Function<String, Optional<Peer>> peers, Duration skew, Clock clock) {
        this.peers = peers;
        this.skew = skew;
        this.clock = clock;
    }

    /** A verified call: the peer and the home user acting. */
    public record Verified(Peer peer, String user) {
    }

    /** Why a call was refused (401 for the caller). */
    public static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;

        Refused(String message) {
            super(message);
        }
    }

    /** Checks the headers (looked up by name) of a request to {@code pathAndQuery} with {@code body}. */
    public Verified verify(String method, String pathAndQuery, Function<String, String> header, byte[] body)
            throws Refused {
        String center = header.apply(SignedRequests.CENTER);
        String user = header.apply(SignedRequests.USER);
        String date = header.apply(SignedRequests.DATE);
        String nonce = header.apply(SignedRequests.NONCE);
        String signature = header.apply(SignedRequests.SIGNATURE);
        if (center == null || user == null || date == null || nonce == null || signature == null) {
            throw new Refused("unsigned request: " + SignedRequests.CENTER + ", " + SignedRequests.USER + ", "
                    + SignedRequests.DATE + ", " + SignedRequests.NONCE + " and " + SignedRequests.SIGNATURE
                    + " are required");
        }
        Peer peer = peers.apply(center).orElseThrow(() -> new Refused("center '" + clip(center)
                + "' is not a peer of this center"));
        if (!Names.isValid(user) && !SignedRequests.CENTER_ACTOR.equals(user)) {
            throw new Refused(SignedRequests.USER + ": " + Names.RULE);
        }
        if (!NONCE.matcher(nonce).matches()) {
            throw new Refused(SignedRequests.NONCE + ": must be 32 lower-case hex digits");
        }
        Instant at;
        try {
            at = Instant.parse(date);
        } catch (DateTimeParseException e) {
            throw new Refused(SignedRequests.DATE + ": must be an ISO-8601 instant");
        }
        Instant now = clock.instant();
        if (at.isBefore(now.minus(skew)) || at.isAfter(now.plus(skew))) {
            throw new Refused(SignedRequests.DATE + ": more than " + skew.toSeconds()
                    + " s away from this center's clock");
        }
        String canonical = SignedRequests.canonical(method, pathAndQuery, center, user, date, nonce, body);
        if (!CenterKeys.verify(peer.key(), SignedRequests.utf8(canonical), signature)) {
            throw new Refused(SignedRequests.SIGNATURE + ": does not verify with the key configured for peer '"
                    + center + "'");
        }
        remember(center + " " + nonce, now);
        return new Verified(peer, user);
    }

    private synchronized void remember(String key, Instant now) throws Refused {
        for (Iterator<Map.Entry<String, Instant>> it = seen.entrySet().iterator(); it.hasNext(); ) {
            if (it.next().getValue().isAfter(now)) {
                break;
            }
            it.remove();
        }
        if (seen.containsKey(key)) {
            throw new Refused(SignedRequests.NONCE + ": already used (replayed request)");
        }
        if (seen.size() >= MAX_NONCES) {
            throw new Refused("too many requests inside the clock-skew window; try again later");
        }
        seen.put(key, now.plus(skew.multipliedBy(2)));
    }

    private static String clip(String s) {
        return s.length() > 64 ? s.substring(0, 64) + "…" : s;
    }
}
