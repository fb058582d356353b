package org.scow.crane.ctld;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.scow.crane.ctld.model.Job;
import org.scow.crane.protocol.JobState;
import org.scow.crane.ctld.model.Node;
import org.scow.crane.ctld.model.Partition;
import org.scow.crane.ctld.model.PendingReason;
import org.scow.crane.ctld.model.PreemptMode;
import org.scow.crane.ctld.model.Shape;
import org.scow.crane.ctld.sched.Timeline;

/**
 * One scheduling pass, run under the controller lock.
 *
 * <ol>
 * <li>End running jobs past their time limit (TIMEOUT).</li>
 * <li>Recompute fair-share factors from decayed usage (half-life) plus the live charge of running jobs.</li>
 * <li>Build each node's {@link Timeline}: free resources now, and when running jobs end (at their time limit).</li>
 * <li>Filter eligible pending jobs (hold, begin time, dependencies, blocks, partition state), compute multifactor
 * priorities, and sort packed {@code long} keys (priority, queue position): no per-job objects are allocated.</li>
 * <li>In priority order: check QoS run limits; try to start the job now over its whole time limit — which honours
 * every reservation already made, so backfilled jobs never delay a higher-priority job (conservative backfill);
 * otherwise, for the first {@code backfillDepth} blocked jobs, reserve the earliest slot in the timelines.</li>
 * </ol>
 *
 * <p>Placement is GPU-aware: jobs without GRES try GRES-less nodes first; GRES jobs take the nodes with the fewest
 * GPUs left after placement (best fit), keeping whole GPU nodes free for big jobs. A shape that failed to start
 * now is not retried in the same pass (resources only shrink during a pass).
 *
 * <p><b>Preemption.</b> A job of a QoS with a {@code preempt} list that cannot start now looks for running jobs of
 * those QoS (in partitions whose PreemptMode is not OFF) whose end would let it start now: per candidate node the
 * fewest victims, lowest priority and youngest first; then the nodes needing the fewest victims. The victims are
 * cancelled or requeued as their own logged events, and the job starts in the same pass. Freed resources end the
 * "resources only shrink" assumption, so the pass's failure memos are reset afterwards.
 */
final class Scheduler {
    /** What a pass did: counts, and the jobs it started (to hand to the launcher once their starts are durable). */
    record Outcome(int considered, int started, int reserved, int preempted, List<Job> startedJobs) {
    }

    private static final long IDX_MASK = (1L << Priorities.IDX_BITS) - 1;

    private static final boolean DEBUG = Boolean.getBoolean("crane.sched.debug");
    private long reserveNanos;
    private int scans;
    private final CtldConfig cfg;
    private final CtldConfig.Cluster cluster;
    /** The state and the decision sink of the pass running now. */
    private SchedulerView view;
    private SchedulingDecisions decisions;
    private final Node[] nodes;
    private final Timeline[] tl;
    private final Priorities priorities;
    private int epoch;
    private final List<Job> started = new ArrayList<>();
    private final boolean[] partitionBlocked;
    private final int[] cursorCpu;
    private final int[] cursorGres;
    // per partition: (nodes, cpus/node, mem/node, time) points that failed to start now in this pass; any job
    // needing at least as much in every dimension cannot start either (resources only shrink during a pass)
    private static final int FRONTIER = 16;
    private final long[][] failPts;
    private final int[] failCount;
    /** Per partition: most CPUs free now on any usable node (an upper bound for the whole pass). */
    private final int[] maxFreeNow;
    // scratch for placement
    private int[] chosen = new int[16];
    private int[] chosenGres = new int[16];
    private int[] candNode = new int[64];
    private int[] candGres = new int[64];
    private long[] candKey = new long[64];
    // preemption
    private final boolean preemptionConfigured;
    private int preemptSearches;
    private int preempted;
    /** Per node: running jobs that may be preempted in this pass (built at the pass' first victim search). */
    private final List<List<Job>> runningOn;
    private boolean runningOnBuilt;
    private int preemptableRunning;
    private static final Comparator<Job> VICTIM_ORDER = Comparator.<Job>comparingLong(v -> v.priority)
            .thenComparing(Comparator.<Job>comparingLong(v -> v.startTime).reversed())
            .thenComparing(Comparator.<Job>comparingLong(v -> v.id).reversed());

