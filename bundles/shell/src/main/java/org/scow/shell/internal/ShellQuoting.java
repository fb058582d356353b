package org.scow.shell.internal;

/** POSIX shell quoting for the one value the web shell passes to the user's shell: the start directory. */
final class ShellQuoting {
    private ShellQuoting() {
    }

    /**
     * The value in single quotes, each {@code '} written as {@code '\''}: a POSIX shell reads the result as the
     * literal value, whatever it contains. Control characters (newlines included) are refused instead.
     */
    static String quote(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                throw new IllegalArgumentException("control characters are not allowed");
            }
        }
        return "'" + value.replace("'", "'\\''") + "'";
    }
}
