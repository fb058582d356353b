package org.scow.crane.ctld.step;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The job steps of running jobs: id {@code JOB.STEP}, nodes, tasks, state and exit code. Kept in memory only, not in
 * the controller's WAL: a step lives inside a running job and its {@code crun}, which a controller restart cuts off
 * anyway (its I/O relay is gone), so the steps of that time are forgotten rather than replayed. Ended steps stay for
 * {@code cacct} until {@link #MAX_ENDED} later ones pushed them out. Thread-safe (one monitor; every call is short).
 */
public final class StepTable {
    /** Ended steps kept for queries. */
    static final int MAX_ENDED = 20_000;

    public enum State { RUNNING, COMPLETED, FAILED, CANCELLED }

    /** One step; mutable fields are guarded by the table. */
    public static final class Step {
        public final long jobId;
        public final int stepId;
        public final String name;
        public final String user;
        public final List<String> nodes;
        public final int ntasks;
        public final long startTime;
        private State state = State.RUNNING;
        private long endTime;
        private int exitCode;
        private String reason;

        Step(long jobId, int stepId, String name, String user, List<String> nodes, int ntasks, long startTime) {
            this.jobId = jobId;
            this.stepId = stepId;
            this.name = name;
            this.user = user;
            this.nodes = List.copyOf(nodes);
            this.ntasks = ntasks;
            this.startTime = startTime;
        }

        public String id() {
            return jobId + "." + stepId;
        }
    }

    /** A copy of a step's fields, safe to hand out. */
    public record StepView(long jobId, int stepId, String name, String user, List<String> nodes, int ntasks,
                           State state, long startTime, long endTime, int exitCode, String reason) {
    }

    private final Map<Long, Map<Integer, Step>> byJob = new HashMap<>();
    private final Map<Long, Integer> nextStep = new HashMap<>();
    /** Ended steps in end order, for trimming. */
    private final LinkedHashMap<String, Step> ended = new LinkedHashMap<>();

    /** Records a new running step of {@code jobId}; step ids count from 0 per job, in start order. */
    public synchronized Step start(long jobId, String name, String user, List<String> nodes, int ntasks, long now) {
        int id = nextStep.merge(jobId, 1, Integer::sum) - 1;
        Step s = new Step(jobId, id, name, user, nodes, ntasks, now);
        byJob.computeIfAbsent(jobId, k -> new LinkedHashMap<>()).put(id, s);
        return s;
    }

    /** Ends a running step (a second end is ignored); returns false when it was not running. */
    public synchronized boolean end(long jobId, int stepId, State state, int exitCode, String reason, long now) {
        if (state == State.RUNNING) throw new IllegalArgumentException("a step cannot end RUNNING");
        Step s = get(jobId, stepId);
        if (s == null || s.state != State.RUNNING) return false;
        s.state = state;
        s.exitCode = exitCode;
        s.reason = reason;
        s.endTime = now;
        ended.put(s.id(), s);
        while (ended.size() > MAX_ENDED) {
            Step old = ended.remove(ended.keySet().iterator().next());
            Map<Integer, Step> m = byJob.get(old.jobId);
            if (m != null) {
                m.remove(old.stepId);
                if (m.isEmpty()) byJob.remove(old.jobId); // its next id stays: ids are never reused
            }
        }
        return true;
    }

    public synchronized Step get(long jobId, int stepId) {
        Map<Integer, Step> m = byJob.get(jobId);
        return m == null ? null : m.get(stepId);
    }

    public synchronized StepView view(long jobId, int stepId) {
        Step s = get(jobId, stepId);
        return s == null ? null : view(s);
    }

    /** Steps of the given jobs (all jobs when empty), by job then step id; running ones only unless {@code ended}. */
    public synchronized List<StepView> steps(java.util.Collection<Long> jobIds, boolean withEnded) {
        List<StepView> out = new ArrayList<>();
        Iterable<Long> ids = jobIds.isEmpty() ? new ArrayList<>(byJob.keySet()) : jobIds;
        List<Long> sorted = new ArrayList<>();
        ids.forEach(sorted::add);
        sorted.sort(null);
        for (long j : sorted) {
            Map<Integer, Step> m = byJob.get(j);
            if (m == null) continue;
            for (Step s : m.values()) if (withEnded || s.state == State.RUNNING) out.add(view(s));
        }
        return out;
    }

    /** Running steps of a job (to end them when the job ends). */
    public synchronized List<StepView> running(long jobId) {
        Map<Integer, Step> m = byJob.get(jobId);
        List<StepView> out = new ArrayList<>();
        if (m != null) for (Step s : m.values()) if (s.state == State.RUNNING) out.add(view(s));
        return out;
    }

    /** Jobs that have a running step. */
    public synchronized List<Long> jobsWithRunningSteps() {
        List<Long> out = new ArrayList<>();
        for (Map.Entry<Long, Map<Integer, Step>> e : byJob.entrySet()) {
            for (Step s : e.getValue().values()) {
                if (s.state == State.RUNNING) {
                    out.add(e.getKey());
                    break;
                }
            }
        }
        return out;
    }

    private static StepView view(Step s) {
        return new StepView(s.jobId, s.stepId, s.name, s.user, s.nodes, s.ntasks, s.state, s.startTime, s.endTime,
                s.exitCode, s.reason);
    }
}
