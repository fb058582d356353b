package org.scow.crane.ctld;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiConsumer;
import java.util.function.Predicate;
import org.scow.crane.ctld.account.Account;
import org.scow.crane.ctld.account.AccountStore;
import org.scow.crane.ctld.account.AdminLevel;
import org.scow.crane.protocol.JobUserPolicy;
import org.scow.crane.ctld.account.Membership;
import org.scow.crane.ctld.account.Qos;
import org.scow.crane.ctld.history.HistoryStore;
import org.scow.crane.ctld.model.ArrayGroup;
import org.scow.crane.ctld.model.ArraySpec;
import org.scow.crane.ctld.model.Dependency;
import org.scow.crane.ctld.model.GresRegistry;
import org.scow.crane.ctld.model.Job;
import org.scow.crane.ctld.model.JobDesc;
import org.scow.crane.ctld.model.JobRequest;
import org.scow.crane.protocol.JobState;
import org.scow.crane.ctld.model.Node;
import org.scow.crane.ctld.model.NodeState;
import org.scow.crane.ctld.model.Partition;
import org.scow.crane.ctld.model.PendingReason;
import org.scow.crane.ctld.model.PreemptMode;
import org.scow.crane.ctld.model.Shape;
import org.scow.crane.ctld.util.Buf;
import org.scow.crane.ctld.util.BufReader;
import org.scow.crane.ctld.util.HostList;
import org.scow.crane.ctld.util.TimeSpec;
import org.scow.crane.ctld.wal.SnapshotFile;
import org.scow.crane.ctld.wal.Wal;

/**
 * The controller core (cranectld): queue, accounts/QoS, scheduling and persistence, as a plain Java object.
 *
 * <p><b>State machine.</b> Every change is one <em>event</em> (submit, start, end, requeue, modify, node, partition,
 * account op, preempt). A public method validates fully, applies the event in memory and appends it to the WAL while holding
 * the controller lock, then — outside the lock — waits until the record is fsynced before returning. Replay after a
 * restart applies the same events with their recorded times and ids, so it rebuilds exactly the acknowledged state.
 * Cascading effects (a node going down failing its jobs) are logged as their own events.
 *
 * <p><b>Identity.</b> Every method takes the {@code actor}: the caller's identity as proven by the protocol layer
 * (never a request field). Permissions are checked here: users act on their own jobs; account coordinators on their
 * account subtree; operators on the account system and nodes; admins on everything.
 */
public final class Controller implements AutoCloseable {
    static final int EV_SUBMIT = 1;
    static final int EV_START = 2;
    static final int EV_END = 3;
    static final int EV_REQUEUE = 4;
    static final int EV_MODIFY = 5;
    static final int EV_NODE = 6;
    static final int EV_ACCT = 7;
    static final int EV_PARTITION = 8;
    static final int EV_PREEMPT = 9;

    static final int MOD_HOLD = 0;
    static final int MOD_HOLD_ADMIN = 1;
    static final int MOD_RELEASE = 2;
    static final int MOD_TIME_LIMIT = 3;
    static final int MOD_NICE = 4;
    static final int MOD_PRIORITY = 5;

    static final int NODE_DOWN = 0;
    static final int NODE_DRAIN = 1;
    static final int NODE_RESUME = 2;

    final CtldConfig cfg;
    final CtldConfig.Cluster cluster;
    final Clock clock;
    final ReentrantLock lock = new ReentrantLock();
    final AccountStore acct;
    final HashMap<Long, Job> live = new HashMap<>();
    final ArrayList<Job> pending = new ArrayList<>();
    /** A requeued job was appended to {@link #pending} out of id order; the next compaction sorts it in. */
    private boolean pendingOutOfOrder;
    final ArrayList<Job> running = new ArrayList<>();
    /** The recent window of finished jobs kept in memory (all history when there is no StateDir). */
    final ArrayList<Job> history = new ArrayList<>();
    int historyHead;
    final HashMap<Long, Job> historyById = new HashMap<>();
    /** Durable history of finished jobs (StateDir/history); null in memory. */
    private HistoryStore historyStore;
    /** Finished jobs so far: the sequence number of the last one, which identifies history records across restarts. */
    private long historySeq;
    /** Jobs ended by the event being applied, handed to the history store with that event's LSN once it is logged. */
    private final ArrayList<Job> endedUnlogged = new ArrayList<>();
    private final ArrayList<Long> endedUnloggedSeq = new ArrayList<>();
    final HashMap<Long, ArrayGroup> arrays = new HashMap<>();
    final HashMap<Shape, Shape> shapes = new HashMap<>();
    final Scheduler scheduler;
    long nextJobId = 1;
    int pendingCount;
    private final Buf eb = new Buf(4096);
    private Wal wal;
    private long recordsSinceSnapshot;
    private volatile Launcher launcher = Launcher.NONE;
    private final List<String> txnLog = new ArrayList<>();
    private boolean replaying;
    private long lastLsn;
    private final List<Job> toTerminate = new ArrayList<>();
    /** System accounts never run jobs: checked at every submission (replay does not re-validate). */
    private final JobUserPolicy userPolicy;

    /** A submission outcome: the job id (the array job id for arrays) and the number of tasks created. */
    public record Submitted(long jobId, int tasks) {
    }

    /** Result of one scheduling pass. */
    public record PassStats(int considered, int started, int reserved, int timedOut, long nanos, int preempted) {
    }

    public Controller(CtldConfig cfg, Clock clock) throws IOException {
        this.cfg = cfg;
        this.clock = clock;
        this.cluster = cfg.buildCluster();
        this.acct = new AccountStore(cluster.partitionByName::containsKey);
        this.scheduler = new Scheduler(this);
        this.userPolicy = cfg.jobUserPolicy();
        if (cfg.stateDir != null) recover(cfg.stateDir);
    }

    public void setLauncher(Launcher l) {
        launcher = l == null ? Launcher.NONE : l;
    }

    public CtldConfig.Cluster cluster() {
        return cluster;
    }

    // =========================================================================================================
    // Submission
    // =========================================================================================================

    public Submitted submit(String actor, JobRequest r) {
        List<Object> out = submitBatch(actor, List.of(r));
        Object o = out.get(0);
        if (o instanceof CtldException e) throw e;
        return (Submitted) o;
    }

    /**
     * Submits many jobs with one durable flush. Returns, per request in order, a {@link Submitted} or the
     * {@link CtldException} that refused it; refused requests change nothing.
     */
    public List<Object> submitBatch(String actor, List<JobRequest> reqs) {
        List<Object> out = new ArrayList<>(reqs.size());
        awaitDurable(submitLogged(actor, reqs, out));
        return out;
    }

    /**
     * As {@link #submitBatch}, but returns at once: {@code then} gets the outcomes once they are durable (on the
     * WAL's writer thread, or on this one if nothing had to be written), or the failure that lost them. For servers
     * that answer without parking a thread per request.
     */
    public void submitBatchThen(String actor, List<JobRequest> reqs, BiConsumer<List<Object>, RuntimeException> then) {
        List<Object> out = new ArrayList<>(reqs.size());
        long lsn = submitLogged(actor, reqs, out);
        if (wal == null || lsn < 0) {
            then.accept(out, null);
        } else {
            wal.whenDurable(lsn, failure -> then.accept(out, failure));
        }
    }

    /** Validates, applies and logs the requests; fills {@code out}; answers the last LSN written, or -1. */
    private long submitLogged(String actor, List<JobRequest> reqs, List<Object> out) {
        long lsn = -1;
        // the password database is asked here, outside the lock (a getent per new user), not inside validate
        String lastUser = null;
        for (JobRequest r : reqs) {
            String u = r == null ? null : r.user != null ? r.user : actor;
            if (u != null && !u.equals(lastUser)) userPolicy.warm(u);
            lastUser = u;
        }
        lock.lock();
        try {
            long now = clock.nowSec();
            for (JobRequest r : reqs) {
                try {
                    JobDesc d = validate(actor, r, now);
                    long id = nextJobId;
                    int tasks = insertSubmitted(d, id, now);
                    eb.reset().u8(EV_SUBMIT).var(now).str(actor).var(id);
                    d.write(eb);
                    lsn = log();
                    out.add(new Submitted(id, tasks));
                } catch (CtldException e) {
                    out.add(e);
                }
            }
        } finally {
            lock.unlock();
        }
        return lsn;
    }

