package org.scow.scheduler.slurm.internal;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One process to run: an argument vector (never a shell string), its environment, optional standard input and
 * working directory, and the time after which it is killed.
 */
public record Command(List<String> argv, Map<String, String> env, String stdin, Path directory, Duration timeout) {
    public Command {
        argv = List.copyOf(argv);
        env = Map.copyOf(env);
        Objects.requireNonNull(timeout, "timeout");
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("empty command");
        }
    }

    /** The program's file name, for messages. */
    public String program() {
        String p = argv.get(0);
        return p.substring(p.lastIndexOf('/') + 1);
    }
}
