package org.scow.loginnode.internal;

import java.util.regex.Pattern;

/** The Unix user names the platform logs in as: POSIX portable names, no leading '-'. */
final class UnixUsers {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,31}");

    private UnixUsers() {
    }

    static boolean isValid(String user) {
        return user != null && NAME.matcher(user).matches();
    }
}
