package org.scow.crane.ctld;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import org.scow.crane.ctld.account.Account;
import org.scow.crane.ctld.account.AccountStore;
import org.scow.crane.ctld.model.ArrayGroup;
import org.scow.crane.ctld.model.ArraySpec;
import org.scow.crane.ctld.model.Dependency;
import org.scow.crane.ctld.model.GresRegistry;
import org.scow.crane.ctld.model.Job;
import org.scow.crane.ctld.model.JobDesc;
import org.scow.crane.ctld.model.Node;
import org.scow.crane.ctld.model.PendingReason;
import org.scow.crane.ctld.model.PreemptMode;
import org.scow.crane.ctld.model.Shape;
import org.scow.crane.ctld.util.HostList;
import org.scow.crane.ctld.wal.Event;
import org.scow.crane.protocol.JobState;

/**
 * The live jobs and what they hold: the job maps and queues, array groups, node allocations, QoS counters and
 * fair-share usage, with the finished ones in a {@link HistoryWindow}.
 *
 * <p>Its {@code apply*} methods are the state transitions of the events, used alike by the live path (after the
 * controller validated and before it journals) and by replay (with the recorded times, never re-validating), which
 * is what makes replay rebuild exactly the acknowledged state. It checks no permissions and writes no log: that is
 * the controller's job. Guarded by the controller lock.
 */
final class JobTable implements SchedulerView {
    private final CtldConfig cfg;
    private final CtldConfig.Cluster cluster;
    private final AccountStore acct;
    private final HashMap<Long, Job> live = new HashMap<>();
    private final ArrayList<Job> pending = new ArrayList<>();
    private final List<Job> pendingView = Collections.unmodifiableList(pending);
    /** A requeued job was appended to {@link #pending} out of id order; the next compaction sorts it in. */
    private boolean pendingOutOfOrder;
    private final ArrayList<Job> running = new ArrayList<>();
    private final List<Job> runningView = Collections.unmodifiableList(running);
    private final HashMap<Long, ArrayGroup> arrays = new HashMap<>();
    private final HashMap<Shape, Shape> shapes = new HashMap<>();
    private final HistoryWindow history;
    private long nextJobId = 1;
    private int pendingCount;

    JobTable(CtldConfig cfg, CtldConfig.Cluster cluster, AccountStore acct) {
        this.cfg = cfg;
        this.cluster = cluster;
        this.acct = acct;
        this.history = new HistoryWindow(cfg, cluster.nodes, this::forgetArrayOf);
    }

    HistoryWindow history() {
        return history;
    }

    // ---- reads --------------------------------------------------------------------------------------------------

    Job live(long id) {
        return live.get(id);
    }

    /** The live jobs, in no order; read-only. */
    Collection<Job> liveJobs() {
        return Collections.unmodifiableCollection(live.values());
    }

    int liveCount() {
        return live.size();
    }

    @Override
    public List<Job> pending() {
        return pendingView;
    }

    /** Running jobs, plus entries that ended since the last compaction (test {@code state}). */
    @Override
    public List<Job> running() {
        return runningView;
    }

    @Override
    public AccountStore accounts() {
        return acct;
    }

    int pendingCount() {
        return pendingCount;
    }

    long nextJobId() {
        return nextJobId;
    }

    void setNextJobId(long id) {
        nextJobId = id;
    }

    /** Whether a dependency may name {@code id}: a live job, a finished one still in memory, or an array. */
    boolean dependable(long id) {
        return live.containsKey(id) || history.contains(id) || arrays.containsKey(id);
    }

    /** A live job, or one finished still in the memory window; null otherwise. */
    Job liveOrRecent(long id) {
        Job j = live.get(id);
        return j != null ? j : history.get(id);
    }

    Collection<ArrayGroup> arrays() {
        return Collections.unmodifiableCollection(arrays.values());
    }

    // ---- submission -----------------------------------------------------------------------------------------------

