package org.scow.federation.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.math.BigDecimal;
import java.util.Map;
import java.util.Optional;
import org.junit.Test;
import org.scow.federation.Grant;

public class GrantTest {
    private static Grant grant(String peerAccount, String localAccount, Map<String, String> users, String credit) {
        return new Grant(null, "a", "*", peerAccount, localAccount, users, new BigDecimal(credit), false, null, null);
    }

    @Test
    public void patternsMapBothWays() {
        Grant g = grant("proj*", "fa-proj*", Map.of("alice", "fa-alice"), "1.5");
        assertEquals(Optional.of("fa-proj7"), g.localAccountFor("proj7"));
        assertEquals(Optional.empty(), g.localAccountFor("proj"));
        assertEquals(Optional.empty(), g.localAccountFor("other"));
        assertEquals(Optional.of("proj7"), g.peerAccountFor("fa-proj7"));
        assertEquals(Optional.empty(), g.peerAccountFor("b-own"));
        assertEquals(Optional.of("alice"), g.peerUser("fa-alice"));
    }

    @Test
    public void badGrantsNameTheirField() {
        assertField("localAccount", () -> grant("proj*", "fa-proj", Map.of("a", "b"), "1"));
        assertField("localAccount", () -> grant("*", "*", Map.of("a", "b"), "1"));
        assertField("users", () -> grant("p", "l", Map.of(), "1"));
        assertField("users", () -> grant("p", "l", Map.of("a", "b c"), "1"));
        assertField("creditLimit", () -> grant("p", "l", Map.of("a", "b"), "-1"));
        assertField("creditLimit", () -> grant("p", "l", Map.of("a", "b"), "0.00001"));
        assertField("peerAccount", () -> grant("p q", "l", Map.of("a", "b"), "1"));
        assertField("users", () -> Grant.parseUsers("a=b,a=c"));
    }

    @Test
    public void usersRoundTrip() {
        assertEquals(Map.of("a", "b", "c", "d"), Grant.parseUsers(Grant.serialise(Map.of("c", "d", "a", "b"))));
    }

    private static void assertField(String field, Runnable r) {
        try {
            r.run();
            fail("expected an error naming " + field);
        } catch (IllegalArgumentException e) {
            assertTrue(e.getMessage(), e.getMessage().startsWith(field + ":"));
        }
    }
}
