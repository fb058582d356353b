package org.scow.auth.internal;

import java.util.regex.Pattern;

/** A configurable pattern every new password must match in full, with a text that tells people what it demands. */
public final class PasswordPolicy {
    public static final String DEFAULT_PATTERN = "(?=.*[A-Za-z])(?=.*[0-9]).{10,128}";
    public static final String DEFAULT_RULE = "at least 10 characters (at most 128) with a letter and a digit";

    private final Pattern pattern;
    private final String rule;

    public PasswordPolicy(String pattern, String rule) {
        this.pattern = Pattern.compile(pattern == null || pattern.isBlank() ? DEFAULT_PATTERN : pattern, Pattern.DOTALL);
        this.rule = rule == null || rule.isBlank() ? "must match " + this.pattern.pattern() : rule;
    }

    public boolean accepts(char[] password) {
        return password != null && password.length <= 1024 && pattern.matcher(java.nio.CharBuffer.wrap(password)).matches();
    }

    public String rule() {
        return rule;
    }
}