    Scheduler(CtldConfig cfg, CtldConfig.Cluster cluster) {
        this.cfg = cfg;
        this.cluster = cluster;
        this.priorities = new Priorities(cfg, cluster);
        this.nodes = cluster.nodes;
        this.tl = new Timeline[nodes.length];
        for (int i = 0; i < nodes.length; i++) tl[i] = new Timeline(cluster.gres.size());
        this.partitionBlocked = new boolean[cluster.partitions.length];
        this.cursorCpu = new int[cluster.partitions.length];
        this.cursorGres = new int[cluster.partitions.length];
        this.failPts = new long[cluster.partitions.length][FRONTIER * 4];
        this.failCount = new int[cluster.partitions.length];
        this.maxFreeNow = new int[cluster.partitions.length];
        boolean any = false;
        for (Partition p : cluster.partitions) any |= p.preemptMode != PreemptMode.OFF;
        this.preemptionConfigured = any;
        this.runningOn = new ArrayList<>(any ? nodes.length : 0);
        if (any) for (int i = 0; i < nodes.length; i++) runningOn.add(new ArrayList<>());
    }

    private boolean plain(Job j) {
        return j.gres.none() && !j.desc.exclusive() && j.nodelistIdx == null && j.excludeIdx == null;
    }

    private boolean dominatedFailure(Job j) {
        int p = j.partition.idx;
        long[] f = failPts[p];
        int n = j.desc.nodes();
        int cpn = j.desc.cpusPerNode();
        long mem = j.desc.memPerNodeMb();
        long t = j.timeLimitSec;
        for (int i = 0, k = 0; i < failCount[p]; i++, k += 4) {
            if (n >= f[k] && cpn >= f[k + 1] && mem >= f[k + 2] && t >= f[k + 3]) return true;
        }
        return false;
    }

    private void recordFailure(Job j) {
        int p = j.partition.idx;
        long[] f = failPts[p];
        int i = -1;
        for (int q = 0, k = 0; q < failCount[p]; q++, k += 4) {
            // the new point is smaller than one we keep: it covers more jobs, replace that one
            if (f[k] >= j.desc.nodes() && f[k + 1] >= j.desc.cpusPerNode() && f[k + 2] >= j.desc.memPerNodeMb()
                    && f[k + 3] >= j.timeLimitSec) {
                i = q;
                break;
            }
        }
        if (i < 0) i = failCount[p] < FRONTIER ? failCount[p]++ : (int) (j.id % FRONTIER);
        f[i * 4] = j.desc.nodes();
        f[i * 4 + 1] = j.desc.cpusPerNode();
        f[i * 4 + 2] = j.desc.memPerNodeMb();
        f[i * 4 + 3] = j.timeLimitSec;
    }

    /**
     * One pass over {@code view} (its queues compacted and timed-out jobs already ended by the caller); every start
     * and preemption goes to {@code decisions}. Under the controller lock.
     */
    Outcome pass(long now, SchedulerView view, SchedulingDecisions decisions) {
        this.view = view;
        this.decisions = decisions;
        try {
            return pass(now);
        } finally {
            this.view = null;
            this.decisions = null;
            started.clear();
        }
    }

