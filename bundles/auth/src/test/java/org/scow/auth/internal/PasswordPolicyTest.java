package org.scow.auth.internal;

import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import org.junit.Test;

public class PasswordPolicyTest {
    @Test
    public void defaultPolicyNeedsLengthLetterAndDigit() {
        PasswordPolicy p = new PasswordPolicy(null, null);
        assertTrue(p.accepts("correct1horse".toCharArray()));
        assertFalse(p.accepts("short1".toCharArray()));
        assertFalse(p.accepts("onlyletterslong".toCharArray()));
        assertFalse(p.accepts("1234567890123".toCharArray()));
        assertFalse(p.accepts(null));
        assertFalse(p.accepts(new char[2000]));
    }

    @Test
    public void configuredPatternMustMatchInFull() {
        PasswordPolicy p = new PasswordPolicy("[a-z]{4}", "four lower-case letters");
        assertTrue(p.accepts("abcd".toCharArray()));
        assertFalse(p.accepts("abcde".toCharArray()));
        assertTrue(p.rule().contains("four"));
    }
}
