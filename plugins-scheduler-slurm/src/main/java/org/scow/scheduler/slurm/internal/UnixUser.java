package org.scow.scheduler.slurm.internal;

/** A Unix account as {@code getent passwd} reports it. */
public record UnixUser(String name, int uid, String home, String shell) {

    /** Parses one passwd line, {@code name:x:uid:gid:gecos:home:shell}; null when malformed. */
    public static UnixUser parse(String line) {
        String[] f = line.split(":", -1);
        if (f.length < 7) {
            return null;
        }
        try {
            return new UnixUser(f[0], Integer.parseInt(f[2]), f[5].isEmpty() ? "/" : f[5],
                    f[6].isEmpty() ? "/bin/sh" : f[6]);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
