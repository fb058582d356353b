package org.scow.crane.executor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * The executor's per-job directories, {@code <spool>/job-<id>/}:
 * <ul>
 *   <li>{@code script}: the batch script, owned by the job's user, mode 0500 (the job runs it as itself);</li>
 *   <li>{@code status}: written by the job's wrapper with the script's exit status once it ends, owned by the user;</li>
 *   <li>{@code pid}: {@code <pid> <start-millis>} of the job's session leader, so a restarted executor can re-adopt
 *       the job and tell a live job from a recycled pid;</li>
 *   <li>{@code gpus}: the node-local GPU indices the job was given ({@code 0,2}, empty for none), so a restarted
 *       executor gives a re-adopted job the same GPUs and does not hand them to another job;</li>
 *   <li>{@code launch.log}: the wrapper's own errors (bad working directory, output file not creatable).</li>
 * </ul>
 * The directory is root's, mode 0711: the user can reach its files by name but cannot plant others.
 */
final class Spool {
    private static final Set<PosixFilePermission> DIR = PosixFilePermissions.fromString("rwx--x--x");

    private final Path root;

    Spool(Path root) throws IOException {
        this.root = root;
        Files.createDirectories(root);
    }

    Path dir(long jobId) {
        return root.resolve("job-" + jobId);
    }

    /** A fresh directory for a job (an earlier run's, e.g. before a requeue, is removed). */
    Path prepare(long jobId, String script, UnixUser owner, boolean chown) throws IOException {
        Path d = dir(jobId);
        delete(jobId);
        Files.createDirectories(d);
        Files.setPosixFilePermissions(d, DIR);
        Path s = d.resolve("script");
        Files.writeString(s, script, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(s, PosixFilePermissions.fromString("r-x------"));
        Path st = d.resolve("status");
        Files.createFile(st);
        Files.setPosixFilePermissions(st, PosixFilePermissions.fromString("rw-------"));
        if (chown) {
            for (Path p : List.of(s, st)) {
                Files.setAttribute(p, "unix:uid", owner.uid());
                Files.setAttribute(p, "unix:gid", owner.gid());
            }
        }
        return d;
    }

    /** Records the job's first process ({@code pid}, its start) and which run it is ({@code runStart}, the controller's start time). */
    void writePid(long jobId, long pid, long startMillis, long runStart) throws IOException {
        Files.writeString(dir(jobId).resolve("pid"), pid + " " + startMillis + " " + runStart + "\n");
    }

    /** Records the GPU indices the job was given (before it starts, so a live job always has the record). */
    void writeGpus(long jobId, List<Integer> indices) throws IOException {
        StringBuilder b = new StringBuilder();
        for (int i : indices) b.append(b.length() > 0 ? "," : "").append(i);
        Files.writeString(dir(jobId).resolve("gpus"), b.append('\n').toString());
    }

    /** The recorded GPU indices, or null when there is no (readable) record, e.g. a job launched by an older executor. */
    List<Integer> readGpus(long jobId) {
        try {
            String s = Files.readString(dir(jobId).resolve("gpus")).trim();
            List<Integer> l = new ArrayList<>();
            if (!s.isEmpty()) for (String f : s.split(",")) l.add(Integer.parseInt(f.trim()));
            return l;
        } catch (IOException | RuntimeException none) {
            return null;
        }
    }

    /** {@code {pid, startMillis, runStart}} ({@code runStart} -1 when not recorded) or null. */
    long[] readPid(long jobId) {
        try {
            String[] f = Files.readString(dir(jobId).resolve("pid")).trim().split(" ");
            return new long[] {Long.parseLong(f[0]), Long.parseLong(f[1]), f.length > 2 ? Long.parseLong(f[2]) : -1};
        } catch (IOException | RuntimeException none) {
            return null;
        }
    }

    /** When the wrapper recorded the exit status (epoch s, the status file's modification time), or 0. */
    long statusTime(long jobId) {
        try {
            return Files.getLastModifiedTime(dir(jobId).resolve("status")).toMillis() / 1000;
        } catch (IOException e) {
            return 0;
        }
    }

    /** The script's exit status as the wrapper recorded it, or -1 when it did not (it never ran, or was killed). */
    int readStatus(long jobId) {
        try {
            String s = Files.readString(dir(jobId).resolve("status")).trim();
            return s.isEmpty() ? -1 : Integer.parseInt(s);
        } catch (IOException | RuntimeException none) {
            return -1;
        }
    }

    /** The first lines of the wrapper's error log, or null when it is empty. */
    String launchErrors(long jobId) {
        try {
            String s = Files.readString(dir(jobId).resolve("launch.log"), StandardCharsets.UTF_8).strip();
            if (s.isEmpty()) return null;
            return s.length() > 2000 ? s.substring(0, 2000) + "..." : s;
        } catch (IOException none) {
            return null;
        }
    }

    /** Job ids with a directory. */
    List<Long> jobs() throws IOException {
        List<Long> ids = new ArrayList<>();
        try (var s = Files.list(root)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                String n = p.getFileName().toString();
                if (!n.startsWith("job-")) continue;
                try {
                    ids.add(Long.parseLong(n.substring(4)));
                } catch (NumberFormatException ignored) {
                    // not ours
                }
            }
        }
        return ids;
    }

    void delete(long jobId) throws IOException {
        Path d = dir(jobId);
        if (!Files.exists(d)) return;
        try (var w = Files.walk(d)) {
            for (Path p : (Iterable<Path>) w.sorted(Comparator.reverseOrder())::iterator) Files.deleteIfExists(p);
        }
    }

    /**
     * Job users read their script from here, so every parent must let others search it. Checked up front because
     * the failure would otherwise show up only as every job failing with "Permission denied".
     */
    void requireSearchableByOthers() throws IOException {
        for (Path p = root.toAbsolutePath(); p != null; p = p.getParent()) {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p);
            if (!perms.contains(PosixFilePermission.OTHERS_EXECUTE)) {
                throw new IOException("spool directory " + root + " is not reachable by job users: " + p + " has mode "
                        + PosixFilePermissions.toString(perms) + " (needs o+x); choose e.g. /var/spool/crane");
            }
        }
    }
}
