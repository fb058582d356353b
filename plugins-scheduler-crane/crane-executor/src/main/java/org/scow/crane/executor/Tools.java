package org.scow.crane.executor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** System programs the executor runs, by absolute path: the JDK would search the executor's PATH, not a fixed one. */
final class Tools {
    private static final String[] DIRS = {"/usr/bin", "/bin", "/usr/sbin", "/sbin"};

    private Tools() {
    }

    static String require(String name) throws IOException {
        for (String d : DIRS) {
            Path p = Path.of(d, name);
            if (Files.isExecutable(p)) return p.toString();
        }
        throw new IOException(name + " not found in " + String.join(", ", DIRS) + " (it is part of util-linux)");
    }
}
