package org.scow.crane.ctld;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiConsumer;
import java.util.function.Predicate;
import org.scow.crane.ctld.account.AccountStore;
import org.scow.crane.ctld.history.HistoryStore;
import org.scow.crane.ctld.model.Job;
import org.scow.crane.ctld.model.JobDesc;
import org.scow.crane.ctld.model.JobRequest;
import org.scow.crane.ctld.model.NodeState;
import org.scow.crane.ctld.model.Partition;
import org.scow.crane.ctld.model.PreemptMode;
import org.scow.crane.ctld.util.TimeSpec;
import org.scow.crane.ctld.wal.Event;
import org.scow.crane.protocol.JobState;
import org.scow.crane.protocol.JobUserPolicy;

/**
 * The controller core (cranectld): the facade over the job table, the journal, the submission validator, the
 * history window and the scheduler. It owns the lock, checks permissions and is the whole public API.
 *
 * <p><b>State machine and lock discipline.</b> Every change is one {@link Event} (submit, start, end, requeue,
 * modify, node, partition, account op, preempt). A public method takes {@link #lock}, validates fully (a refused
 * request changes nothing), applies the event to the {@link JobTable} and appends it to the {@link Journal} while
 * still holding the lock (so log order equals apply order), releases the lock, and only then waits until the
 * record is fsynced before returning. Replay after a restart applies the same events with their recorded times and
 * ids, so it rebuilds exactly the acknowledged state. Cascading effects (a node going down failing its jobs, each
 * preemption) are logged as their own events. Launcher calls (start, terminate) happen after the lock is released
 * and the records are durable, so a job never runs unrecorded. History queries that read files run outside the
 * lock. Nothing here may be called with the lock held from another component (the lock is not reentrant by design
 * of its callers, though {@link ReentrantLock} would allow it).
 *
 * <p><b>Identity.</b> Every method takes the {@code actor}: the caller's identity as proven by the protocol layer
 * (never a request field). {@link Permissions} says what it may do.
 */
public final class Controller implements AutoCloseable {
    private final CtldConfig.Cluster cluster;
    private final Clock clock;
    private final ReentrantLock lock = new ReentrantLock();
    private final AccountStore acct;
    private final JobTable table;
    private final HistoryWindow history;
    private final TransactionLog txn = new TransactionLog();
    private final Journal journal;
    private final SubmissionValidator validator;
    private final Permissions perms;
    private final Scheduler scheduler;
    /** Applies and journals what a scheduling pass decides (lock held, inside {@link #schedule}). */
    private final Scheduler.Decisions decisions = new Scheduler.Decisions() {
        @Override
        public void start(Job j, int[] nodes, int[] gres, long now) {
            table.applyStart(j, nodes, gres, now);
            journal.append(new Event.Start(now, j.id, nodes, gres));
        }

        @Override
        public void preempt(Job victim, Job preemptor, PreemptMode mode, long now) {
            table.applyPreempt(victim, preemptor.id, mode, now);
            journal.append(new Event.Preempt(now, victim.id, preemptor.id, mode));
            toTerminate.add(victim);
        }
    };
    private volatile Launcher launcher = Launcher.NONE;
    /** Running jobs ended by the events being applied, whose processes the launcher must kill after the lock. */
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
        this.clock = clock;
        this.cluster = cfg.buildCluster();
        this.acct = new AccountStore(cluster.partitionByName::containsKey);
        this.table = new JobTable(cfg, cluster, acct);
        this.history = table.history();
        this.journal = new Journal(cfg, clock, cluster, table, acct, txn);
        this.userPolicy = cfg.jobUserPolicy();
        this.validator = new SubmissionValidator(cfg, cluster, acct, table, userPolicy);
        this.perms = new Permissions(acct);
        this.scheduler = new Scheduler(cfg, cluster);
        if (cfg.stateDir != null) journal.recover(cfg.stateDir);
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
        journal.whenDurable(submitLogged(actor, reqs, out), failure -> then.accept(out, failure));
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
                    JobDesc d = validator.validate(actor, r, now);
                    long id = table.nextJobId();
                    int tasks = table.insertSubmitted(d, id, now);
                    lsn = journal.append(new Event.Submit(now, actor, id, d));
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