    private Outcome pass(long now) {
        long t0 = System.nanoTime();
        epoch++;
        priorities.updateFairShare(now, view.accounts());
        buildTimelines(now);
        long t1 = System.nanoTime();
        int m = priorities.prioritize(now, view);
        long[] keys = priorities.keys();
        long t2 = System.nanoTime();
        Arrays.sort(keys, 0, m);
        long t3 = System.nanoTime();
        Arrays.fill(partitionBlocked, false);
        resetFailureMemos();
        preemptSearches = 0;
        preempted = 0;
        runningOnBuilt = false;
        int depth = cfg.backfillDepth;
        int attempts = cfg.maxStartAttempts;
        int reserved = 0;
        int nStarted = 0;
        List<Job> pend = view.pending();
        for (int k = 0; k < m; k++) {
            Job j = pend.get((int) (keys[k] & IDX_MASK));
            PendingReason limit = Priorities.runLimit(j);
            if (limit != null) {
                j.reason = limit;
                j.expectedStart = 0;
                continue;
            }
            Shape sh = j.shape;
            boolean plain = plain(j);
            boolean hopeless = j.desc.exclusive() ? maxFreeNow[j.partition.idx] < 1
                    : j.desc.cpusPerNode() > maxFreeNow[j.partition.idx];
            // whether "cannot start now" is known: tried, or skipped by a memo that is exact for this pass (not when
            // the pass ran out of start attempts)
            boolean blockedNow = hopeless || (sh != null && sh.failEpoch == epoch);
            if (!blockedNow && attempts > 0) {
                if (plain && dominatedFailure(j)) {
                    blockedNow = true;
                } else {
                    attempts--;
                    scans++;
                    if (tryStartNow(j, now)) {
                        startNow(j, now);
                        nStarted++;
                        continue;
                    }
                    blockedNow = true;
                    if (sh != null) sh.failEpoch = epoch;
                    if (plain) recordFailure(j);
                }
            }
            if (blockedNow && preemptionConfigured && !j.qos.preempt.isEmpty() && preemptSearches < cfg.preemptMaxSearches) {
                preemptSearches++;
                if (preemptFor(j, now)) {
                    resetFailureMemos();
                    if (tryStartNow(j, now)) {
                        startNow(j, now);
                        nStarted++;
                        continue;
                    }
                }
            }
            j.expectedStart = 0;
            if (reserved < depth) {
                long rs = DEBUG ? System.nanoTime() : 0;
                if (reserve(j, now)) reserved++;
                if (DEBUG) reserveNanos += System.nanoTime() - rs;
            }
            int p = j.partition.idx;
            j.reason = partitionBlocked[p] ? PendingReason.PRIORITY : PendingReason.RESOURCES;
            partitionBlocked[p] = true;
        }
        long t4 = System.nanoTime();
        if (DEBUG) {
            System.err.printf("pass: prepare %.1f ms, priority %.1f ms, sort %.1f ms, placement %.1f ms (reserve %.1f ms, %d start scans)%n",
                    (t1 - t0) / 1e6, (t2 - t1) / 1e6, (t3 - t2) / 1e6, (t4 - t3) / 1e6, reserveNanos / 1e6, scans);
            reserveNanos = 0;
            scans = 0;
        }
        return new Outcome(m, nStarted, reserved, preempted, started.isEmpty() ? List.of() : List.copyOf(started));
    }

    private void startNow(Job j, long now) {
        int n = j.desc.nodes();
        decisions.start(j, Arrays.copyOf(chosen, n), Arrays.copyOf(chosenGres, n), now);
        for (int i = 0; i < n; i++) occupy(j, chosen[i], chosenGres[i], now, now + j.timeLimitSec);
        started.add(j);
    }

    /**
     * Clears what the pass remembers about jobs that could not start (failed shapes, dominance frontier, full-node
     * cursors, free-CPU bounds). Valid only while resources shrink: called at the start and after a preemption.
     */
    private void resetFailureMemos() {
        epoch++;
        Arrays.fill(cursorCpu, 0);
        Arrays.fill(cursorGres, 0);
        Arrays.fill(failCount, 0);
        for (Partition p : cluster.partitions) {
            int mx = 0;
            for (int n : p.nodes) if (nodes[n].usable()) mx = Math.max(mx, tl[n].cpuNow());
            maxFreeNow[p.idx] = mx;
        }
    }

    // ---- preemption --------------------------------------------------------------------------------------------

    /**
     * One node's part of a preemption plan: the victims that must end there (none if the job fits already) and the
     * one of them most worth keeping (last in {@link #VICTIM_ORDER}), null without victims.
     */
    private record NodePlan(int node, List<Job> victims, Job dearest) {
    }

    /** Fewest victims first, then the plan whose dearest victim is cheapest (lowest priority, youngest). */
    private static final Comparator<NodePlan> PLAN_ORDER = Comparator.<NodePlan>comparingInt(p -> p.victims.size())
            .thenComparing(NodePlan::dearest, Comparator.nullsFirst(VICTIM_ORDER));