    /** Creates the job (or array tasks) for an already validated description; used live and in replay. */
    int insertSubmitted(JobDesc d, long firstId, long now) {
        int[] idx = d.arraySpec() == null ? null : ArraySpec.parse("array", d.arraySpec(), Integer.MAX_VALUE).indices();
        int tasks = idx == null ? 1 : idx.length;
        ArrayGroup group = null;
        if (idx != null) {
            group = new ArrayGroup(firstId, ArraySpec.parse("array", d.arraySpec(), Integer.MAX_VALUE).maxConcurrent(), tasks);
            arrays.put(firstId, group);
        }
        for (int i = 0; i < tasks; i++) {
            Job j = new Job(firstId + i, d, idx == null ? 0 : firstId, idx == null ? -1 : idx[i], now);
            j.group = group;
            resolve(j);
            addLive(j);
        }
        nextJobId = Math.max(nextJobId, firstId + tasks);
        return tasks;
    }

    /** Fills the resolved references of a job from its description. */
    private void resolve(Job j) {
        JobDesc d = j.desc;
        j.partition = cluster.partitionByName.get(d.partition());
        if (j.partition == null) throw new IllegalStateException("job " + j.id + ": partition '" + d.partition() + "' is no longer configured");
        j.account = acct.account(d.account());
        if (j.account == null) throw new IllegalStateException("job " + j.id + ": unknown account '" + d.account() + "'");
        j.member = j.account.members.get(d.user());
        j.qos = acct.qos(d.qos());
        if (j.qos == null) throw new IllegalStateException("job " + j.id + ": unknown QoS '" + d.qos() + "'");
        j.qosUser = j.qos.userCounter(d.user());
        j.qosAccount = j.qos.accountCounter(d.account());
        j.gres = d.gresSpec() == null ? GresRegistry.Request.NONE : cluster.gres.parseRequest("gres", d.gresSpec());
        j.nodelistIdx = d.nodelist() == null ? null : sortedIdx(d.nodelist());
        j.excludeIdx = d.exclude() == null ? null : sortedIdx(d.exclude());
        j.dependency = Dependency.parse("dependency", d.dependency());
        reshape(j);
    }

    private int[] sortedIdx(String spec) {
        List<String> names = HostList.expand("nodes", spec);
        int[] a = new int[names.size()];
        for (int i = 0; i < a.length; i++) {
            Integer x = cluster.nodeIndex.get(names.get(i));
            a[i] = x == null ? -1 : x;
        }
        Arrays.sort(a);
        return a;
    }

    private void reshape(Job j) {
        if (j.nodelistIdx != null || j.excludeIdx != null) {
            j.shape = null;
            return;
        }
        Shape s = new Shape(j.partition.idx, j.desc.nodes(), j.desc.cpusPerNode(), j.desc.memPerNodeMb(), j.gres,
                j.desc.exclusive(), j.timeLimitSec);
        j.shape = shapes.computeIfAbsent(s, x -> x);
    }

    private void addLive(Job j) {
        live.put(j.id, j);
        if (j.state == JobState.PENDING) {
            pending.add(j);
            j.queued = true;
            pendingCount++;
        }
        j.qosUser.submitted++;
        j.qosAccount.submitted++;
        j.account.liveJobs++;
        if (j.member != null) j.member.liveJobs++;
    }

    // ---- job life cycle ---------------------------------------------------------------------------------------------

    private int allocCpus(Job j) {
        if (!j.desc.exclusive()) return j.desc.totalCpus();
        int s = 0;
        for (int n : j.allocNodes) s += cluster.nodes[n].cpus;
        return s;
    }

    private int allocGpus(Job j) {
        if (!j.desc.exclusive()) return j.desc.gresPerNode() * j.desc.nodes();
        int s = 0;
        for (int n : j.allocNodes) s += cluster.nodes[n].gpuTotal();
        return s;
    }

