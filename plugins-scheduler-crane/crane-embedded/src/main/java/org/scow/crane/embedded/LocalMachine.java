package org.scow.crane.embedded;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;

/** Defaults for the single node from the machine itself. */
final class LocalMachine {
    private LocalMachine() {
    }

    /** The short host name, reduced to what a node name may hold; {@code localhost} when it cannot be found. */
    static String nodeName() {
        try {
            String h = InetAddress.getLocalHost().getHostName();
            int dot = h.indexOf('.');
            String s = (dot > 0 ? h.substring(0, dot) : h).replaceAll("[^A-Za-z0-9_-]", "");
            return s.isEmpty() ? "localhost" : s;
        } catch (IOException e) {
            return "localhost";
        }
    }

    static int cpus() {
        return Runtime.getRuntime().availableProcessors();
    }

    /** Total memory in MiB from {@code /proc/meminfo}; 1024 when unreadable. */
    static long memoryMb() {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (l.startsWith("MemTotal:")) return Long.parseLong(l.replaceAll("[^0-9]", "")) / 1024;
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux
        }
        return 1024;
    }
}
