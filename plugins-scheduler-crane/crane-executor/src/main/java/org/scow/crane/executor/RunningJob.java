package org.scow.crane.executor;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.scow.crane.protocol.JobState;

/** One job the executor watches: launched by it, or re-adopted after a restart ({@code process} is then null). */
final class RunningJob {
    final JobSpec spec;
    /** The job's session id: the pid of its wrapper shell, which started the session. */
    final long sid;
    /** Our child, whose exit status the JDK gives us; null for an adopted job (its status comes from the spool). */
    final Process process;
    final ProcessHandle handle;
    final Cgroups.JobCgroup cgroup;
    final List<Integer> gpus;
    final CompletableFuture<Void> done = new CompletableFuture<>();

    /** Why the executor is ending it (CANCELLED, TIMEOUT), or null while it runs on its own. Guarded by this. */
    private JobState requested;
    private long killDeadlineNanos;
    /** A launch step that failed after the process started (e.g. joining the cgroup). */
    volatile String failure;

    RunningJob(JobSpec spec, long sid, Process process, ProcessHandle handle, Cgroups.JobCgroup cgroup, List<Integer> gpus) {
        this.spec = spec;
        this.sid = sid;
        this.process = process;
        this.handle = handle;
        this.cgroup = cgroup;
        this.gpus = gpus;
    }

    /** Records the first termination request; false when one was already made. */
    synchronized boolean request(JobState why, long graceNanos) {
        if (requested != null) return false;
        requested = why;
        killDeadlineNanos = System.nanoTime() + graceNanos;
        return true;
    }

    synchronized JobState requested() {
        return requested;
    }

    synchronized long killDeadlineNanos() {
        return killDeadlineNanos;
    }
}
