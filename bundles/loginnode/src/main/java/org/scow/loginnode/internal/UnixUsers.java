package org.scow.loginnode.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/** The Unix user names the platform logs in as: POSIX portable names, no leading '-'. */
final class UnixUsers {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,31}");
    /** Debian's (and most systems') unprivileged "nobody". */
    static final long NOBODY = 65534;

    private UnixUsers() {
    }

    /** A user's line of the passwd database. */
    record Account(String user, long uid, long gid, String gecos, String home) {
    }

    static boolean isValid(String user) {
        return user != null && NAME.matcher(user).matches();
    }

    /** Whether an account is a person's: not root, not a system account (uid below {@code minUid}), not nobody. */
    static boolean isPerson(Account a, long minUid) {
        return a.uid() >= Math.max(1, minUid) && a.uid() != NOBODY && a.uid() < 4294967294L;
    }

    /**
     * The user's passwd entry on this machine as the C library sees it (files, LDAP, ... through NSS): runs
     * {@code getent passwd <user>} with the name as a separate argument, never through a shell.
     */
    static Optional<Account> lookup(String user) throws IOException {
        if (!isValid(user)) {
            return Optional.empty();
        }
        Process p = new ProcessBuilder("getent", "passwd", user).redirectErrorStream(true).start();
        try {
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readNBytes(64 * 1024);
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("getent passwd did not answer within 10 s");
            }
            return p.exitValue() == 0 ? parse(new String(out, StandardCharsets.UTF_8), user) : Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new IOException("interrupted", e);
        }
    }

    /** The entry of {@code user} in passwd-format text. */
    static Optional<Account> parse(String passwd, String user) {
        for (String line : passwd.split("\n")) {
            String[] f = line.split(":", -1);
            if (f.length >= 7 && f[0].equals(user)) {
                try {
                    return Optional.of(new Account(user, Long.parseLong(f[2]), Long.parseLong(f[3]), f[4], f[5]));
                } catch (NumberFormatException e) {
                    return Optional.empty();
                }
            }
        }
        return Optional.empty();
    }
}
