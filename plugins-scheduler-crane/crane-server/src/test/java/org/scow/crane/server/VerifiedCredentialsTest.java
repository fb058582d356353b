package org.scow.crane.server;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import org.junit.Test;
import org.scow.crane.protocol.Credential;

/** The controller's cache of verified credentials changes no decision: forged, malformed and expired stay refused. */
public class VerifiedCredentialsTest {
    private static final byte[] KEY = TestServer.KEY;
    private static final long NOW = 1_800_000_000L;

    private static String issue(String principal, long expires) {
        return new Credential(Credential.Scope.USER, principal, expires).sign(KEY);
    }

    private static String refusal(VerifiedCredentials v, String text, long now) {
        try {
            v.verify(text, now);
        } catch (Credential.InvalidCredentialException e) {
            return e.getMessage();
        }
        fail("accepted: " + text);
        return null;
    }

    @Test
    public void aVerifiedCredentialIsRememberedUntilItExpires() throws Exception {
        VerifiedCredentials v = new VerifiedCredentials(KEY);
        String alice = issue("alice", NOW + 60);
        Credential first = v.verify(alice, NOW);
        assertEquals("alice", first.principal());
        assertSame("the second call is answered from the cache", first, v.verify(alice, NOW + 1));
        assertEquals(1, v.size());
        String expired = refusal(v, alice, NOW + 61);
        assertTrue(expired, expired.contains("expired"));
        assertEquals("an expired one leaves the cache", 0, v.size());
    }

    @Test
    public void forgedAndMalformedTextsAreRefusedAndNotKept() throws Exception {
        VerifiedCredentials v = new VerifiedCredentials(KEY);
        String alice = issue("alice", NOW + 60);
        v.verify(alice, NOW);
        // the same body with another principal but alice's MAC: a different text, verified on its own
        String forged = alice.replace(":alice:", ":root:");
        assertTrue(refusal(v, forged, NOW).contains("does not verify"));
        String other = new Credential(Credential.Scope.USER, "bob", NOW + 60).sign(new byte[32]);
        assertTrue(refusal(v, other, NOW).contains("does not verify"));
        assertTrue(refusal(v, "crane1:user", NOW).contains("malformed"));
        assertTrue(refusal(v, null, NOW).contains("no credential"));
        assertEquals("only the valid one is kept", 1, v.size());
    }

    @Test
    public void theCacheIsBounded() throws Exception {
        VerifiedCredentials v = new VerifiedCredentials(KEY);
        for (int i = 0; i < VerifiedCredentials.CAPACITY + 50; i++) v.verify(issue("u" + i, NOW + 60), NOW);
        assertEquals(VerifiedCredentials.CAPACITY, v.size());
    }
}
