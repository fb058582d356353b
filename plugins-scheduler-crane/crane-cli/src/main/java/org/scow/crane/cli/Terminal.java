package org.scow.crane.cli;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * This process's terminal in raw mode for {@code crun --pty}: keys (Ctrl-C included) go to the remote
 * pseudo-terminal as typed, which echoes and interprets them. Done with {@code stty} on {@code /dev/tty}; without a
 * terminal nothing changes. {@link #restore} puts back the saved settings.
 */
final class Terminal {
    private final String saved;

    private Terminal(String saved) {
        this.saved = saved;
    }

    static Terminal raw(Io io) {
        if (!Crane.standalone || System.console() == null) return new Terminal(null);
        String s = stty("-g");
        if (s == null) return new Terminal(null);
        stty("raw", "-echo");
        return new Terminal(s.strip());
    }

    /** The terminal's size as {rows, columns}, or null when unknown. */
    static int[] size() {
        if (!Crane.standalone || System.console() == null) return null;
        String s = stty("size");
        if (s == null) return null;
        String[] f = s.strip().split("\\s+");
        try {
            int rows = Integer.parseInt(f[0]);
            int cols = Integer.parseInt(f[1]);
            return rows > 0 && cols > 0 ? new int[] {rows, cols} : null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    void restore() {
        if (saved != null) stty(saved);
    }

    /** Runs stty on the controlling terminal; its arguments are fixed words or its own saved settings. */
    private static String stty(String... args) {
        String[] cmd = new String[args.length + 1];
        cmd[0] = "stty";
        System.arraycopy(args, 0, cmd, 1, args.length);
        try {
            Process p = new ProcessBuilder(cmd).redirectInput(new File("/dev/tty")).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(5, TimeUnit.SECONDS) || p.exitValue() != 0) return null;
            return out;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
