package org.scow.crane.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;

/**
 * What a command touches outside itself: its streams, environment and working directory. The launcher passes the
 * process's own; tests pass their own, so commands run in-process.
 */
public record Io(PrintStream out, PrintStream err, InputStream in, Map<String, String> env, Path cwd) {
    /** The real process: stdout, stderr, stdin, environment and current directory. */
    public static Io system() {
        return new Io(System.out, System.err, System.in, System.getenv(), Path.of("").toAbsolutePath());
    }

    String env(String name) {
        String v = env.get(name);
        return v == null || v.isEmpty() ? null : v;
    }

    /** The calling user's name: {@code USER}, else {@code LOGNAME}, else the JVM's idea. */
    String userName() {
        String u = env("USER");
        if (u == null) u = env("LOGNAME");
        return u != null ? u : System.getProperty("user.name");
    }

    Path home() {
        String h = env("HOME");
        return Path.of(h != null ? h : System.getProperty("user.home"));
    }
}