    private JobDesc validate(String actor, JobRequest r, long now) {
        if (r == null) throw CtldException.invalid("request", "missing");
        if (actor == null) throw CtldException.denied("no caller identity");
        String user = r.user != null ? r.user : actor;
        checkName("user", user);
        if (!user.equals(actor) && acct.level(actor).compareTo(AdminLevel.OPERATOR) < 0) {
            throw CtldException.denied("'" + actor + "' may not submit jobs as '" + user + "'");
        }
        String systemUser = userPolicy.refusal(user);
        if (systemUser != null) throw CtldException.systemUser(systemUser);
        checkText("name", r.name, 200, true);
        Partition p;
        if (r.partition == null) p = cluster.defaultPartition;
        else {
            p = cluster.partitionByName.get(r.partition);
            if (p == null) throw CtldException.notFound("partition", "no partition '" + r.partition + "'");
        }
        String accountName = r.account;
        if (accountName == null) {
            var u = acct.user(user);
            if (u == null || u.memberships.isEmpty()) throw CtldException.invalid("account", "no account given and user '" + user + "' has none");
            accountName = u.memberships.keySet().iterator().next();
        }
        Account a = acct.account(accountName);
        if (a == null) throw CtldException.notFound("account", "no account '" + accountName + "'");
        Membership m = a.members.get(user);
        if (m == null) throw CtldException.denied("user '" + user + "' is not in account '" + a.name + "'");
        Account b = a.blockedAncestor();
        if (b != null) throw new CtldException(CtldException.Code.BLOCKED, "account", "account '" + b.name + "' is blocked"
                + (b == a ? "" : " (parent of '" + a.name + "')") + "; new jobs are not accepted");
        b = a.blockedIn(p.name);
        if (b != null) throw new CtldException(CtldException.Code.BLOCKED, "account", "account '" + b.name
                + "' is blocked in partition '" + p.name + "'; new jobs are not accepted there");
        if (m.blocked) throw new CtldException(CtldException.Code.BLOCKED, "user", "user '" + user
                + "' is blocked in account '" + a.name + "'; new jobs are not accepted");
        if (!m.partitionAllowed(p.name)) throw CtldException.denied("user '" + user + "' in account '" + a.name
                + "' may not use partition '" + p.name + "'");
        String qosName = r.qos != null ? r.qos : m.effectiveDefaultQos();
        Qos q = acct.qos(qosName);
        if (q == null) throw CtldException.notFound("qos", "no QoS '" + qosName + "'");
        if (!m.qosAllowed(q.name)) throw CtldException.denied("QoS '" + q.name + "' is not allowed for user '" + user
                + "' in account '" + a.name + "'");

        int nodes = positive("nodes", r.nodes, 1);
        int cpusPerTask = positive("cpusPerTask", r.cpusPerTask, 1);
        Integer tpn = r.ntasksPerNode == null ? null : positive("ntasksPerNode", r.ntasksPerNode, 1);
        Integer nt = r.ntasks == null ? null : positive("ntasks", r.ntasks, 1);
        int tasksPerNode;
        int ntasks;
        if (tpn != null) {
            tasksPerNode = tpn;
            ntasks = nt != null ? nt : nodes * tpn;
            if ((long) nodes * tpn < ntasks) throw CtldException.invalid("ntasks", ntasks + " tasks do not fit " + nodes + " node(s) x " + tpn + " per node");
        } else {
            ntasks = nt != null ? nt : nodes;
            tasksPerNode = (ntasks + nodes - 1) / nodes;
        }
        if (ntasks < nodes) throw CtldException.invalid("ntasks", ntasks + " tasks cannot use " + nodes + " nodes");
        long cpn = (long) tasksPerNode * cpusPerTask;
        if (cpn > 1_000_000) throw CtldException.invalid("cpusPerTask", "more than 1000000 CPUs per node requested");
        int cpusPerNode = (int) cpn;
        if (r.mem != null && r.memPerCpu != null) throw CtldException.invalid("mem", "give mem or memPerCpu, not both");
        // neither mem nor memPerCpu: the partition's default per CPU (Slurm's DefMemPerCPU), never 0 MiB
        long memPerCpu = r.memPerCpu != null ? TimeSpec.parseMemMb("memPerCpu", r.memPerCpu)
                : r.mem == null ? p.defMemPerCpuMb : 0;
        long memPerNode = r.mem != null ? TimeSpec.parseMemMb("mem", r.mem) : memPerCpu * cpusPerNode;
        GresRegistry.Request gres = cluster.gres.parseRequest("gres", r.gres);
        long limit = r.timeLimit != null ? TimeSpec.parseDuration("timeLimit", r.timeLimit) : p.defaultTimeSec;
        if (p.maxTimeSec > 0 && limit > p.maxTimeSec) throw new CtldException(CtldException.Code.LIMIT_EXCEEDED, "timeLimit",
                "time limit " + TimeSpec.formatDuration(limit) + " exceeds partition '" + p.name + "' maximum " + TimeSpec.formatDuration(p.maxTimeSec));
        if (q.maxWallSec > 0 && limit > q.maxWallSec) throw new CtldException(CtldException.Code.LIMIT_EXCEEDED, "timeLimit",
                "time limit " + TimeSpec.formatDuration(limit) + " exceeds QoS '" + q.name + "' max wall " + TimeSpec.formatDuration(q.maxWallSec));
        if (r.workDir == null || !r.workDir.startsWith("/")) throw CtldException.invalid("workDir", "must be an absolute path");
        checkText("workDir", r.workDir, 4096, false);
        if (r.script == null || r.script.isBlank()) throw CtldException.invalid("script", "must not be empty");
        if (r.script.length() > cfg.maxScriptBytes || r.script.indexOf('\0') >= 0) {
            throw CtldException.invalid("script", "must be text of at most " + cfg.maxScriptBytes + " bytes");
        }
        String[] env = new String[r.env == null ? 0 : r.env.size()];
        if (env.length > 10000) throw CtldException.invalid("env", "more than 10000 variables");
        int k = 0;
        if (r.env != null) {
            for (Map.Entry<String, String> e : r.env.entrySet()) {
                if (e.getKey() == null || !e.getKey().matches("[A-Za-z_][A-Za-z0-9_]{0,255}")) {
                    throw CtldException.invalid("env", "bad variable name '" + e.getKey() + "'");
                }
                String v = e.getValue() == null ? "" : e.getValue();
                if (v.indexOf('\0') >= 0 || v.length() > 131072) throw CtldException.invalid("env", "bad value of " + e.getKey());
                env[k++] = e.getKey() + "=" + v;
            }
        }
        checkText("stdout", r.stdout, 4096, false);
        checkText("stderr", r.stderr, 4096, false);
        checkText("comment", r.comment, 1024, false);
        ArraySpec arr = r.array == null ? null : ArraySpec.parse("array", r.array, cfg.maxArraySize);
        int tasks = arr == null ? 1 : arr.indices().length;
        Dependency dep = Dependency.parse("dependency", r.dependency);
        if (dep != null) {
            for (long id : dep.ids()) {
                if (!live.containsKey(id) && !historyById.containsKey(id) && !arrays.containsKey(id)) {
                    throw CtldException.notFound("dependency", "no job " + id);
                }
            }
        }
        if (r.beginTime < 0) throw CtldException.invalid("beginTime", "must not be negative");
        int[] nl = nodeIndices("nodelist", r.nodelist, p);
        int[] ex = nodeIndices("exclude", r.exclude, p);
        // feasibility: enough nodes of the partition could ever hold one node's share
        int fit = 0;
        for (int n : nl != null ? nl : p.nodes) {
            if (ex != null && Arrays.binarySearch(ex, n) >= 0) continue;
            Node node = cluster.nodes[n];
            if (node.cpus < cpusPerNode || node.memMb < memPerNode) continue;
            if (!gres.none()) {
                boolean any = false;
                for (int c : gres.choices()) any |= node.gres[c] >= gres.count();
                if (!any) continue;
            }
            fit++;
        }
        if (fit < nodes) {
            throw new CtldException(CtldException.Code.IMPOSSIBLE, "resources", "requests " + nodes + " node(s) with "
                    + cpusPerNode + " CPU(s), " + memPerNode + " MiB" + (gres.none() ? "" : ", " + gres.count() + " x " + r.gres)
                    + " each, but partition '" + p.name + "' has only " + fit + " such node(s)"
                    + (nl != null || ex != null ? " after nodelist/exclude" : ""));
        }
        var uc = q.userCounter(user);
        var ac = q.accountCounter(a.name);
        if (q.maxSubmitJobsPerUser > 0 && uc.submitted + tasks > q.maxSubmitJobsPerUser) {
            throw new CtldException(CtldException.Code.LIMIT_EXCEEDED, "qos", "QoS '" + q.name + "' allows " + q.maxSubmitJobsPerUser
                    + " submitted jobs per user; '" + user + "' has " + uc.submitted);
        }
        if (q.maxSubmitJobsPerAccount > 0 && ac.submitted + tasks > q.maxSubmitJobsPerAccount) {
            throw new CtldException(CtldException.Code.LIMIT_EXCEEDED, "qos", "QoS '" + q.name + "' allows " + q.maxSubmitJobsPerAccount
                    + " submitted jobs per account; '" + a.name + "' has " + ac.submitted);
        }
        if ((long) pendingCount + tasks > cfg.maxPendingJobs) {
            throw new CtldException(CtldException.Code.UNAVAILABLE, null, "the queue is full (" + cfg.maxPendingJobs + " pending jobs)");
        }
        return new JobDesc(r.name, user, a.name, p.name, q.name, nodes, ntasks, tasksPerNode, cpusPerTask, cpusPerNode,
                memPerNode, memPerCpu, gres.spec(), gres.count(), limit, r.workDir, r.script, env, r.stdout, r.stderr,
                arr == null ? null : arr.spec(), dep == null ? null : dep.spec(), r.beginTime, r.hold, r.exclusive,
                r.nodelist, r.exclude, r.comment, r.requeue);
    }

