package org.scow.crane.executor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/** A local account from the password database ({@code getent passwd}, so NSS sources such as LDAP count). */
public record UnixUser(String name, int uid, int gid, String home, String shell) {
    /** POSIX portable user names (plus the dot common in directories); refuses anything an option parser might eat. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]{0,31}");

    /** Looks {@code name} up; throws with a clear message when it is malformed or unknown. */
    public static UnixUser lookup(String name) throws IOException {
        if (name == null || !NAME.matcher(name).matches()) throw new IOException("invalid user name '" + name + "'");
        Process p = new ProcessBuilder("getent", "passwd", name).redirectErrorStream(true).start();
        String out;
        try (var in = p.getInputStream()) {
            out = new String(in.readNBytes(4096), StandardCharsets.UTF_8).strip();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("getent passwd " + name + " did not answer");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted looking up user " + name, e);
        }
        if (p.exitValue() != 0 || out.isEmpty()) throw new IOException("no such user '" + name + "' on this node");
        String[] f = out.split(":", -1);
        if (f.length < 7 || !f[0].equals(name)) throw new IOException("unexpected passwd entry for " + name + ": " + out);
        return new UnixUser(f[0], Integer.parseInt(f[2]), Integer.parseInt(f[3]), f[5], f[6]);
    }
}
