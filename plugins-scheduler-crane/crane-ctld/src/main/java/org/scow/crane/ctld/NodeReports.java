package org.scow.crane.ctld;

import java.util.List;
import org.scow.crane.ctld.model.Job;
import org.scow.crane.protocol.JobState;

/**
 * Job ends reported by node daemons: which states a node may report, which reports apply (the job running, on
 * that node, in the run named), and the reason and end time recorded. Applied through {@link LiveEvents} with the
 * controller lock held; a reported end sends nothing back to the node, which has already killed what was left.
 */
final class NodeReports {
    private final JobTable table;
    private final LiveEvents events;
    private final Clock clock;

    NodeReports(JobTable table, LiveEvents events, Clock clock) {
        this.table = table;
        this.events = events;
        this.clock = clock;
    }

    void jobEnded(long jobId, long runStart, JobState state, int exitCode, long endTime, String reason) {
        Job j = table.live(jobId);
        if (j == null || j.state != JobState.RUNNING) throw CtldException.state("job " + jobId + " is not running");
        if (runStart != 0 && j.startTime != runStart) {
            throw CtldException.state("job " + jobId + " runs again since " + j.startTime + "; the report is about an earlier run");
        }
        events.endReported(j, state, exitCode, reportedEnd(j, endTime, clock.nowSec()), endReason(reason));
    }

    /** Ends of running jobs by exit code; unknown or not-running ids are skipped. Returns how many applied. */
    int jobsFinished(long[] ids, int[] exitCodes) {
        int n = 0;
        long now = clock.nowSec();
        for (int i = 0; i < ids.length; i++) {
            Job j = table.live(ids[i]);
            if (j == null || j.state != JobState.RUNNING) continue;
            events.endReported(j, exitCodes[i] == 0 ? JobState.COMPLETED : JobState.FAILED, exitCodes[i], now, null);
            n++;
        }
        return n;
    }

    /** The reports of node {@code idx} that apply, applied; the others skipped (see {@link Controller#jobsEndedOn}). */
    boolean[] jobsEndedOn(int idx, List<Controller.NodeReport> reports) {
        boolean[] applied = new boolean[reports.size()];
        long now = clock.nowSec();
        for (int i = 0; i < applied.length; i++) {
            Controller.NodeReport r = reports.get(i);
            Job j = table.live(r.jobId());
            if (j == null || j.state != JobState.RUNNING || !contains(j.allocNodes, idx)) continue;
            if (r.runStart() != 0 && j.startTime != r.runStart()) continue;
            events.endReported(j, r.state(), r.exitCode(), reportedEnd(j, r.endTime(), now), endReason(r.reason()));
            applied[i] = true;
        }
        return applied;
    }

    /** A node reports how a run ended; CANCELLED (and anything unfinished) is the controller's to decide. */
    static void checkState(JobState state) {
        if (state == null || !state.finished() || state == JobState.CANCELLED) {
            throw CtldException.invalid("state", "a node may report COMPLETED, FAILED, OUT_OF_MEMORY, TIMEOUT or NODE_FAIL, not " + state);
        }
    }

    /** A node's reason as one line of at most 1000 characters (it is shown in tables), or null. */
    static String endReason(String reason) {
        if (reason == null || reason.isBlank()) return null;
        String one = reason.strip().replaceAll("\\s*\\R\\s*", "; ").replaceAll("\\p{Cntrl}", " ");
        return one.length() > 1000 ? one.substring(0, 997) + "..." : one;
    }

    /** The end time of a reported end: the node's time, within [start of the run, now]; now when not given. */
    static long reportedEnd(Job j, long reported, long now) {
        if (reported <= 0) return now;
        return Math.max(j.startTime, Math.min(reported, now));
    }

    static boolean contains(int[] a, int v) {
        for (int x : a) if (x == v) return true;
        return false;
    }
}