    private void buildRunningOn() {
        for (List<Job> l : runningOn) l.clear();
        Set<Job> startedThisPass = Collections.newSetFromMap(new IdentityHashMap<>());
        startedThisPass.addAll(started);
        preemptableRunning = 0;
        for (Job r : view.running()) {
            // a job started in this very pass is never a victim: it would be launched only to be killed
            if (r.state != JobState.RUNNING || r.partition.preemptMode == PreemptMode.OFF || startedThisPass.contains(r)) continue;
            for (int n : r.allocNodes) runningOn.get(n).add(r);
            preemptableRunning++;
        }
        runningOnBuilt = true;
    }

    private boolean preemptable(Job preemptor, Job v) {
        return v.state == JobState.RUNNING && v.partition.preemptMode != PreemptMode.OFF
                && preemptor.qos.preempt.contains(v.qos.name);
    }

    private static long endOf(Job v, long now) {
        return Math.max(now + 1, v.startTime + v.timeLimitSec);
    }

    /** Adds ({@code sign} +1) or takes back (-1) a running job's resources on one node from now to its end. */
    private void release(Job v, int node, long now, int sign) {
        int k = 0;
        while (v.allocNodes[k] != node) k++;
        change(v, node, v.allocGres[k], now, endOf(v, now), sign);
    }

    /**
     * Finds and preempts the cheapest victims that let {@code j} start now; false (nothing changed) when no set of
     * preemptable jobs is enough. Each candidate node is planned on its own: its preemptable jobs are freed in
     * victim order (lowest priority, then youngest) until the job fits, then any that turn out unnecessary are
     * kept running (tried highest priority first). The job's nodes are those needing the fewest victims.
     */
    private boolean preemptFor(Job j, long now) {
        if (!runningOnBuilt) buildRunningOn();
        if (preemptableRunning == 0) return false;
        int[] group = j.nodelistIdx != null ? j.nodelistIdx : j.partition.nodes;
        long end = now + j.timeLimitSec;
        List<NodePlan> plans = new ArrayList<>();
        List<Job> cands = new ArrayList<>();
        for (int node : group) {
            if (!allowed(j, node)) continue;
            if (fitType(j, node, now, end) != -2) {
                plans.add(new NodePlan(node, List.of(), null));
                continue;
            }
            cands.clear();
            for (Job v : runningOn.get(node)) if (preemptable(j, v)) cands.add(v);
            if (cands.isEmpty()) continue;
            cands.sort(VICTIM_ORDER);
            List<Job> freed = new ArrayList<>();
            boolean fits = false;
            for (Job v : cands) {
                release(v, node, now, +1);
                freed.add(v);
                if (fitType(j, node, now, end) != -2) {
                    fits = true;
                    break;
                }
            }
            if (fits) {
                // the last one freed made it fit; an earlier one may be unnecessary
                for (int i = freed.size() - 2; i >= 0; i--) {
                    Job v = freed.get(i);
                    release(v, node, now, -1);
                    if (fitType(j, node, now, end) == -2) release(v, node, now, +1);
                    else freed.remove(i);
                }
            }
            for (Job v : freed) release(v, node, now, -1);
            if (!fits) continue;
            plans.add(new NodePlan(node, freed, Collections.max(freed, VICTIM_ORDER)));
        }
        int need = j.desc.nodes();
        if (plans.size() < need) return false;
        plans.sort(PLAN_ORDER);
        Set<Job> victims = new LinkedHashSet<>();
        for (int i = 0; i < need; i++) victims.addAll(plans.get(i).victims);
        // never preempt for a job that could start without it
        if (victims.isEmpty()) return false;
        for (Job v : victims) {
            for (int node : v.allocNodes) release(v, node, now, +1);
            decisions.preempt(v, j, v.partition.preemptMode, now);
            preempted++;
            preemptableRunning--;
        }
        return true;
    }

    // ---- timelines ---------------------------------------------------------------------------------------------