    private double rate(Job j) {
        return allocCpus(j) + cfg.gpuUsageWeight * allocGpus(j);
    }

    /** Allocates the nodes and marks the job running. */
    void applyStart(Job j, int[] nodes, int[] gres, long now) {
        j.state = JobState.RUNNING;
        j.reason = PendingReason.NONE;
        j.startTime = now;
        j.allocNodes = nodes;
        j.allocGres = gres;
        j.expectedStart = 0;
        j.preemptedBy = 0;
        pendingCount--;
        running.add(j);
        for (int k = 0; k < nodes.length; k++) allocate(j, cluster.nodes[nodes[k]], gres[k], 1);
        int cpus = allocCpus(j);
        j.qosUser.running++;
        j.qosUser.runningCpus += cpus;
        j.qosAccount.running++;
        j.qosAccount.runningCpus += cpus;
        if (j.group != null) {
            j.group.running++;
            j.group.started++;
        }
        double r = rate(j);
        j.account.runRate += r;
        j.account.runRateStartSum += r * now;
    }

    private void allocate(Job j, Node n, int gresType, int sign) {
        if (j.desc.exclusive()) {
            n.allocCpu += sign * n.cpus;
            n.allocMem += sign * n.memMb;
            for (int g = 0; g < n.gres.length; g++) n.allocGres[g] += sign * n.gres[g];
        } else {
            n.allocCpu += sign * j.desc.cpusPerNode();
            n.allocMem += sign * j.desc.memPerNodeMb();
            if (gresType >= 0) n.allocGres[gresType] += sign * j.desc.gresPerNode();
        }
        n.jobs += sign;
    }

    /** Ends a pending or running job: frees resources, charges usage, moves it to history. */
    void applyEnd(Job j, JobState state, int exitCode, long now) {
        boolean wasRunning = j.state == JobState.RUNNING;
        if (wasRunning) releaseRunning(j, now);
        else pendingCount--;
        j.preemptedBy = 0; // a requeued victim ending otherwise was not ended by preemption
        j.state = state;
        j.exitCode = exitCode;
        j.endTime = now;
        live.remove(j.id);
        j.qosUser.submitted--;
        j.qosAccount.submitted--;
        j.account.liveJobs--;
        if (j.member != null) j.member.liveJobs--;
        if (j.group != null) {
            j.group.finished++;
            if (state == JobState.COMPLETED) j.group.completedOk++;
        }
        history.finished(j, now);
    }

    private void releaseRunning(Job j, long now) {
        for (int k = 0; k < j.allocNodes.length; k++) allocate(j, cluster.nodes[j.allocNodes[k]], j.allocGres[k], -1);
        int cpus = allocCpus(j);
        j.qosUser.running--;
        j.qosUser.runningCpus -= cpus;
        j.qosAccount.running--;
        j.qosAccount.runningCpus -= cpus;
        if (j.group != null) j.group.running--;
        double r = rate(j);
        Account a = j.account;
        a.runRate -= r;
        a.runRateStartSum -= r * j.startTime;
        chargeUsage(a, r * Math.max(0, now - j.startTime), now);
    }

    private void chargeUsage(Account a, double amount, long t) {
        double h = cfg.fairShareHalfLifeSec;
        if (t >= a.usageTime) {
            a.usage = a.usage * Math.pow(2, -(t - a.usageTime) / h) + amount;
            a.usageTime = t;
        } else {
            a.usage += amount * Math.pow(2, -(a.usageTime - t) / h);
        }
    }

