package org.scow.crane.executor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Finds and signals every process of a job. A job's batch script starts as the leader of its own session, so the
 * job is "every process in that session" plus, with cgroups, "every process in the job's group" — the group also
 * catches processes that started a new session of their own ({@code setsid}, daemons), which the session scan alone
 * cannot see. Only SIGTERM and SIGKILL are needed, which the JDK sends through {@link ProcessHandle}.
 */
final class ProcessTree {
    private ProcessTree() {
    }

    /** Live processes of session {@code sid} and of {@code cgroup} (may be null). */
    static Set<Long> members(long sid, Cgroups.JobCgroup cgroup) {
        Set<Long> pids = new LinkedHashSet<>();
        if (cgroup != null) pids.addAll(cgroup.pids());
        if (sid <= 0) return pids;
        try (var s = Files.newDirectoryStream(Path.of("/proc"), p -> isNumber(p.getFileName().toString()))) {
            for (Path p : s) {
                long sess = sessionOf(p);
                if (sess == sid) pids.add(Long.parseLong(p.getFileName().toString()));
            }
        } catch (IOException e) {
            // /proc unreadable: only the cgroup view is left
        }
        return pids;
    }

    /**
     * True when a process of the job is still alive (zombies count as gone: they hold nothing but a pid). With a
     * cgroup the group alone answers: the wrapper is moved into it before it starts anything and children are born
     * inside (only root moves them out), so the /proc scan for the session, one read of every process's stat file at
     * each job's end, is skipped; it was the node daemon's largest own cost per job (issue 16's profile).
     */
    static boolean alive(long sid, Cgroups.JobCgroup cgroup) {
        for (long pid : cgroup != null ? cgroup.pids() : members(sid, null)) {
            if (!isZombie(pid)) return true;
        }
        return false;
    }

    /** Sends SIGTERM ({@code force} false) or SIGKILL to every process of the job; returns how many were signalled. */
    static int signal(long sid, Cgroups.JobCgroup cgroup, boolean force) {
        int n = 0;
        for (long pid : members(sid, cgroup)) {
            var h = ProcessHandle.of(pid);
            if (h.isEmpty()) continue;
            boolean sent = force ? h.get().destroyForcibly() : h.get().destroy();
            if (sent) n++;
        }
        return n;
    }

    /** Session id from {@code /proc/<pid>/stat} (the 6th field; parsed after the command name, which may hold spaces). */
    static long sessionOf(Path procDir) {
        try {
            String stat = Files.readString(procDir.resolve("stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[3]);
        } catch (IOException | RuntimeException gone) {
            return -1;
        }
    }

    static boolean isZombie(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2) == 'Z';
        } catch (IOException | RuntimeException gone) {
            return true;
        }
    }

    private static boolean isNumber(String s) {
        if (s.isEmpty()) return false;
        for (int i = 0; i < s.length(); i++) if (!Character.isDigit(s.charAt(i))) return false;
        return true;
    }
}