    // ---- events applied live: apply to the table, then journal (lock held) -----------------------------------

    private void end(Job j, JobState state, int exitCode, long now) {
        end(j, state, exitCode, now, null);
    }

    /** Ends a job with the node's reason (logged after the fixed fields, optional); a killed run is terminated. */
    private void end(Job j, JobState state, int exitCode, long now, String reason) {
        boolean wasRunning = j.state == JobState.RUNNING;
        j.endReason = reason;
        table.applyEnd(j, state, exitCode, now);
        journal.append(new Event.End(now, j.id, state, exitCode, reason));
        if (wasRunning && state != JobState.COMPLETED && state != JobState.FAILED && state != JobState.OUT_OF_MEMORY) {
            toTerminate.add(j);
        }
    }

    private void requeue(Job j, long now) {
        table.applyRequeue(j, now, true);
        journal.append(new Event.Requeue(now, j.id));
    }

    private void awaitDurable(long lsn) {
        journal.awaitDurable(lsn);
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
            Job j = table.live(jobId);
            if (j == null || j.state != JobState.RUNNING) throw CtldException.state("job " + jobId + " is not running");
            if (runStart != 0 && j.startTime != runStart) {
                throw CtldException.state("job " + jobId + " runs again since " + j.startTime + "; the report is about an earlier run");
            }
            end(j, state, exitCode, reportedEnd(j, endTime, clock.nowSec()), endReason(reason));
            toTerminate.remove(j);
            lsn = journal.lastLsn();
            journal.snapshotIfDue();
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
            for (Job j : table.running()) if (j.state == JobState.RUNNING) l.add(j);
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
                Job j = table.live(ids[i]);
                if (j == null || j.state != JobState.RUNNING) continue;
                end(j, exitCodes[i] == 0 ? JobState.COMPLETED : JobState.FAILED, exitCodes[i], now);
                n++;
            }
            lsn = journal.lastLsn();
            journal.snapshotIfDue();
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
            perms.requireJobControl(actor, j);
            end(j, JobState.CANCELLED, 0, clock.nowSec());
            lsn = journal.lastLsn();
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
            for (Job j : new ArrayList<>(table.liveJobs())) {
                if (!f.matches(j) || !perms.mayControl(actor, j)) continue;
                end(j, JobState.CANCELLED, 0, now);
                n++;
            }
            lsn = journal.lastLsn();
            term = drainTerminate();
        } finally {
            lock.unlock();
        }
        awaitDurable(lsn);
        if (!term.isEmpty()) launcher.terminate(term);
        return n;
    }

    public void hold(String actor, long jobId) {
        modify(actor, jobId, perms.operator(actor) ? Event.MOD_HOLD_ADMIN : Event.MOD_HOLD, 0);
    }

    public void release(String actor, long jobId) {
        modify(actor, jobId, Event.MOD_RELEASE, 0);
    }

    /** Sets a job's time limit (Slurm notation). Owners may only shorten it; operators may also extend it. */
    public void setTimeLimit(String actor, long jobId, String limit) {
        modify(actor, jobId, Event.MOD_TIME_LIMIT, TimeSpec.parseDuration("timeLimit", limit));
    }

    /** Nice value subtracted from the priority; negative values (raising priority) need an operator. */
    public void setNice(String actor, long jobId, int nice) {
        if (Math.abs((long) nice) > 10_000_000) throw CtldException.invalid("nice", "out of range");
        modify(actor, jobId, Event.MOD_NICE, nice);
    }

    /** Administrator override: an absolute priority (0 removes the override). */
    public void setPriority(String actor, long jobId, long priority) {
        if (priority < 0 || priority >= (1L << 40)) throw CtldException.invalid("priority", "must be in [0, 2^40)");
        modify(actor, jobId, Event.MOD_PRIORITY, priority);
    }

    private void modify(String actor, long jobId, int field, long value) {
        long lsn;
        lock.lock();
        try {
            Job j = requireLive(jobId);
            perms.requireJobControl(actor, j);
            perms.checkModify(actor, j, field, value);
            table.applyModify(j, field, value);
            lsn = journal.append(new Event.Modify(clock.nowSec(), actor, jobId, field, value));
        } finally {
            lock.unlock();
        }
        awaitDurable(lsn);
    }

    private Job requireLive(long jobId) {
        Job j = table.live(jobId);
        if (j == null) {
            // ids are only consumed by accepted submissions, so a known id that is not live has finished
            if (history.contains(jobId) || (jobId > 0 && jobId < table.nextJobId())) {
                throw CtldException.state("job " + jobId + " has already finished");
            }
            throw CtldException.notFound("job", "no job " + jobId);
        }
        return j;
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
        nodeOp(actor, node, Event.NODE_DRAIN, reason);
    }

    /** Marks a node down: its running jobs end as NODE_FAIL, or are requeued when they asked for it. */
    public void downNode(String actor, String node, String reason) {
        nodeOp(actor, node, Event.NODE_DOWN, reason);
    }

    public void resumeNode(String actor, String node) {
        nodeOp(actor, node, Event.NODE_RESUME, null);
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
            case DOWN -> Event.NODE_DOWN;
            case DRAIN -> Event.NODE_DRAIN;
            case RESUME -> Event.NODE_RESUME;
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
            for (Job j : table.running()) if (j.state == JobState.RUNNING && j.allocNodes[0] == idx) l.add(j);
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
                Job j = table.live(r.jobId());
                if (j == null || j.state != JobState.RUNNING || !contains(j.allocNodes, idx)) continue;
                if (r.runStart() != 0 && j.startTime != r.runStart()) continue;
                end(j, r.state(), r.exitCode(), reportedEnd(j, r.endTime(), now), endReason(r.reason()));
                toTerminate.remove(j);
                applied[i] = true;
            }
            lsn = journal.lastLsn();
            journal.snapshotIfDue();
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
        if (!system) perms.requireOperator(actor, "node control");
        SubmissionValidator.checkText("reason", reason, 1024, false);
        long lsn;
        List<Job> term;
        lock.lock();
        try {
            Integer idx = cluster.nodeIndex.get(name);
            if (idx == null) throw CtldException.notFound("node", "no node '" + name + "'");
            long now = clock.nowSec();
            table.applyNode(idx, op, reason);
            journal.append(new Event.NodeChange(now, actor, idx, op, reason));
            if (op == Event.NODE_DOWN) {
                for (Job j : new ArrayList<>(table.running())) {
                    if (j.state != JobState.RUNNING || !contains(j.allocNodes, idx)) continue;
                    if (j.desc.requeue()) {
                        requeue(j, now);
                        toTerminate.add(j);
                    } else {
                        end(j, JobState.NODE_FAIL, 0, now);
                    }
                }
            }
            lsn = journal.lastLsn();
            term = drainTerminate();
        } finally {
            lock.unlock();
        }
        awaitDurable(lsn);
        if (!term.isEmpty()) launcher.terminate(term);
    }

    private static boolean contains(int[] a, int v) {
        for (int x : a) if (x == v) return true;
        return false;
    }

    /** Sets a partition up or down; a down partition accepts jobs but starts none (reason PartitionDown). */
    public void setPartitionUp(String actor, String partition, boolean up) {
        perms.requireOperator(actor, "partition control");
        long lsn;
        lock.lock();
        try {
            Partition p = cluster.partitionByName.get(partition);
            if (p == null) throw CtldException.notFound("partition", "no partition '" + partition + "'");
            table.applyPartition(p.idx, up);
            lsn = journal.append(new Event.PartitionChange(clock.nowSec(), actor, p.idx, up));
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
            perms.authorize(actor, op);
            perms.checkJobsBeforeRemoval(op);
            long now = clock.nowSec();
            acct.apply(op);
            txn.record(now, actor, op);
            lsn = journal.append(new Event.AccountChange(now, actor, op));
        } finally {
            lock.unlock();
        }
        awaitDurable(lsn);
    }

    /** The most recent account-system changes, oldest first: "epochSec actor op [args]". */
    public List<String> transactionLog() {
        lock.lock();
        try {
            return txn.entries();
        } finally {
            lock.unlock();
        }
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
            long t0 = System.nanoTime();
            long now = clock.nowSec();
            int timedOut = endTimedOut(now);
            table.compactQueues();
            Scheduler.Outcome o = scheduler.pass(now, table, decisions);
            st = new PassStats(o.considered(), o.started(), o.reserved(), timedOut, System.nanoTime() - t0, o.preempted());
            started = o.startedJobs();
            lsn = journal.lastLsn();
            term = drainTerminate();
            journal.snapshotIfDue();
        } finally {
            lock.unlock();
        }
        awaitDurable(lsn);
        if (!term.isEmpty()) launcher.terminate(term);
        if (!started.isEmpty()) launcher.launch(started);
        return st;
    }

    /** Ends running jobs past their time limit as TIMEOUT (exit code 128+SIGTERM). Lock held. */
    private int endTimedOut(long now) {
        int n = 0;
        List<Job> running = table.running();
        for (int i = 0; i < running.size(); i++) {
            Job j = running.get(i);
            if (j.state == JobState.RUNNING && now >= j.startTime + j.timeLimitSec) {
                end(j, JobState.TIMEOUT, 128 + 15, now);
                n++;
            }
        }
        return n;
    }

    // =========================================================================================================
    // Queries
    // =========================================================================================================

    /** A live or finished job; finished jobs that left the memory window are read from the history files. */
    public JobView job(long id) {
        HistoryStore store;
        lock.lock();
        try {
            Job j = table.liveOrRecent(id);
            if (j != null) return JobView.of(j, cluster.nodes);
            store = id > 0 && id < table.nextJobId() ? history.store() : null;
        } finally {
            lock.unlock();
        }
        // outside the lock: a file scan must not stall the controller
        return store == null ? null : HistoryWindow.find(store, id);
    }

    /** Live jobs (pending and running) matching the predicate, by id. */
    public List<JobView> jobs(Predicate<JobView> filter) {
        lock.lock();
        try {
            List<JobView> out = new ArrayList<>();
            for (Job j : table.liveJobs()) {
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
            store = history.store();
            if (store == null) return history.query(from, to, offset, limit);
        } finally {
            lock.unlock();
        }
        return HistoryWindow.query(store, from, to, offset, limit);
    }

    /** Node summary: name, state, reason, cpus alloc/total, mem alloc/total, gpus alloc/total. */
    public record NodeView(String name, NodeState state, String reason, int cpus, int cpusAlloc, long memMb,
                           long memAllocMb, int gpus, int gpusAlloc, List<String> partitions) {
    }

    public List<NodeView> nodes() {
        lock.lock();
        try {
            return Views.nodes(cluster);
        } finally {
            lock.unlock();
        }
    }

    /** A partition's configuration and current state, with its pending and running job counts. */
    public record PartitionView(String name, List<String> nodes, int cpus, long memMb, int gpus, long maxTimeSec,
                                long defaultTimeSec, boolean up, boolean isDefault, int pendingJobs, int runningJobs) {
    }

    /** Every partition in configuration order, with its pending and running job counts. */
    public List<PartitionView> partitions() {
        lock.lock();
        try {
            return Views.partitions(cluster, table.liveJobs());
        } finally {
            lock.unlock();
        }
    }

    /** Ids of up to {@code limit} running jobs (node daemons' view; also used by the benchmark). */
    public long[] runningJobIds(int limit) {
        lock.lock();
        try {
            return table.running().stream().filter(j -> j.state == JobState.RUNNING).limit(limit).mapToLong(j -> j.id).toArray();
        } finally {
            lock.unlock();
        }
    }

    public int pendingCount() {
        lock.lock();
        try {
            return table.pendingCount();
        } finally {
            lock.unlock();
        }
    }

    public int runningCount() {
        lock.lock();
        try {
            int n = 0;
            for (Job j : table.running()) if (j.state == JobState.RUNNING) n++;
            return n;
        } finally {
            lock.unlock();
        }
    }

    public int liveCount() {
        lock.lock();
        try {
            return table.liveCount();
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
    // Persistence
    // =========================================================================================================

    /** Writes a snapshot now and drops WAL segments it covers. */
    public void snapshot() throws IOException {
        lock.lock();
        try {
            journal.snapshot();
        } finally {
            lock.unlock();
        }
    }

    /** WAL statistics (batches fsynced, records) or null when in memory. */
    public long[] walStats() {
        return journal.stats();
    }

    @Override
    public void close() {
        lock.lock();
        try {
            journal.close();
        } finally {
            lock.unlock();
        }
    }
}