    private void buildTimelines(long now) {
        for (Node n : nodes) tl[n.idx].reset(now, n.cpus - n.allocCpu, n.memMb - n.allocMem, n.gres, n.allocGres);
        for (Job j : view.running()) {
            if (j.state != JobState.RUNNING) continue;
            long end = Math.max(now + 1, j.startTime + j.timeLimitSec);
            for (int k = 0; k < j.allocNodes.length; k++) change(j, j.allocNodes[k], j.allocGres[k], end, Long.MAX_VALUE, +1);
        }
    }

    private void occupy(Job j, int node, int gres, long from, long to) {
        change(j, node, gres, from, to, -1);
    }

    private void change(Job j, int node, int gres, long from, long to, int sign) {
        Node n = nodes[node];
        Timeline t = tl[node];
        if (j.desc.exclusive()) {
            t.add(from, to, sign * n.cpus, sign * n.memMb, -1, 0);
            for (int g = 0; g < n.gres.length; g++) if (n.gres[g] > 0) t.add(from, to, 0, 0, g, sign * n.gres[g]);
        } else {
            t.add(from, to, sign * j.desc.cpusPerNode(), sign * j.desc.memPerNodeMb(), gres, sign * j.desc.gresPerNode());
        }
    }

    // ---- placement -----------------------------------------------------------------------------------------------

    private boolean allowed(Job j, int node) {
        if (!nodes[node].usable()) return false;
        if (j.nodelistIdx != null && Arrays.binarySearch(j.nodelistIdx, node) < 0) return false;
        return j.excludeIdx == null || Arrays.binarySearch(j.excludeIdx, node) < 0;
    }

    /** GRES type that fits on the node over [s, e), -1 when the job needs none, -2 when nothing fits. */
    private int fitType(Job j, int node, long s, long e) {
        Timeline t = tl[node];
        Node n = nodes[node];
        if (j.desc.exclusive()) {
            if (!t.fitsWhole(s, e, n.cpus, n.memMb, n.gres)) return -2;
            if (j.gres.none()) return -1;
            for (int g : j.gres.choices()) if (n.gres[g] >= j.gres.count()) return g;
            return -2;
        }
        int cpu = j.desc.cpusPerNode();
        long mem = j.desc.memPerNodeMb();
        if (j.gres.none()) return t.fits(s, e, cpu, mem, -1, 0) ? -1 : -2;
        for (int g : j.gres.choices()) {
            if (n.gres[g] >= j.gres.count() && t.fits(s, e, cpu, mem, g, j.gres.count())) return g;
        }
        return -2;
    }

    private void ensureChosen(int n) {
        if (chosen.length < n) {
            chosen = new int[n];
            chosenGres = new int[n];
        }
    }

    private boolean tryStartNow(Job j, long now) {
        int need = j.desc.nodes();
        ensureChosen(need);
        long end = now + j.timeLimitSec;
        Partition p = j.partition;
        if (j.nodelistIdx != null) return firstFit(j, j.nodelistIdx, null, 0, 0, need, now, end) >= need;
        if (j.gres.none()) {
            // the cursors skip nodes without a free CPU; exclusive jobs could use them neither
            int got = firstFit(j, p.cpuOnlyNodes, cursorCpu, p.idx, 0, need, now, end);
            if (got < need) got = firstFit(j, p.gresNodes, cursorGres, p.idx, got, need, now, end);
            return got >= need;
        }
        return bestFitGres(j, p.gresNodes, need, now, end);
    }

    /** First-fit over a node group; the cursor skips nodes with no free CPU now (valid for the whole pass). */
    private int firstFit(Job j, int[] group, int[] cursors, int ci, int got, int need, long now, long end) {
        int start = cursors == null ? 0 : cursors[ci];
        boolean prefixFull = true;
        for (int i = start; i < group.length && got < need; i++) {
            int node = group[i];
            if (prefixFull && cursors != null) {
                if (tl[node].cpuNow() <= 0) {
                    cursors[ci] = i + 1;
                    continue;
                }
                prefixFull = false;
            }
            if (!allowed(j, node)) continue;
            int g = fitType(j, node, now, end);
            if (g == -2) continue;
            chosen[got] = node;
            chosenGres[got] = g;
            got++;
        }
        return got;
    }

    private void ensureCand(int n) {
        if (candNode.length < n) {
            candNode = Arrays.copyOf(candNode, n * 2);
            candGres = Arrays.copyOf(candGres, n * 2);
            candKey = Arrays.copyOf(candKey, n * 2);
        }
    }