    /**
     * Puts a job back in the queue under its id. {@code holdAfterMax}: past {@code MaxRequeue} requeues it is held
     * (a job that keeps failing its nodes); preemption passes false, since being displaced is not the job's fault.
     */
    void applyRequeue(Job j, long now, boolean holdAfterMax) {
        if (j.state == JobState.RUNNING) releaseRunning(j, now);
        j.state = JobState.PENDING;
        j.requeueCount++;
        j.allocNodes = null;
        j.allocGres = null;
        j.startTime = 0;
        if (holdAfterMax && j.requeueCount > cfg.maxRequeue) {
            j.held = true;
            j.heldByAdmin = true;
        }
        if (!j.queued) {
            // appended now (a scheduling pass may be walking the list by index: preemption requeues during it); the
            // next compaction puts it back to its own place, so it does not fall behind later jobs of its priority
            pending.add(j);
            j.queued = true;
            pendingOutOfOrder = true;
        }
        pendingCount++;
    }

    void applyPreempt(Job victim, long preemptorId, PreemptMode mode, long now) {
        if (victim.state != JobState.RUNNING) throw new IllegalStateException("job " + victim.id + " preempted while " + victim.state);
        switch (mode) {
            case CANCEL -> applyEnd(victim, JobState.CANCELLED, 0, now);
            case REQUEUE -> {
                applyRequeue(victim, now, false);
                victim.reason = PendingReason.PREEMPTED;
            }
            default -> throw new IllegalStateException("preemption with mode " + mode);
        }
        victim.preemptedBy = preemptorId;
    }

    void applyModify(Job j, int field, long value) {
        switch (field) {
            case Event.MOD_HOLD -> j.held = true;
            case Event.MOD_HOLD_ADMIN -> {
                j.held = true;
                j.heldByAdmin = true;
            }
            case Event.MOD_RELEASE -> {
                j.held = false;
                j.heldByAdmin = false;
            }
            case Event.MOD_TIME_LIMIT -> {
                j.timeLimitSec = value;
                reshape(j);
            }
            case Event.MOD_NICE -> j.nice = (int) value;
            case Event.MOD_PRIORITY -> {
                j.adminPriority = value;
                if (value > 0) {
                    j.priority = value; // shown at once, not only after the next scheduling pass
                }
            }
            default -> throw new IllegalStateException("bad modify field " + field);
        }
    }

    void applyNode(int idx, int op, String reason) {
        Node n = cluster.nodes[idx];
        switch (op) {
            case Event.NODE_DOWN -> {
                n.down = true;
                n.reason = reason;
            }
            case Event.NODE_DRAIN -> {
                n.drain = true;
                n.reason = reason;
            }
            case Event.NODE_RESUME -> {
                n.down = false;
                n.drain = false;
                n.reason = null;
            }
            default -> throw new IllegalStateException("bad node op " + op);
        }
    }

    void applyPartition(int idx, boolean up) {
        cluster.partitions[idx].up = up;
    }

    /** Drops finished or started entries from the pending and running lists (before a pass). */
    void compactQueues() {
        if (pendingOutOfOrder) {
            // submission (id) order, which the scheduler's tie-break between equal priorities follows; TimSort
            // merges the few requeued jobs into the long sorted run in linear time
            pending.sort(Comparator.comparingLong(x -> x.id));
            pendingOutOfOrder = false;
        }
        int w = 0;
        for (int i = 0; i < pending.size(); i++) {
            Job j = pending.get(i);
            if (j.state == JobState.PENDING) pending.set(w++, j);
            else j.queued = false;
        }
        pending.subList(w, pending.size()).clear();
        w = 0;
        for (int i = 0; i < running.size(); i++) {
            Job j = running.get(i);
            if (j.state == JobState.RUNNING) running.set(w++, j);
        }
        running.subList(w, running.size()).clear();
    }

    /** An array group is forgotten once its first task leaves the history window after all its tasks finished. */
    private void forgetArrayOf(Job old) {
        ArrayGroup g = old.arrayJobId != 0 ? arrays.get(old.arrayJobId) : null;
        if (g != null && g.finished == g.total && old.id == old.arrayJobId) arrays.remove(old.arrayJobId);
    }

    // ---- snapshot restore ---------------------------------------------------------------------------------------------

