package org.scow.auth.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import org.junit.Test;

public class SecretsTest {
    @Test
    public void tokensAreRandomWellFormedAndHashedWithSha256() {
        String a = Secrets.newToken();
        String b = Secrets.newToken();
        assertNotEquals(a, b);
        assertTrue(Secrets.wellFormedToken(a));
        assertEquals(64, Secrets.sha256(a).length());
        assertEquals(Secrets.sha256(a), Secrets.sha256(a));
        assertNotEquals(Secrets.sha256(a), Secrets.sha256(b));
        // known vector
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", Secrets.sha256("abc"));
    }

    @Test
    public void malformedTokensAreRejectedBeforeAnyLookup() {
        for (String t : new String[] {null, "", "scow_", "Bearer x", "scow_' OR 1=1 --",
                "scow_" + "a".repeat(42), "scow_" + "a".repeat(44), "xxxx_" + "a".repeat(43),
                "scow_" + "a".repeat(42) + "*"}) {
            assertFalse(String.valueOf(t), Secrets.wellFormedToken(t));
        }
    }

    @Test
    public void csrfComparisonIsExactAndNullSafe() {
        String csrf = Secrets.random();
        assertTrue(Secrets.same(csrf, csrf));
        assertFalse(Secrets.same(csrf, csrf + "x"));
        assertFalse(Secrets.same(csrf, null));
        assertFalse(Secrets.same(null, csrf));
        assertFalse(Secrets.same(csrf, ""));
    }

    @Test
    public void oneTimePasswordsSatisfyTheDefaultPolicy() {
        assertTrue(new PasswordPolicy(null, null).accepts(Secrets.oneTimePassword().toCharArray()));
    }
}
