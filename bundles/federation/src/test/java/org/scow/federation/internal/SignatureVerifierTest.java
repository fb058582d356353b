package org.scow.federation.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.Test;
import org.scow.federation.Peer;
import org.scow.federation.SignedRequests;

public class SignatureVerifierTest {
    private static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");
    private final CenterKeys a;
    private final CenterKeys stranger;
    private final SignatureVerifier verifier;

    public SignatureVerifierTest() throws Exception {
        a = CenterKeys.generate();
        stranger = CenterKeys.generate();
        Peer peerA = new Peer("center-a", "A", "http://127.0.0.1:1", a.publicKeyBase64());
        verifier = new SignatureVerifier(id -> id.equals("center-a") ? Optional.of(peerA) : Optional.empty(),
                Duration.ofMinutes(5), Clock.fixed(NOW, ZoneOffset.UTC));
    }

    private Map<String, String> sign(CenterKeys keys, String center, String method, String path, Instant at,
                                     String nonce, String body) {
        Map<String, String> h = new HashMap<>();
        h.put(SignedRequests.CENTER, center);
        h.put(SignedRequests.USER, "alice");
        h.put(SignedRequests.DATE, at.toString());
        h.put(SignedRequests.NONCE, nonce);
        h.put(SignedRequests.SIGNATURE, keys.sign(SignedRequests.utf8(SignedRequests.canonical(method, path, center,
                "alice", at.toString(), nonce, SignedRequests.utf8(body)))));
        return h;
    }

    private String refusal(Map<String, String> h, String method, String path, String body) {
        try {
            verifier.verify(method, path, h::get, SignedRequests.utf8(body));
            return null;
        } catch (SignatureVerifier.Refused e) {
            return e.getMessage();
        }
    }

    private static final String N1 = "0123456789abcdef0123456789abcdef";
    private static final String N2 = "fedcba9876543210fedcba9876543210";

    @Test
    public void aGoodSignatureNamesThePeerAndUserOnce() throws Exception {
        Map<String, String> h = sign(a, "center-a", "POST", "/api/v1/federation/peer/clusters/x/jobs", NOW, N1, "{}");
        SignatureVerifier.Verified v = verifier.verify("POST", "/api/v1/federation/peer/clusters/x/jobs", h::get,
                SignedRequests.utf8("{}"));
        assertEquals("center-a", v.peer().id());
        assertEquals("alice", v.user());
        assertTrue(refusal(h, "POST", "/api/v1/federation/peer/clusters/x/jobs", "{}").contains("replayed"));
    }

    @Test
    public void tamperingStaleDatesStrangersAndMissingHeadersAreRefused() {
        String p = "/api/v1/federation/peer/clusters/x/jobs";
        assertTrue(refusal(sign(a, "center-a", "POST", p, NOW, N1, "{}"), "POST", p, "{\"x\":1}")
                .contains("does not verify"));
        assertTrue(refusal(sign(a, "center-a", "POST", p, NOW, N1, "{}"), "DELETE", p, "{}")
                .contains("does not verify"));
        assertTrue(refusal(sign(a, "center-a", "POST", p, NOW, N1, "{}"), "POST", p + "?user=bob", "{}")
                .contains("does not verify"));
        assertTrue(refusal(sign(a, "center-a", "POST", p, NOW.minusSeconds(301), N2, "{}"), "POST", p, "{}")
                .contains("clock"));
        assertTrue(refusal(sign(stranger, "center-a", "POST", p, NOW, N2, "{}"), "POST", p, "{}")
                .contains("does not verify"));
        assertTrue(refusal(sign(stranger, "center-z", "POST", p, NOW, N2, "{}"), "POST", p, "{}")
                .contains("not a peer"));
        Map<String, String> noSig = sign(a, "center-a", "POST", p, NOW, N2, "{}");
        noSig.remove(SignedRequests.SIGNATURE);
        assertTrue(refusal(noSig, "POST", p, "{}").contains("unsigned"));
        if (refusal(sign(a, "center-a", "POST", p, NOW, N2, "{}"), "POST", p, "{}") != null) {
            fail("a fresh nonce after refused attempts must still be accepted");
        }
    }
}