    private int[] nodeIndices(String field, String spec, Partition p) {
        if (spec == null || spec.isBlank()) return null;
        List<String> names = HostList.expand(field, spec);
        int[] idx = new int[names.size()];
        for (int i = 0; i < idx.length; i++) {
            Integer x = cluster.nodeIndex.get(names.get(i));
            if (x == null) throw CtldException.notFound(field, "no node '" + names.get(i) + "'");
            if (!contains(p.nodes, x)) {
                throw CtldException.invalid(field, "node '" + names.get(i) + "' is not in partition '" + p.name + "'");
            }
            idx[i] = x;
        }
        Arrays.sort(idx);
        return idx;
    }

    private static boolean contains(int[] a, int v) {
        for (int x : a) if (x == v) return true;
        return false;
    }

    private static int positive(String field, Integer v, int def) {
        if (v == null) return def;
        if (v < 1) throw CtldException.invalid(field, "must be at least 1, was " + v);
        return v;
    }

    private static void checkName(String field, String v) {
        if (v == null || !v.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}")) {
            throw CtldException.invalid(field, "'" + v + "' must start with a letter or digit and contain only letters, digits, '.', '_' or '-' (at most 64)");
        }
    }

    private static void checkText(String field, String v, int max, boolean required) {
        if (v == null) {
            if (required) throw CtldException.invalid(field, "is required");
            return;
        }
        if ((required && v.isBlank()) || v.length() > max || v.chars().anyMatch(Character::isISOControl)) {
            throw CtldException.invalid(field, "must be at most " + max + " printable characters");
        }
    }

    /** Creates the job (or array tasks) for an already validated description; used live and in replay. */
    private int insertSubmitted(JobDesc d, long firstId, long now) {
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

    void reshape(Job j) {
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

    // =========================================================================================================
    // Job life cycle (applied live and in replay)
    // =========================================================================================================

    int allocCpus(Job j) {
        if (!j.desc.exclusive()) return j.desc.totalCpus();
        int s = 0;
        for (int n : j.allocNodes) s += cluster.nodes[n].cpus;
        return s;
    }

    int allocGpus(Job j) {
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
        history.add(j);
        historyById.put(j.id, j);
        historySeq++;
        if (historyStore != null) {
            endedUnlogged.add(j);
            endedUnloggedSeq.add(historySeq);
        }
        trimHistory(now);
    }

    /**
     * Hands the jobs ended by the event just logged (or replayed, {@code lsn} 0) to the history store. Done after
     * the whole event is applied, so the record has its final fields (e.g. the preemptor of a cancelled victim).
     */
    private void drainEnded(long lsn) {
        for (int i = 0; i < endedUnlogged.size(); i++) {
            historyStore.add(JobView.of(endedUnlogged.get(i), cluster.nodes), endedUnloggedSeq.get(i), lsn);
        }
        endedUnlogged.clear();
        endedUnloggedSeq.clear();
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

    void chargeUsage(Account a, double amount, long t) {
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

    private void trimHistory(long now) {
        while (history.size() - historyHead > cfg.historyMemoryJobs
                || (historyHead < history.size() && history.get(historyHead).endTime < now - cfg.historyRetentionSec)) {
            Job old = history.set(historyHead++, null);
            historyById.remove(old.id);
            ArrayGroup g = old.arrayJobId != 0 ? arrays.get(old.arrayJobId) : null;
            if (g != null && g.finished == g.total && old.id == old.arrayJobId) arrays.remove(old.arrayJobId);
        }
        if (historyHead > 4096 && historyHead > history.size() / 2) {
            history.subList(0, historyHead).clear();
            historyHead = 0;
        }
    }

    // ---- live wrappers that log -------------------------------------------------------------------------------

    void doStart(Job j, int[] nodes, int[] gres, long now) {
        applyStart(j, nodes, gres, now);
        eb.reset().u8(EV_START).var(now).var(j.id).ints(nodes).ints(gres);
        log();
    }

    void doEnd(Job j, JobState state, int exitCode, long now) {
        doEnd(j, state, exitCode, now, null);
    }

    /** As {@link #doEnd(Job, JobState, int, long)} with the node's reason (logged after the fixed fields, optional). */
    void doEnd(Job j, JobState state, int exitCode, long now, String reason) {
        boolean wasRunning = j.state == JobState.RUNNING;
        j.endReason = reason;
        applyEnd(j, state, exitCode, now);
        eb.reset().u8(EV_END).var(now).var(j.id).u8(state.ordinal()).var(exitCode);
        if (reason != null) eb.str(reason);
        log();
        if (wasRunning && state != JobState.COMPLETED && state != JobState.FAILED && state != JobState.OUT_OF_MEMORY) {
            toTerminate.add(j);
        }
    }

    void doRequeue(Job j, long now) {
        applyRequeue(j, now, true);
        eb.reset().u8(EV_REQUEUE).var(now).var(j.id);
        log();
    }

    /**
     * Preemption of running job {@code victim} so that {@code preemptor} can start: one logged event; the victim's
     * processes are killed through the same {@link Launcher#terminate} path as a cancel. Lock held, in a pass.
     */
    void doPreempt(Job victim, Job preemptor, PreemptMode mode, long now) {
        applyPreempt(victim, preemptor.id, mode, now);
        eb.reset().u8(EV_PREEMPT).var(now).var(victim.id).var(preemptor.id).u8(mode.ordinal());
        log();
        toTerminate.add(victim);
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

    /** Appends the event in {@link #eb} to the WAL (if persistent); returns its LSN or -1. */
    private long log() {
        if (replaying) throw new IllegalStateException("logging during replay");
        recordsSinceSnapshot++;
        if (wal == null) return -1;
        lastLsn = wal.append(eb.array(), 0, eb.size());
        if (!endedUnlogged.isEmpty()) drainEnded(lastLsn);
        return lastLsn;
    }

    private void awaitDurable(long lsn) {
        if (wal != null && lsn >= 0) wal.awaitDurable(lsn);
    }

    private void maybeSnapshotLocked() {
        if (wal != null && cfg.snapshotEveryRecords > 0 && recordsSinceSnapshot >= cfg.snapshotEveryRecords) {
            try {
                snapshotLocked();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    // =========================================================================================================
    // Node reports and job control
    // =========================================================================================================

    /** A node daemon reports a job finished with {@code exitCode} (OOM kills report {@code oom}). */
    public void jobFinished(long jobId, int exitCode, boolean oom) {
        jobEnded(jobId, oom ? JobState.OUT_OF_MEMORY : exitCode == 0 ? JobState.COMPLETED : JobState.FAILED, exitCode);
    }

    /**
     * A node daemon reports how a running job ended, as the node saw it: COMPLETED, FAILED, OUT_OF_MEMORY (cgroup
     * OOM kill), TIMEOUT (the node enforced the limit before the controller's pass did) or NODE_FAIL (the node lost
     * the job, e.g. it died while its node daemon was down). The node has already killed what was left, so nothing
     * is sent back to it. A job the controller ended meanwhile (cancel, its own timeout) is INVALID_STATE.
     */
    public void jobEnded(long jobId, JobState state, int exitCode) {
        jobEnded(jobId, 0, state, exitCode);
    }

    /**
     * As {@link #jobEnded(long, JobState, int)} for the run that started at {@code runStart} (epoch s; 0: the
     * current run). A requeued job runs again under its id, so a late report about an earlier run must not end the
     * new one: it is INVALID_STATE.
     */
    public void jobEnded(long jobId, long runStart, JobState state, int exitCode) {
        jobEnded(jobId, runStart, state, exitCode, 0);
    }

    /**
     * As {@link #jobEnded(long, long, JobState, int)}, with the time the job ended on its node ({@code endTime},
     * epoch s; 0: now). A report that arrives late (the controller was down, the report queued) keeps the job's
     * real end time; it is clamped to the run's start and the present.
     */
    public void jobEnded(long jobId, long runStart, JobState state, int exitCode, long endTime) {
        jobEnded(jobId, runStart, state, exitCode, endTime, null);
    }

    /**
     * As {@link #jobEnded(long, long, JobState, int, long)} with the node's {@code reason} for the end (why the job
     * could not start, an OOM kill...), shown as the job's reason; null for none.
     */
    public void jobEnded(long jobId, long runStart, JobState state, int exitCode, long endTime, String reason) {
        if (state == null || !state.finished() || state == JobState.CANCELLED) {
            throw CtldException.invalid("state", "a node may report COMPLETED, FAILED, OUT_OF_MEMORY, TIMEOUT or NODE_FAIL, not " + state);
        }
        long lsn;
        lock.lock();
        try {
            Job j = live.get(jobId);
            if (j == null || j.state != JobState.RUNNING) throw CtldException.state("job " + jobId + " is not running");
            if (runStart != 0 && j.startTime != runStart) {
                throw CtldException.state("job " + jobId + " runs again since " + j.startTime + "; the report is about an earlier run");
            }
            doEnd(j, state, exitCode, reportedEnd(j, endTime, clock.nowSec()), endReason(reason));
            toTerminate.remove(j);
            lsn = lastLsn;
            maybeSnapshotLocked();
        } finally {
            lock.unlock();
        }
        awaitDurable(lsn);
    }

    /** The running jobs (e.g. for a node daemon to reconcile with after a restart). Their descriptions are immutable. */
    public List<Job> runningJobs() {
        lock.lock();
        try {
            List<Job> l = new ArrayList<>();
            for (Job j : running) if (j.state == JobState.RUNNING) l.add(j);
            return l;
        } finally {
            lock.unlock();
        }
    }

    /** Reports many finished jobs (ids with exit codes) with one flush; unknown or not-running ids are skipped. */
    public int jobsFinished(long[] ids, int[] exitCodes) {
        long lsn;
        int n = 0;
        lock.lock();
        try {
            long now = clock.nowSec();
            for (int i = 0; i < ids.length; i++) {
                Job j = live.get(ids[i]);
                if (j == null || j.state != JobState.RUNNING) continue;
                doEnd(j, exitCodes[i] == 0 ? JobState.COMPLETED : JobState.FAILED, exitCodes[i], now);
                n++;
            }
            lsn = lastLsn;
            maybeSnapshotLocked();
        } finally {
            lock.unlock();
        }
        awaitDurable(lsn);
        return n;
    }

    public void cancel(String actor, long jobId) {
        List<Job> term;
        long lsn;
        lock.lock();
        try {
            Job j = requireLive(jobId);
            requireJobControl(actor, j);
            doEnd(j, JobState.CANCELLED, 0, clock.nowSec());
            lsn = lastLsn;
            term = drainTerminate();
        } finally {
            lock.unlock();
        }
        awaitDurable(lsn);
        if (!term.isEmpty()) launcher.terminate(term);
    }

    /** Filter for {@link #cancelWhere}; null fields match anything. */
    public record JobFilter(String user, String account, String partition, String name, JobState state) {
        boolean matches(Job j) {
            return (user == null || user.equals(j.desc.user())) && (account == null || account.equals(j.desc.account()))
                    && (partition == null || partition.equals(j.desc.partition())) && (name == null || name.equals(j.desc.name()))
                    && (state == null || state == j.state);
        }
    }

    /** Cancels every live job matching the filter that the actor may control; returns how many. */
    public int cancelWhere(String actor, JobFilter f) {
        if (f == null || (f.user == null && f.account == null && f.partition == null && f.name == null && f.state == null)) {
            throw CtldException.invalid("filter", "at least one filter is required");
        }
        List<Job> term;
        long lsn;
        int n = 0;
        lock.lock();
        try {
            long now = clock.nowSec();
            for (Job j : new ArrayList<>(live.values())) {
                if (!f.matches(j) || !mayControl(actor, j)) continue;
                doEnd(j, JobState.CANCELLED, 0, now);
                n++;
            }
            lsn = lastLsn;
            term = drainTerminate();
        } finally {
            lock.unlock();
        }
        awaitDurable(lsn);
        if (!term.isEmpty()) launcher.terminate(term);
        return n;
    }

    public void hold(String actor, long jobId) {
        modify(actor, jobId, acct.level(actor).compareTo(AdminLevel.OPERATOR) >= 0 ? MOD_HOLD_ADMIN : MOD_HOLD, 0);
    }

    public void release(String actor, long jobId) {
        modify(actor, jobId, MOD_RELEASE, 0);
    }

    /** Sets a job's time limit (Slurm notation). Owners may only shorten it; operators may also extend it. */
    public void setTimeLimit(String actor, long jobId, String limit) {
        modify(actor, jobId, MOD_TIME_LIMIT, TimeSpec.parseDuration("timeLimit", limit));
    }

    /** Nice value subtracted from the priority; negative values (raising priority) need an operator. */
    public void setNice(String actor, long jobId, int nice) {
        if (Math.abs((long) nice) > 10_000_000) throw CtldException.invalid("nice", "out of range");
        modify(actor, jobId, MOD_NICE, nice);
    }

    /** Administrator override: an absolute priority (0 removes the override). */
    public void setPriority(String actor, long jobId, long priority) {
        if (priority < 0 || priority >= (1L << 40)) throw CtldException.invalid("priority", "must be in [0, 2^40)");
        modify(actor, jobId, MOD_PRIORITY, priority);
    }

    private void modify(String actor, long jobId, int field, long value) {
        long lsn;
        lock.lock();
        try {
            Job j = requireLive(jobId);
            requireJobControl(actor, j);
            boolean op = acct.level(actor).compareTo(AdminLevel.OPERATOR) >= 0;
            switch (field) {
                case MOD_HOLD, MOD_HOLD_ADMIN -> {
                    if (j.state != JobState.PENDING) throw CtldException.state("job " + j.displayId() + " is not pending");
                }
                case MOD_RELEASE -> {
                    if (j.state != JobState.PENDING || !j.held) throw CtldException.state("job " + j.displayId() + " is not held");
                    if (j.heldByAdmin && !op) throw CtldException.denied("job " + j.displayId() + " was held by an administrator");
                }
                case MOD_TIME_LIMIT -> {
                    if (value > j.timeLimitSec && !op) throw CtldException.denied("only operators may extend a time limit");
                    if (j.qos.maxWallSec > 0 && value > j.qos.maxWallSec && !op) {
                        throw new CtldException(CtldException.Code.LIMIT_EXCEEDED, "timeLimit", "exceeds QoS max wall");
                    }
                    if (j.partition.maxTimeSec > 0 && value > j.partition.maxTimeSec && !op) {
                        throw new CtldException(CtldException.Code.LIMIT_EXCEEDED, "timeLimit", "exceeds partition maximum");
                    }
                }
                case MOD_NICE -> {
                    if (value < 0 && !op) throw CtldException.denied("only operators may set a negative nice value");
                }
                case MOD_PRIORITY -> {
                    if (!op) throw CtldException.denied("only operators may set a job priority");
                }
                default -> throw CtldException.invalid("field", "unknown");
            }
            long now = clock.nowSec();
            applyModify(j, field, value);
            eb.reset().u8(EV_MODIFY).var(now).str(actor).var(jobId).u8(field).var(value);
            lsn = log();
        } finally {
            lock.unlock();
        }
        awaitDurable(lsn);
    }

    void applyModify(Job j, int field, long value) {
        switch (field) {
            case MOD_HOLD -> j.held = true;
            case MOD_HOLD_ADMIN -> {
                j.held = true;
                j.heldByAdmin = true;
            }
            case MOD_RELEASE -> {
                j.held = false;
                j.heldByAdmin = false;
            }
            case MOD_TIME_LIMIT -> {
                j.timeLimitSec = value;
                reshape(j);
            }
            case MOD_NICE -> j.nice = (int) value;
            case MOD_PRIORITY -> {
                j.adminPriority = value;
                if (value > 0) {
                    j.priority = value; // shown at once, not only after the next scheduling pass
                }
            }
            default -> throw new IllegalStateException("bad modify field " + field);
        }
    }

    private Job requireLive(long jobId) {
        Job j = live.get(jobId);
        if (j == null) {
            // ids are only consumed by accepted submissions, so a known id that is not live has finished
            if (historyById.containsKey(jobId) || (jobId > 0 && jobId < nextJobId)) {
                throw CtldException.state("job " + jobId + " has already finished");
            }
            throw CtldException.notFound("job", "no job " + jobId);
        }
        return j;
    }

    private boolean mayControl(String actor, Job j) {
        return actor.equals(j.desc.user()) || acct.level(actor).compareTo(AdminLevel.OPERATOR) >= 0
                || acct.coordinates(actor, j.account);
    }

    private void requireJobControl(String actor, Job j) {
        if (!mayControl(actor, j)) throw CtldException.denied("'" + actor + "' may not control job " + j.displayId());
    }

    private List<Job> drainTerminate() {
        if (toTerminate.isEmpty()) return List.of();
        List<Job> l = new ArrayList<>(toTerminate);
        toTerminate.clear();
        return l;
    }

    // =========================================================================================================
    // Nodes and partitions
    // =========================================================================================================

    /** Drains a node: running jobs continue, no new ones start. */
    public void drainNode(String actor, String node, String reason) {
        nodeOp(actor, node, NODE_DRAIN, reason);
    }

    /** Marks a node down: its running jobs end as NODE_FAIL, or are requeued when they asked for it. */
    public void downNode(String actor, String node, String reason) {
        nodeOp(actor, node, NODE_DOWN, reason);
    }

    public void resumeNode(String actor, String node) {
        nodeOp(actor, node, NODE_RESUME, null);
    }

    /** The actor recorded for node state changes the controller makes itself (node timeouts, return to service). */
    public static final String SYSTEM_ACTOR = "cranectld";

    /** Node control operations the controller makes itself. */
    public enum NodeOp { DOWN, DRAIN, RESUME }

    /**
     * The controller's own node control (no permission check; actor {@link #SYSTEM_ACTOR}): DOWN ends or requeues
     * the node's jobs as {@link #downNode} does, DRAIN as {@link #drainNode}, RESUME clears both.
     */
    public void systemNodeControl(String node, NodeOp op, String reason) {
        int code = switch (op) {
            case DOWN -> NODE_DOWN;
            case DRAIN -> NODE_DRAIN;
            case RESUME -> NODE_RESUME;
        };
        nodeOp(SYSTEM_ACTOR, node, code, op == NodeOp.RESUME ? null : reason, true);
    }

    /**
     * Marks a node's daemon connected or silent. Not logged: a silent node only stops taking new jobs; whether and
     * when it goes DOWN is the node manager's decision ({@link #systemNodeControl}).
     */
    public void setNodeResponding(String node, boolean responding) {
        lock.lock();
        try {
            Integer idx = cluster.nodeIndex.get(node);
            if (idx == null) throw CtldException.notFound("node", "no node '" + node + "'");
            cluster.nodes[idx].responding = responding;
        } finally {
            lock.unlock();
        }
    }

    /** The node's state and reason as shown ({@code DOWN}/{@code DRAIN} carry the reason), or null for an unknown node. */
    public NodeView node(String name) {
        for (NodeView v : nodes()) if (v.name().equals(name)) return v;
        return null;
    }

    /** The running jobs whose batch script runs on {@code node} (the first node of their allocation). */
    public List<Job> runningJobsOn(String node) {
        lock.lock();
        try {
            Integer idx = cluster.nodeIndex.get(node);
            if (idx == null) throw CtldException.notFound("node", "no node '" + node + "'");
            List<Job> l = new ArrayList<>();
            for (Job j : running) if (j.state == JobState.RUNNING && j.allocNodes[0] == idx) l.add(j);
            return l;
        } finally {
            lock.unlock();
        }
    }

    /**
     * One job end reported by a node: {@code runStart} 0 means the current run; {@code endTime} (epoch s) when it
     * ended there, 0 for "now".
     */
    public record NodeReport(long jobId, long runStart, JobState state, int exitCode, long endTime, String reason) {
        public NodeReport(long jobId, long runStart, JobState state, int exitCode) {
            this(jobId, runStart, state, exitCode, 0, null);
        }

        public NodeReport(long jobId, long runStart, JobState state, int exitCode, long endTime) {
            this(jobId, runStart, state, exitCode, endTime, null);
        }
    }

    /** A node's reason as one line of at most 1000 characters (it is shown in tables), or null. */
    static String endReason(String reason) {
        if (reason == null || reason.isBlank()) return null;
        String one = reason.strip().replaceAll("\\s*\\R\\s*", "; ").replaceAll("\\p{Cntrl}", " ");
        return one.length() > 1000 ? one.substring(0, 997) + "..." : one;
    }

    /** The end time of a reported end: the node's time, within [start of the run, now]; now when not given. */
    private static long reportedEnd(Job j, long reported, long now) {
        if (reported <= 0) return now;
        return Math.max(j.startTime, Math.min(reported, now));
    }

    /**
     * Many job ends reported by {@code node}, with one WAL flush. A report is applied only when the job is running,
     * on that node (anywhere in its allocation), in the run named by {@code runStart}; the others are skipped (ended
     * meanwhile by a cancel or timeout, requeued, or not the node's job). Returns which reports were applied.
     */
    public boolean[] jobsEndedOn(String node, List<NodeReport> reports) {
        for (NodeReport r : reports) {
            if (r.state() == null || !r.state().finished() || r.state() == JobState.CANCELLED) {
                throw CtldException.invalid("state", "a node may report COMPLETED, FAILED, OUT_OF_MEMORY, TIMEOUT or NODE_FAIL, not " + r.state());
            }
        }
        boolean[] applied = new boolean[reports.size()];
        long lsn;
        lock.lock();
        try {
            Integer idx = cluster.nodeIndex.get(node);
            if (idx == null) throw CtldException.notFound("node", "no node '" + node + "'");
            long now = clock.nowSec();
            for (int i = 0; i < applied.length; i++) {
                NodeReport r = reports.get(i);
                Job j = live.get(r.jobId());
                if (j == null || j.state != JobState.RUNNING || !contains(j.allocNodes, idx)) continue;
                if (r.runStart() != 0 && j.startTime != r.runStart()) continue;
                doEnd(j, r.state(), r.exitCode(), reportedEnd(j, r.endTime(), now), endReason(r.reason()));
                toTerminate.remove(j);
                applied[i] = true;
            }
            lsn = lastLsn;
            maybeSnapshotLocked();
        } finally {
            lock.unlock();
        }
        awaitDurable(lsn);
        return applied;
    }

    private void nodeOp(String actor, String name, int op, String reason) {
        nodeOp(actor, name, op, reason, false);
    }

    private void nodeOp(String actor, String name, int op, String reason, boolean system) {
        if (!system && acct.level(actor).compareTo(AdminLevel.OPERATOR) < 0) throw CtldException.denied("node control needs operator rights");
        checkText("reason", reason, 1024, false);
        long lsn;
        List<Job> term;
        lock.lock();
        try {
            Integer idx = cluster.nodeIndex.get(name);
            if (idx == null) throw CtldException.notFound("node", "no node '" + name + "'");
            long now = clock.nowSec();
            applyNode(idx, op, reason);
            eb.reset().u8(EV_NODE).var(now).str(actor).var(idx).u8(op).str(reason);
            lsn = log();
            if (op == NODE_DOWN) {
                for (Job j : new ArrayList<>(running)) {
                    if (j.state != JobState.RUNNING || !contains(j.allocNodes, idx)) continue;
                    if (j.desc.requeue()) {
                        doRequeue(j, now);
                        toTerminate.add(j);
                    } else {
                        doEnd(j, JobState.NODE_FAIL, 0, now);
                    }
                }
                lsn = lastLsn;
            }
            term = drainTerminate();
        } finally {
            lock.unlock();
        }
        awaitDurable(lsn);
        if (!term.isEmpty()) launcher.terminate(term);
    }

    void applyNode(int idx, int op, String reason) {
        Node n = cluster.nodes[idx];
        switch (op) {
            case NODE_DOWN -> {
                n.down = true;
                n.reason = reason;
            }
            case NODE_DRAIN -> {
                n.drain = true;
                n.reason = reason;
            }
            case NODE_RESUME -> {
                n.down = false;
                n.drain = false;
                n.reason = null;
            }
            default -> throw new IllegalStateException("bad node op " + op);
        }
    }

    /** Sets a partition up or down; a down partition accepts jobs but starts none (reason PartitionDown). */
    public void setPartitionUp(String actor, String partition, boolean up) {
        if (acct.level(actor).compareTo(AdminLevel.OPERATOR) < 0) throw CtldException.denied("partition control needs operator rights");
        long lsn;
        lock.lock();
        try {
            Partition p = cluster.partitionByName.get(partition);
            if (p == null) throw CtldException.notFound("partition", "no partition '" + partition + "'");
            p.up = up;
            eb.reset().u8(EV_PARTITION).var(clock.nowSec()).str(actor).var(p.idx).bool(up);
            lsn = log();
        } finally {
            lock.unlock();
        }
        awaitDurable(lsn);
    }

    // =========================================================================================================
    // Accounts
    // =========================================================================================================

    /**
     * Applies one account-system change on behalf of {@code actor} and records it in the transaction log.
     * Operators may do anything except changing admin levels (admins only); account coordinators may manage
     * users, sub-accounts and blocks inside their subtree.
     */
    public void accountOp(String actor, AccountStore.Op op) {
        long lsn;
        lock.lock();
        try {
            authorize(actor, op);
            checkJobsBeforeRemoval(op);
            long now = clock.nowSec();
            acct.apply(op);
            recordTxn(now, actor, op);
            eb.reset().u8(EV_ACCT).var(now).str(actor);
            writeOp(eb, op);
            lsn = log();
        } finally {
            lock.unlock();
        }
        awaitDurable(lsn);
    }

    private void authorize(String actor, AccountStore.Op op) {
        AdminLevel lvl = acct.level(actor);
        if (lvl == AdminLevel.ADMIN) return;
        if (op.code() == AccountStore.SET_LEVEL) throw CtldException.denied("only admins may change admin levels");
        if (lvl == AdminLevel.OPERATOR) return;
        String target = switch (op.code()) {
            case AccountStore.ADD_ACCOUNT -> op.s().length > 1 && op.s()[1] != null ? op.s()[1] : AccountStore.ROOT;
            case AccountStore.DELETE_ACCOUNT, AccountStore.MODIFY_ACCOUNT, AccountStore.BLOCK_ACCOUNT -> op.s().length > 0 ? op.s()[0] : null;
            case AccountStore.ADD_USER, AccountStore.REMOVE_USER, AccountStore.BLOCK_USER, AccountStore.SET_COORDINATOR ->
                    op.s().length > 1 ? op.s()[1] : null;
            default -> null;
        };
        Account a = target == null ? null : acct.account(target);
        // coordinators manage users, sub-accounts and blocks in the subtree they coordinate (not other coordinators)
        if (a != null && acct.coordinates(actor, a) && op.code() != AccountStore.SET_COORDINATOR) return;
        throw CtldException.denied("'" + actor + "' may not " + op.describe());
    }

    private void checkJobsBeforeRemoval(AccountStore.Op op) {
        if (op.code() == AccountStore.REMOVE_USER && op.s().length > 1) {
            Account a = acct.account(op.s()[1]);
            Membership m = a == null ? null : a.members.get(op.s()[0]);
            if (m != null && m.liveJobs > 0) throw CtldException.state("user '" + m.user + "' has " + m.liveJobs + " live job(s) in account '" + a.name + "'");
        }
        if (op.code() == AccountStore.DELETE_USER && op.s().length > 0) {
            var u = acct.user(op.s()[0]);
            if (u != null) {
                for (Membership m : u.memberships.values()) {
                    if (m.liveJobs > 0) throw CtldException.state("user '" + u.name + "' has live jobs in account '" + m.account.name + "'");
                }
            }
        }
    }

    private void recordTxn(long now, String actor, AccountStore.Op op) {
        txnLog.add(now + " " + actor + " " + op.describe());
        if (txnLog.size() > 20000) txnLog.subList(0, 10000).clear();
    }

    /** The most recent account-system changes, oldest first: "epochSec actor op [args]". */
    public List<String> transactionLog() {
        lock.lock();
        try {
            return List.copyOf(txnLog);
        } finally {
            lock.unlock();
        }
    }

    private static void writeOp(Buf b, AccountStore.Op op) {
        b.u8(op.code()).strs(op.s()).var(op.n().length);
        for (long x : op.n()) b.var(x);
    }

    private static AccountStore.Op readOp(BufReader r) {
        int code = r.u8();
        String[] s = r.strs();
        int k = r.varInt();
        if (k < 0 || k > 64) throw new IllegalStateException("bad op");
        long[] n = new long[k];
        for (int i = 0; i < k; i++) n[i] = r.var();
        return new AccountStore.Op(code, s, n);
    }

    /** Read-only access to the account store for queries; callers must not mutate it. */
    public <T> T withAccounts(java.util.function.Function<AccountStore, T> f) {
        lock.lock();
        try {
            return f.apply(acct);
        } finally {
            lock.unlock();
        }
    }

    // convenience wrappers used by tests, the benchmark and later the protocol layer
    public void addQos(String actor, String name, long priority, long maxJobsPerUser, long maxSubmitPerUser,
                       long maxCpusPerUser, long maxJobsPerAccount, long maxSubmitPerAccount, String maxWall) {
        long wall = maxWall == null ? 0 : TimeSpec.parseDuration("maxWall", maxWall);
        accountOp(actor, new AccountStore.Op(AccountStore.ADD_QOS, new String[] {name},
                new long[] {priority, maxJobsPerUser, maxSubmitPerUser, maxCpusPerUser, maxJobsPerAccount, maxSubmitPerAccount, wall}));
    }

    public void addAccount(String actor, String name, String parent, String qosCsv, String defaultQos) {
        accountOp(actor, new AccountStore.Op(AccountStore.ADD_ACCOUNT, new String[] {name, parent, null, defaultQos, null, qosCsv}, null));
    }

    public void addUser(String actor, String user, String account) {
        accountOp(actor, new AccountStore.Op(AccountStore.ADD_USER, new String[] {user, account, null, null, null}, null));
    }

    public void blockAccount(String actor, String account, boolean block) {
        accountOp(actor, new AccountStore.Op(AccountStore.BLOCK_ACCOUNT, new String[] {account, null}, new long[] {block ? 1 : 0}));
    }

    public void blockAccountIn(String actor, String account, Set<String> partitions, boolean block) {
        accountOp(actor, new AccountStore.Op(AccountStore.BLOCK_ACCOUNT, new String[] {account, String.join(",", partitions)},
                new long[] {block ? 1 : 0}));
    }

    public void blockUser(String actor, String user, String account, boolean block) {
        accountOp(actor, new AccountStore.Op(AccountStore.BLOCK_USER, new String[] {user, account}, new long[] {block ? 1 : 0}));
    }

    public void setAccountShares(String actor, String account, long shares) {
        accountOp(actor, new AccountStore.Op(AccountStore.MODIFY_ACCOUNT, new String[] {account, null, null, null}, new long[] {shares}));
    }

    // =========================================================================================================
    // Scheduling
    // =========================================================================================================

    /** Runs one scheduling pass now: time limits, priorities, placement, backfill. Dispatches started jobs. */
    public PassStats schedule() {
        PassStats st;
        List<Job> started;
        List<Job> term;
        long lsn;
        lock.lock();
        try {
            st = scheduler.pass(clock.nowSec());
            started = scheduler.takeStarted();
            lsn = lastLsn;
            term = drainTerminate();
            maybeSnapshotLocked();
        } finally {
            lock.unlock();
        }
        awaitDurable(lsn);
        if (!term.isEmpty()) launcher.terminate(term);
        if (!started.isEmpty()) launcher.launch(started);
        return st;
    }

    /** Ends running jobs past their time limit as TIMEOUT (exit code 128+SIGTERM). Lock held. */
    int enforceTimeLimits(long now) {
        int n = 0;
        for (int i = 0; i < running.size(); i++) {
            Job j = running.get(i);
            if (j.state == JobState.RUNNING && now >= j.startTime + j.timeLimitSec) {
                doEnd(j, JobState.TIMEOUT, 128 + 15, now);
                n++;
            }
        }
        return n;
    }

    /** Drops finished or started entries from the pending and running lists. Lock held. */
    void compactQueues() {
        if (pendingOutOfOrder) {
            // submission (id) order, which the scheduler's tie-break between equal priorities follows; TimSort
            // merges the few requeued jobs into the long sorted run in linear time
            pending.sort(java.util.Comparator.comparingLong(x -> x.id));
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

    /** Evaluates a job's dependencies. Lock held. */
    Dependency.Status dependencyStatus(Job j) {
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
        Job t = live.get(id);
        if (t == null) t = historyById.get(id);
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

    // =========================================================================================================
    // Queries
    // =========================================================================================================

    /** A live or finished job; finished jobs that left the memory window are read from the history files. */
    public JobView job(long id) {
        boolean inFiles;
        lock.lock();
        try {
            Job j = live.get(id);
            if (j == null) j = historyById.get(id);
            if (j != null) return JobView.of(j, cluster.nodes);
            inFiles = historyStore != null && id > 0 && id < nextJobId;
        } finally {
            lock.unlock();
        }
        if (!inFiles) return null;
        try {
            return historyStore.find(id); // outside the lock: a file scan must not stall the controller
        } catch (IOException e) {
            throw new UncheckedIOException("reading the job history", e);
        }
    }

    /** Live jobs (pending and running) matching the predicate, by id. */
    public List<JobView> jobs(Predicate<JobView> filter) {
        lock.lock();
        try {
            List<JobView> out = new ArrayList<>();
            for (Job j : live.values()) {
                JobView v = JobView.of(j, cluster.nodes);
                if (filter == null || filter.test(v)) out.add(v);
            }
            out.sort((a, b) -> Long.compare(a.id(), b.id()));
            return out;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Finished jobs with {@code from <= endTime < to}, ordered by end time then id, skipping {@code offset}, at most
     * {@code limit}. With a StateDir they come from the history files (read outside the controller lock), otherwise
     * from the in-memory window.
     */
    public List<JobView> history(long from, long to, int offset, int limit) {
        if (offset < 0 || limit < 0) throw CtldException.invalid("paging", "offset and limit must not be negative");
        HistoryStore store;
        lock.lock();
        try {
            store = historyStore;
            if (store == null) {
                List<Job> match = new ArrayList<>();
                for (int i = historyHead; i < history.size(); i++) {
                    Job j = history.get(i);
                    if (j.endTime >= from && j.endTime < to) match.add(j);
                }
                match.sort((a, b) -> a.endTime != b.endTime ? Long.compare(a.endTime, b.endTime) : Long.compare(a.id, b.id));
                List<JobView> out = new ArrayList<>();
                for (int i = offset; i < match.size() && out.size() < limit; i++) out.add(JobView.of(match.get(i), cluster.nodes));
                return out;
            }
        } finally {
            lock.unlock();
        }
        try {
            return store.query(from, to, offset, limit);
        } catch (IOException e) {
            throw new UncheckedIOException("reading the job history", e);
        }
    }

    /** How many finished jobs {@link #history} has with {@code from <= endTime < to} (the total of a paged query). */
    public long historyCount(long from, long to) {
        HistoryStore store;
        lock.lock();
        try {
            store = historyStore;
            if (store == null) {
                long n = 0;
                for (int i = historyHead; i < history.size(); i++) {
                    long end = history.get(i).endTime;
                    if (end >= from && end < to) n++;
                }
                return n;
            }
        } finally {
            lock.unlock();
        }
        try {
            return store.count(from, to);
        } catch (IOException e) {
            throw new UncheckedIOException("reading the job history", e);
        }
    }

    /** Node summary: name, state, reason, cpus alloc/total, mem alloc/total, gpus alloc/total. */
    public record NodeView(String name, NodeState state, String reason, int cpus, int cpusAlloc, long memMb,
                           long memAllocMb, int gpus, int gpusAlloc, List<String> partitions) {
    }

    public List<NodeView> nodes() {
        lock.lock();
        try {
            List<NodeView> out = new ArrayList<>();
            for (Node n : cluster.nodes) {
                List<String> parts = new ArrayList<>();
                for (Partition p : n.partitions) parts.add(p.name);
                boolean silent = !n.responding && !n.down;
                out.add(new NodeView(n.name, silent ? NodeState.DOWN : n.state(),
                        silent ? (n.reason != null ? n.reason + "; " : "") + "not responding" : n.reason, n.cpus, n.allocCpu, n.memMb, n.allocMem, n.gpuTotal(), n.gpuAlloc(), parts));
            }
            return out;
        } finally {
            lock.unlock();
        }
    }

    /** A partition's configuration and current state, with its pending and running job counts. */
    public record PartitionView(String name, List<String> nodes, int cpus, long memMb, int gpus, long maxTimeSec,
                                long defaultTimeSec, boolean up, boolean isDefault, int pendingJobs, int runningJobs) {
    }

    /** Every partition in configuration order; job counts come from one walk over the live jobs. */
    public List<PartitionView> partitions() {
        lock.lock();
        try {
            int[] pend = new int[cluster.partitions.length];
            int[] run = new int[cluster.partitions.length];
            for (Job j : live.values()) {
                Partition p = cluster.partitionByName.get(j.desc.partition());
                if (p == null) continue;
                if (j.state == JobState.PENDING) pend[p.idx]++;
                else if (j.state == JobState.RUNNING) run[p.idx]++;
            }
            List<PartitionView> out = new ArrayList<>();
            for (Partition p : cluster.partitions) {
                List<String> names = new ArrayList<>(p.nodes.length);
                for (int n : p.nodes) names.add(cluster.nodes[n].name);
                out.add(new PartitionView(p.name, names, p.totalCpus, p.totalMemMb, p.totalGpus, p.maxTimeSec,
                        p.defaultTimeSec, p.up, p.isDefault, pend[p.idx], run[p.idx]));
            }
            return out;
        } finally {
            lock.unlock();
        }
    }

    /** Ids of up to {@code limit} running jobs (node daemons' view; also used by the benchmark). */
    public long[] runningJobIds(int limit) {
        lock.lock();
        try {
            return running.stream().filter(j -> j.state == JobState.RUNNING).limit(limit).mapToLong(j -> j.id).toArray();
        } finally {
            lock.unlock();
        }
    }

    public int pendingCount() {
        lock.lock();
        try {
            return pendingCount;
        } finally {
            lock.unlock();
        }
    }

    public int runningCount() {
        lock.lock();
        try {
            int n = 0;
            for (Job j : running) if (j.state == JobState.RUNNING) n++;
            return n;
        } finally {
            lock.unlock();
        }
    }

    public int liveCount() {
        lock.lock();
        try {
            return live.size();
        } finally {
            lock.unlock();
        }
    }

    /** Fair-share factor of an account as of the last scheduling pass. */
    public double fairShare(String account) {
        lock.lock();
        try {
            return acct.requireAccount(account).fsFactor;
        } finally {
            lock.unlock();
        }
    }

    // =========================================================================================================
    // Persistence: snapshot and recovery
    // =========================================================================================================

    /** Writes a snapshot now and drops WAL segments it covers. */
    public void snapshot() throws IOException {
        lock.lock();
        try {
            snapshotLocked();
        } finally {
            lock.unlock();
        }
    }

    private void snapshotLocked() throws IOException {
        if (wal == null) return;
        wal.sync();
        long lsn = wal.lastLsn();
        // the snapshot no longer carries the history: every job it counts must be durable in the files first
        historyStore.flush(true);
        historyStore.expire();
        Buf b = new Buf(1 << 20);
        encodeState(b);
        wal.rotate();
        Path dir = cfg.stateDir;
        SnapshotFile.write(dir, lsn, b.array(), b.size());
        for (Path s : SnapshotFile.list(dir)) {
            if (!s.getFileName().toString().equals(String.format("snap-%020d.bin", lsn))) Files.deleteIfExists(s);
        }
        for (Path seg : Wal.segments(dir)) {
            if (Wal.firstLsnOf(seg) <= lsn) Files.deleteIfExists(seg);
        }
        recordsSinceSnapshot = 0;
    }

    /**
     * 2 added {@code preemptedBy} per job; 3 keeps only the recent window of finished jobs plus the history
     * sequence number (the rest is in the history files); 4 added each job's end reason. Versions 1 and 2 are still
     * read: their full history is moved into the files at recovery.
     */
    private static final int SNAP_VERSION = 4;
    private int decodingVersion;
    private long snapshotTime;

    private void encodeState(Buf b) {
        b.u8(SNAP_VERSION).var(nextJobId).var(clock.nowSec());
        List<AccountStore.Op> ops = acct.exportOps();
        b.var(ops.size());
        for (AccountStore.Op op : ops) writeOp(b, op);
        b.var(acct.accounts().size());
        for (Account a : acct.accounts()) b.str(a.name).f64(a.usage).var(a.usageTime);
        b.var(cluster.nodes.length);
        for (Node n : cluster.nodes) b.str(n.name).bool(n.down).bool(n.drain).str(n.reason);
        b.var(cluster.partitions.length);
        for (Partition p : cluster.partitions) b.str(p.name).bool(p.up);
        b.var(arrays.size());
        for (ArrayGroup g : arrays.values()) b.var(g.arrayJobId).var(g.maxConcurrent).var(g.total).var(g.started).var(g.finished).var(g.completedOk);
        IdentityHashMap<JobDesc, Integer> descs = new IdentityHashMap<>();
        List<Job> jobs = new ArrayList<>(live.values());
        jobs.sort((x, y) -> Long.compare(x.id, y.id));
        b.var(jobs.size());
        for (Job j : jobs) writeJob(b, j, descs);
        b.var(historySeq);
        b.var(history.size() - historyHead);
        for (int i = historyHead; i < history.size(); i++) writeJob(b, history.get(i), descs);
        b.var(txnLog.size());
        for (String t : txnLog) b.str(t);
    }

    private void writeJob(Buf b, Job j, IdentityHashMap<JobDesc, Integer> descs) {
        Integer ref = descs.get(j.desc);
        if (ref == null) {
            b.var(-1);
            j.desc.write(b);
            descs.put(j.desc, descs.size());
        } else {
            b.var(ref);
        }
        b.var(j.id).var(j.arrayJobId).var(j.arrayTaskId).var(j.submitTime).u8(j.state.ordinal()).var(j.startTime)
                .var(j.endTime).var(j.exitCode).bool(j.held).bool(j.heldByAdmin).var(j.nice).var(j.adminPriority)
                .var(j.timeLimitSec).var(j.requeueCount).ints(j.allocNodes).ints(j.allocGres).var(j.preemptedBy)
                .str(j.endReason);
    }

    private void decodeState(BufReader r) {
        int v = r.u8();
        if (v < 1 || v > SNAP_VERSION) throw new IllegalStateException("unsupported snapshot version " + v);
        decodingVersion = v;
        nextJobId = r.var();
        snapshotTime = r.var();
        int nops = r.varInt();
        for (int i = 0; i < nops; i++) acct.apply(readOp(r));
        int na = r.varInt();
        for (int i = 0; i < na; i++) {
            String name = r.str();
            double u = r.f64();
            long t = r.var();
            Account a = acct.account(name);
            if (a != null) {
                a.usage = u;
                a.usageTime = t;
            }
        }
        int nn = r.varInt();
        for (int i = 0; i < nn; i++) {
            String name = r.str();
            boolean down = r.bool();
            boolean drain = r.bool();
            String reason = r.str();
            Integer idx = cluster.nodeIndex.get(name);
            if (idx != null) {
                cluster.nodes[idx].down = down;
                cluster.nodes[idx].drain = drain;
                cluster.nodes[idx].reason = reason;
            }
        }
        int np = r.varInt();
        for (int i = 0; i < np; i++) {
            String name = r.str();
            boolean up = r.bool();
            Partition p = cluster.partitionByName.get(name);
            if (p != null) p.up = up;
        }
        int ng = r.varInt();
        for (int i = 0; i < ng; i++) {
            ArrayGroup g = new ArrayGroup(r.var(), r.varInt(), r.varInt());
            g.started = r.varInt();
            g.finished = r.varInt();
            g.completedOk = r.varInt();
            arrays.put(g.arrayJobId, g);
        }
        List<JobDesc> descs = new ArrayList<>();
        int nj = r.varInt();
        for (int i = 0; i < nj; i++) restoreJob(readJob(r, descs), false);
        if (v >= 3) historySeq = r.var();
        int nh = r.varInt();
        for (int i = 0; i < nh; i++) {
            Job j = readJob(r, descs);
            restoreJob(j, true);
            if (v < 3) {
                // numbered in snapshot order, the same on every start until a version 3 snapshot replaces it
                historySeq++;
                historyStore.add(JobView.of(j, cluster.nodes), historySeq, 0);
            }
        }
        int nt = r.varInt();
        for (int i = 0; i < nt; i++) txnLog.add(r.str());
    }

    private Job readJob(BufReader r, List<JobDesc> descs) {
        int ref = r.varInt();
        JobDesc d;
        if (ref == -1) {
            d = JobDesc.read(r);
            descs.add(d);
        } else {
            d = descs.get(ref);
        }
        Job j = new Job(r.var(), d, r.var(), r.varInt(), r.var());
        j.state = JobState.of(r.u8());
        j.startTime = r.var();
        j.endTime = r.var();
        j.exitCode = r.varInt();
        j.held = r.bool();
        j.heldByAdmin = r.bool();
        j.nice = r.varInt();
        j.adminPriority = r.var();
        j.timeLimitSec = r.var();
        j.requeueCount = r.varInt();
        j.allocNodes = r.ints();
        j.allocGres = r.ints();
        if (decodingVersion >= 2) j.preemptedBy = r.var();
        if (decodingVersion >= 4) j.endReason = r.str();
        return j;
    }

    private void restoreJob(Job j, boolean finished) {
        if (j.arrayJobId != 0) j.group = arrays.get(j.arrayJobId);
        if (finished) {
            try {
                resolve(j);
            } catch (RuntimeException e) {
                // history entry of a since-removed partition/account: keep it unresolved for queries
            }
            history.add(j);
            historyById.put(j.id, j);
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

    private void recover(Path dir) throws IOException {
        Files.createDirectories(dir);
        historyStore = new HistoryStore(dir.resolve("history"), () -> {
            Wal w = wal;
            return w == null ? 0 : w.durableLsn();
        }, clock::nowSec, cfg.historyRetentionDays(), cfg.historyFlushMs);
        long snapLsn = 0;
        long snapSeq = 0;
        long sinceDay = Long.MIN_VALUE;
        for (Path s : SnapshotFile.list(dir)) {
            SnapshotFile.Loaded l = SnapshotFile.read(s);
            if (l == null) {
                System.err.println("cranectld: ignoring damaged snapshot " + s);
                continue;
            }
            decodeState(new BufReader(l.payload()));
            snapLsn = l.lsn();
            if (decodingVersion >= 3) {
                snapSeq = historySeq;
                sinceDay = HistoryStore.dayOf(snapshotTime);
            }
            break;
        }
        List<Path> segs = Wal.segments(dir);
        long[] last = {snapLsn};
        replaying = true;
        try {
            for (int i = 0; i < segs.size(); i++) {
                Path seg = segs.get(i);
                long first = Wal.firstLsnOf(seg);
                if (first > last[0] + 1) {
                    throw new IllegalStateException("WAL gap: expected record " + (last[0] + 1) + " but " + seg.getFileName() + " starts at " + first);
                }
                Wal.read(seg, (lsn, buf, off, len) -> {
                    if (lsn <= last[0]) return;
                    applyRecord(new BufReader(buf, off, len));
                    if (!endedUnlogged.isEmpty()) drainEnded(0);
                    last[0] = lsn;
                }, true);
            }
        } finally {
            replaying = false;
        }
        lastLsn = last[0];
        trimHistory(clock.nowSec());
        historyStore.recover(snapSeq, historySeq, sinceDay);
        historyStore.start();
        wal = new Wal(dir, last[0] + 1);
        for (Path seg : Wal.segments(dir)) {
            // empty segments left by earlier crashes right after opening
            if (Files.size(seg) == 0 && Wal.firstLsnOf(seg) != last[0] + 1) Files.deleteIfExists(seg);
        }
    }

    /** Applies one WAL record (replay). */
    private void applyRecord(BufReader r) {
        int type = r.u8();
        long time = r.var();
        switch (type) {
            case EV_SUBMIT -> {
                r.str();
                long id = r.var();
                insertSubmitted(JobDesc.read(r), id, time);
            }
            case EV_START -> {
                Job j = liveOrFail(r.var());
                applyStart(j, r.ints(), r.ints(), time);
            }
            case EV_END -> {
                Job j = liveOrFail(r.var());
                JobState st = JobState.of(r.u8());
                int exit = r.varInt();
                // records written before end reasons existed stop here
                j.endReason = r.hasMore() ? r.str() : null;
                applyEnd(j, st, exit, time);
            }
            case EV_REQUEUE -> applyRequeue(liveOrFail(r.var()), time, true);
            case EV_PREEMPT -> {
                Job victim = liveOrFail(r.var());
                long preemptor = r.var();
                applyPreempt(victim, preemptor, PreemptMode.values()[r.u8()], time);
            }
            case EV_MODIFY -> {
                r.str();
                Job j = liveOrFail(r.var());
                applyModify(j, r.u8(), r.var());
            }
            case EV_NODE -> {
                r.str();
                applyNode(r.varInt(), r.u8(), r.str());
            }
            case EV_ACCT -> {
                String actor = r.str();
                AccountStore.Op op = readOp(r);
                acct.apply(op);
                recordTxn(time, actor, op);
            }
            case EV_PARTITION -> {
                r.str();
                cluster.partitions[r.varInt()].up = r.bool();
            }
            default -> throw new IllegalStateException("unknown WAL record type " + type);
        }
    }

    private Job liveOrFail(long id) {
        Job j = live.get(id);
        if (j == null) throw new IllegalStateException("WAL refers to unknown live job " + id);
        return j;
    }

    /** WAL statistics (batches fsynced, records) or null when in memory. */
    public long[] walStats() {
        return wal == null ? null : wal.stats();
    }

    @Override
    public void close() {
        lock.lock();
        try {
            if (wal != null) {
                try {
                    wal.sync();
                } catch (RuntimeException e) {
                    // a failed WAL: the history keeps only what was durable
                }
                historyStore.close();
                wal.close();
                wal = null;
            }
        } finally {
            lock.unlock();
        }
    }
}