    void restoreArray(ArrayGroup g) {
        arrays.put(g.arrayJobId, g);
    }

    /** Re-creates a job decoded from a snapshot: live ones with their allocation, finished ones into the window. */
    void restoreJob(Job j, boolean finished) {
        if (j.arrayJobId != 0) j.group = arrays.get(j.arrayJobId);
        if (finished) {
            try {
                resolve(j);
            } catch (RuntimeException e) {
                // history entry of a since-removed partition/account: keep it unresolved for queries
            }
            history.restore(j);
            return;
        }
        resolve(j);
        JobState st = j.state;
        j.state = JobState.PENDING;
        addLive(j);
        if (st == JobState.RUNNING) {
            int started = j.group == null ? 0 : j.group.started;
            applyStart(j, j.allocNodes, j.allocGres, j.startTime);
            if (j.group != null) j.group.started = started;
        }
    }

    // ---- dependencies -------------------------------------------------------------------------------------------------

    /** Evaluates a job's dependencies (remembering once they are satisfied). */
    @Override
    public Dependency.Status dependencyStatus(Job j) {
        Dependency d = j.dependency;
        if (d == null || j.depsOk) return Dependency.Status.SATISFIED;
        boolean anyWaiting = false;
        boolean anySat = false;
        boolean anyNever = false;
        for (int i = 0; i < d.ids().length; i++) {
            Dependency.Status s = term(d.types()[i], d.ids()[i]);
            if (s == Dependency.Status.SATISFIED) anySat = true;
            else if (s == Dependency.Status.NEVER) anyNever = true;
            else anyWaiting = true;
        }
        Dependency.Status r;
        if (d.or()) r = anySat ? Dependency.Status.SATISFIED : anyWaiting ? Dependency.Status.WAITING : Dependency.Status.NEVER;
        else r = anyNever ? Dependency.Status.NEVER : anyWaiting ? Dependency.Status.WAITING : Dependency.Status.SATISFIED;
        if (r == Dependency.Status.SATISFIED) j.depsOk = true;
        return r;
    }

    private Dependency.Status term(int type, long id) {
        ArrayGroup g = arrays.get(id);
        if (g != null) {
            boolean nonePending = g.running + g.finished >= g.total;
            boolean allDone = g.finished >= g.total;
            return switch (type) {
                case Dependency.AFTER -> nonePending ? Dependency.Status.SATISFIED : Dependency.Status.WAITING;
                case Dependency.AFTER_ANY -> allDone ? Dependency.Status.SATISFIED : Dependency.Status.WAITING;
                case Dependency.AFTER_OK -> g.finished > g.completedOk ? Dependency.Status.NEVER
                        : allDone ? Dependency.Status.SATISFIED : Dependency.Status.WAITING;
                default -> !allDone ? Dependency.Status.WAITING
                        : g.completedOk < g.total ? Dependency.Status.SATISFIED : Dependency.Status.NEVER;
            };
        }
        Job t = liveOrRecent(id);
        if (t == null) {
            return type == Dependency.AFTER || type == Dependency.AFTER_ANY ? Dependency.Status.SATISFIED : Dependency.Status.NEVER;
        }
        boolean done = t.state.finished();
        return switch (type) {
            case Dependency.AFTER -> t.state != JobState.PENDING ? Dependency.Status.SATISFIED : Dependency.Status.WAITING;
            case Dependency.AFTER_ANY -> done ? Dependency.Status.SATISFIED : Dependency.Status.WAITING;
            case Dependency.AFTER_OK -> !done ? Dependency.Status.WAITING
                    : t.state == JobState.COMPLETED ? Dependency.Status.SATISFIED : Dependency.Status.NEVER;
            default -> !done ? Dependency.Status.WAITING
                    : t.state != JobState.COMPLETED ? Dependency.Status.SATISFIED : Dependency.Status.NEVER;
        };
    }
}
