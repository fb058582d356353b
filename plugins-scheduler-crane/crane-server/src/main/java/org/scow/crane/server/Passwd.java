package org.scow.crane.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * User names of uids from the password database: {@code getent passwd UID} (so NSS sources such as LDAP count),
 * without a shell, {@code /etc/passwd} if getent cannot be run. Answers are cached for a minute, so a caller that
 * connects in a loop costs one lookup a minute.
 */
final class Passwd {
    private static final long TTL_NANOS = TimeUnit.MINUTES.toNanos(1);

    private record Entry(String name, long at) {
    }

    private final Map<Integer, Entry> cache = new ConcurrentHashMap<>();

    /** The name of {@code uid}, or null when the database does not know it. */
    String nameOf(int uid) {
        long now = System.nanoTime();
        Entry e = cache.get(uid);
        if (e != null && now - e.at < TTL_NANOS) return e.name;
        String name = lookup(uid);
        if (cache.size() > 10_000) cache.clear();
        cache.put(uid, new Entry(name, now));
        return name;
    }

    private static String lookup(int uid) {
        if (uid < 0) return null;
        try {
            Process p = new ProcessBuilder("getent", "passwd", Integer.toString(uid))
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            } else if (p.exitValue() == 0 || p.exitValue() == 2) { // 2: not found
                return parse(uid, out);
            }
        } catch (IOException e) {
            // no getent on this machine: the file below
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
        try {
            return parse(uid, Files.readString(Path.of("/etc/passwd")));
        } catch (IOException e) {
            return null;
        }
    }

    /** The name on the first line of {@code passwd} whose uid field is {@code uid}; null if none. */
    static String parse(int uid, String passwd) {
        for (String line : passwd.split("\n")) {
            String[] f = line.split(":", -1);
            if (f.length >= 3 && f[2].equals(Integer.toString(uid)) && !f[0].isEmpty()) return f[0];
        }
        return null;
    }
}
