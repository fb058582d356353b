package org.scow.core.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.Test;

public class SystemAccountsTest {
    private static final Map<String, Integer> UIDS = Map.of("toor", 0, "backupsvc", 34, "alice", 1001, "svc", 999);

    private final SystemAccounts policy = new SystemAccounts(1000, SystemAccounts.DEFAULT_DENY, "svc",
            u -> UIDS.containsKey(u) ? OptionalInt.of(UIDS.get(u)) : OptionalInt.empty());

    @Test
    public void rootAndTheDenyListAreRefusedByName() {
        assertTrue(policy.refusal("root").orElseThrow().contains("root"));
        assertTrue(policy.refusal("daemon").isPresent());
        assertTrue(policy.refusal("nobody").isPresent());
    }

    @Test
    public void uidsBelowTheMinimumAreRefusedUnlessAllowed() {
        assertTrue(policy.refusal("toor").orElseThrow().contains("uid 0"));
        assertTrue(policy.refusal("backupsvc").orElseThrow().contains("uid 34"));
        assertFalse(policy.refusal("svc").isPresent()); // explicitly allowed by the operator
        assertFalse(policy.refusal("alice").isPresent());
        assertFalse(policy.refusal("unknown-user").isPresent()); // not on this host: nothing to say
    }

    @Test
    public void rootIsRefusedEvenWhenAllowed() {
        SystemAccounts lax = new SystemAccounts(1, "", "root,toor", u -> OptionalInt.of(0));
        assertTrue(lax.refusal("root").isPresent());
        assertTrue(lax.refusal("toor").isPresent());
    }

    @Test
    public void readsTheRealUserDatabase() {
        assertEquals(OptionalInt.of(0), SystemAccounts.getent("root"));
        assertTrue(new SystemAccounts().refusal("root").isPresent());
        SystemAccounts real = new SystemAccounts(1000, "", "", SystemAccounts::getent);
        assertTrue(real.refusal("daemon").orElseThrow().contains("uid 1"));
        assertEquals(OptionalInt.of(7), SystemAccounts.parse("lp", List.of("x:y", "lp:x:7:7::/:/bin/false")));
    }
}
