package org.scow.api.scheduler.util;

import java.util.regex.Pattern;

/** The name rule shared by users, accounts, partitions and QoS across every scheduler. */
public final class Names {
    /** Human description of {@link #isValid}, for error messages. */
    public static final String RULE =
            "must start with a letter or digit and contain only letters, digits, '.', '_' or '-' (at most 64)";

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private Names() {
    }

    /** True when {@code name} is a safe scheduler name (no spaces, quotes, shell or option characters). */
    public static boolean isValid(String name) {
        return name != null && NAME.matcher(name).matches();
    }
}