    /** Among GRES nodes that fit, take those with the fewest units of the chosen type left afterwards. */
    private boolean bestFitGres(Job j, int[] group, int need, long now, long end) {
        int nc = 0;
        ensureCand(group.length);
        for (int node : group) {
            if (!allowed(j, node)) continue;
            int g = fitType(j, node, now, end);
            if (g < 0) continue;
            long left = tl[node].gresNow(g) - j.gres.count();
            candNode[nc] = node;
            candGres[nc] = g;
            candKey[nc] = (left << 32) | nc;
            nc++;
        }
        if (nc < need) return false;
        Arrays.sort(candKey, 0, nc);
        for (int i = 0; i < need; i++) {
            int ci = (int) (candKey[i] & 0xFFFFFFFFL);
            chosen[i] = candNode[ci];
            chosenGres[i] = candGres[ci];
        }
        return true;
    }

    /**
     * Conservative backfill: finds the earliest time the job fits on enough nodes over its whole time limit and
     * reserves those resources in the timelines, so later (lower-priority) jobs can only use what stays free.
     */
    private boolean reserve(Job j, long now) {
        Partition p = j.partition;
        int[] group = j.nodelistIdx != null ? j.nodelistIdx : p.nodes;
        long dur = j.timeLimitSec;
        long horizon = now + cfg.backfillWindowSec;
        int nc = 0;
        ensureCand(group.length);
        for (int node : group) {
            if (!allowed(j, node)) continue;
            long e = earliestOn(j, node, dur, horizon);
            if (e < 0) continue;
            candNode[nc] = node;
            candKey[nc] = e;
            nc++;
        }
        int need = j.desc.nodes();
        if (nc < need) return false;
        ensureChosen(need);
        long startAt = -1;
        if (need == 1) {
            int best = 0;
            for (int i = 1; i < nc; i++) if (candKey[i] < candKey[best]) best = i;
            startAt = candKey[best];
            chosen[0] = candNode[best];
            chosenGres[0] = fitType(j, chosen[0], startAt, startAt + dur);
        } else {
            long[] times = Arrays.copyOf(candKey, nc);
            Arrays.sort(times);
            int tries = 0;
            for (int ti = need - 1; ti < nc && tries < 64; ti++) {
                long s = times[ti];
                if (ti > need - 1 && s == times[ti - 1]) continue;
                tries++;
                int got = 0;
                for (int i = 0; i < nc && got < need; i++) {
                    if (candKey[i] > s) continue;
                    int g = fitType(j, candNode[i], s, s + dur);
                    if (g == -2) continue;
                    chosen[got] = candNode[i];
                    chosenGres[got] = g;
                    got++;
                }
                if (got >= need) {
                    startAt = s;
                    break;
                }
            }
        }
        if (startAt < 0) return false;
        for (int i = 0; i < need; i++) occupy(j, chosen[i], chosenGres[i], startAt, startAt + dur);
        j.expectedStart = startAt;
        return true;
    }

    private long earliestOn(Job j, int node, long dur, long horizon) {
        Timeline t = tl[node];
        Node n = nodes[node];
        if (j.desc.exclusive()) {
            if (!j.gres.none()) {
                boolean ok = false;
                for (int g : j.gres.choices()) ok |= n.gres[g] >= j.gres.count();
                if (!ok) return -1;
            }
            return t.earliest(n.cpus, n.memMb, -1, 0, dur, horizon, true, n.gres);
        }
        if (j.desc.cpusPerNode() > n.cpus || j.desc.memPerNodeMb() > n.memMb) return -1;
        if (j.gres.none()) return t.earliest(j.desc.cpusPerNode(), j.desc.memPerNodeMb(), -1, 0, dur, horizon, false, null);
        long best = -1;
        for (int g : j.gres.choices()) {
            if (n.gres[g] < j.gres.count()) continue;
            long e = t.earliest(j.desc.cpusPerNode(), j.desc.memPerNodeMb(), g, j.gres.count(), dur, horizon, false, null);
            if (e >= 0 && (best < 0 || e < best)) best = e;
        }
        return best;
    }
}
