package org.scow.crane.ctld;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Predicate;
import org.scow.crane.ctld.account.AccountStore;
import org.scow.crane.ctld.history.HistoryStore;
import org.scow.crane.ctld.model.Job;
import org.scow.crane.ctld.model.JobDesc;
import org.scow.crane.ctld.model.JobRequest;
import org.scow.crane.ctld.model.NodeState;
import org.scow.crane.ctld.model.Partition;
import org.scow.crane.ctld.util.TimeSpec;
import org.scow.crane.ctld.wal.Event;
import org.scow.crane.protocol.JobState;
import org.scow.crane.protocol.JobUserPolicy;

/**
 * The controller core (cranectld) as a plain Java object: the facade that owns the lock, checks permissions and is
 * the whole public API, over the {@link JobTable} (live jobs and their resources), the {@link Journal} (events,
 * WAL, snapshots, recovery), the {@link SubmissionValidator}, the {@link HistoryWindow} and the {@link Scheduler}.
 *
 * <p><b>State machine and lock discipline.</b> Every change is one {@link Event} (submit, start, end, requeue,
 * modify, node, partition, account op, preempt). A public method takes the controller's one lock
 * ({@link ControllerLock}), validates fully (a refused request changes nothing, not even a job id), applies the
 * event to the table and appends it to the journal ({@link LiveEvents}) while still holding it, so log order
 * equals apply order; then, outside the lock, it waits until the records are fsynced before returning, and only
 * then hands runs to kill or start to the {@link Launcher} (a job never runs unrecorded). Replay applies the same
 * events with their recorded times and ids, so it rebuilds exactly the acknowledged state. Cascading effects (a
 * node going down failing its jobs, each preemption) are logged as their own events. The components behind this
 * class take no lock of their own and are called only from here, with the lock held; a new hook (e.g. job steps)
 * should follow the same pattern: {@code lock.change(() -> ...)} around validate, apply, journal.
 *
 * <p><b>Identity.</b> Every method takes the {@code actor}: the caller's identity as proven by the protocol layer
 * (never a request field). {@link Permissions} says what it may do.
 */
public final class Controller implements AutoCloseable {
    /** The actor recorded for node state changes the controller makes itself (node timeouts, return to service). */
    public static final String SYSTEM_ACTOR = "cranectld";

    private final CtldConfig.Cluster cluster;
    private final Clock clock;
    private final AccountStore acct;
    private final JobTable table;
    private final HistoryWindow history;
    private final TransactionLog txn = new TransactionLog();
    private final Journal journal;
    private final LiveEvents events;
    private final NodeReports reports;
    private final SubmissionValidator validator;
    private final Permissions perms;
    private final Scheduler scheduler;
    private final ControllerLock lock;
    private volatile Launcher launcher = Launcher.NONE;
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
        this.events = new LiveEvents(table, journal, acct, txn);
        this.reports = new NodeReports(table, events, clock);
        this.userPolicy = cfg.jobUserPolicy();
        this.validator = new SubmissionValidator(cfg, cluster, acct, table, userPolicy);
        this.perms = new Permissions(acct);
        this.scheduler = new Scheduler(cfg, cluster);
        this.lock = new ControllerLock(journal, events, () -> launcher);
        if (cfg.stateDir != null) journal.recover(cfg.stateDir);
    }

    public void setLauncher(Launcher l) {
        launcher = l == null ? Launcher.NONE : l;
    }

    public CtldConfig.Cluster cluster() {
        return cluster;
    }

    // ---- Submission --------------------------------------------------------------------------------------------------

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
        journal.awaitDurable(submitLogged(actor, reqs, out));
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
        validator.warm(actor, reqs); // outside the lock: it may ask the password database
        int[] tasks = new int[1];
        return lock.read(() -> {
            long lsn = -1;
            long now = clock.nowSec();
            for (JobRequest r : reqs) {
                try {
                    JobDesc d = validator.validate(actor, r, now);
                    long id = table.nextJobId();
                    lsn = events.submit(actor, d, now, tasks);
                    out.add(new Submitted(id, tasks[0]));
                } catch (CtldException e) {
                    out.add(e);
                }
            }
            return lsn;
        });
    }

    // ---- Node reports and job control --------------------------------------------------------------------------------

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
        NodeReports.checkState(state);
        lock.change(() -> {
            reports.jobEnded(jobId, runStart, state, exitCode, endTime, reason);
            journal.snapshotIfDue();
        });
    }

    /** The running jobs (e.g. for a node daemon to reconcile with after a restart). Their descriptions are immutable. */
    public List<Job> runningJobs() {
        return lock.read(() -> Views.running(table.running(), -1));
    }

    /** Reports many finished jobs (ids with exit codes) with one flush; unknown or not-running ids are skipped. */
    public int jobsFinished(long[] ids, int[] exitCodes) {
        return lock.change(() -> {
            int n = reports.jobsFinished(ids, exitCodes);
            journal.snapshotIfDue();
            return n;
        });
    }

    public void cancel(String actor, long jobId) {
        lock.change(() -> {
            Job j = requireLive(jobId);
            perms.requireJobControl(actor, j);
            events.end(j, JobState.CANCELLED, 0, clock.nowSec(), null);
        });
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
        return lock.change(() -> {
            int n = 0;
            long now = clock.nowSec();
            for (Job j : new ArrayList<>(table.liveJobs())) {
                if (!f.matches(j) || !perms.mayControl(actor, j)) continue;
                events.end(j, JobState.CANCELLED, 0, now, null);
                n++;
            }
            return n;
        });
    }

    public void hold(String actor, long jobId) {
        modify(actor, jobId, lock.read(() -> perms.operator(actor)) ? Event.MOD_HOLD_ADMIN : Event.MOD_HOLD, 0);
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
        lock.change(() -> {
            Job j = requireLive(jobId);
            perms.requireJobControl(actor, j);
            perms.checkModify(actor, j, field, value);
            events.modify(j, actor, field, value, clock.nowSec());
        });
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

    // ---- Nodes and partitions ----------------------------------------------------------------------------------------

    /** Drains a node: running jobs continue, no new ones start. */
    public void drainNode(String actor, String node, String reason) {
        nodeOp(actor, node, Event.NODE_DRAIN, reason, false);
    }

    /** Marks a node down: its running jobs end as NODE_FAIL, or are requeued when they asked for it. */
    public void downNode(String actor, String node, String reason) {
        nodeOp(actor, node, Event.NODE_DOWN, reason, false);
    }

    public void resumeNode(String actor, String node) {
        nodeOp(actor, node, Event.NODE_RESUME, null, false);
    }

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

    private void nodeOp(String actor, String name, int op, String reason, boolean system) {
        if (!system) lock.read(() -> {
            perms.requireOperator(actor, "node control");
            return null;
        });
        SubmissionValidator.checkText("reason", reason, 1024, false);
        lock.change(() -> events.node(actor, nodeIndex(name), op, reason, clock.nowSec()));
    }

    private int nodeIndex(String node) {
        Integer idx = cluster.nodeIndex.get(node);
        if (idx == null) throw CtldException.notFound("node", "no node '" + node + "'");
        return idx;
    }

    /**
     * Marks a node's daemon connected or silent. Not logged: a silent node only stops taking new jobs; whether and
     * when it goes DOWN is the node manager's decision ({@link #systemNodeControl}).
     */
    public void setNodeResponding(String node, boolean responding) {
        lock.read(() -> cluster.nodes[nodeIndex(node)].responding = responding);
    }

    /** The node's state and reason as shown ({@code DOWN}/{@code DRAIN} carry the reason), or null for an unknown node. */
    public NodeView node(String name) {
        for (NodeView v : nodes()) if (v.name().equals(name)) return v;
        return null;
    }

    /** The running jobs whose batch script runs on {@code node} (the first node of their allocation). */
    public List<Job> runningJobsOn(String node) {
        return lock.read(() -> Views.running(table.running(), nodeIndex(node)));
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

    /**
     * Many job ends reported by {@code node}, with one WAL flush. A report is applied only when the job is running,
     * on that node (anywhere in its allocation), in the run named by {@code runStart}; the others are skipped (ended
     * meanwhile by a cancel or timeout, requeued, or not the node's job). Returns which reports were applied.
     */
    public boolean[] jobsEndedOn(String node, List<NodeReport> reports) {
        for (NodeReport r : reports) NodeReports.checkState(r.state());
        return lock.change(() -> {
            boolean[] applied = this.reports.jobsEndedOn(nodeIndex(node), reports);
            journal.snapshotIfDue();
            return applied;
        });
    }

    /** Sets a partition up or down; a down partition accepts jobs but starts none (reason PartitionDown). */
    public void setPartitionUp(String actor, String partition, boolean up) {
        lock.change(() -> {
            perms.requireOperator(actor, "partition control");
            Partition p = cluster.partitionByName.get(partition);
            if (p == null) throw CtldException.notFound("partition", "no partition '" + partition + "'");
            events.partition(actor, p.idx, up, clock.nowSec());
        });
    }

    // ---- Accounts ----------------------------------------------------------------------------------------------------

    /**
     * Applies one account-system change on behalf of {@code actor} and records it in the transaction log.
     * Operators may do anything except changing admin levels (admins only); account coordinators may manage
     * users, sub-accounts and blocks inside their subtree.
     */
    public void accountOp(String actor, AccountStore.Op op) {
        lock.change(() -> {
            perms.authorize(actor, op);
            perms.checkJobsBeforeRemoval(op);
            events.account(actor, op, clock.nowSec());
        });
    }

    /** The most recent account-system changes, oldest first: "epochSec actor op [args]". */
    public List<String> transactionLog() {
        return lock.read(txn::entries);
    }

    /** Read-only access to the account store for queries; callers must not mutate it. */
    public <T> T withAccounts(Function<AccountStore, T> f) {
        return lock.read(() -> f.apply(acct));
    }

    // convenience wrappers used by tests, the benchmark and the protocol layer
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

    // ---- Scheduling --------------------------------------------------------------------------------------------------

    /**
     * Runs one scheduling pass now: time limits, priorities, placement, backfill. The scheduler reads the table and
     * returns its starts and preemptions through {@link LiveEvents}, which applies and journals each at once.
     * Started jobs go to the launcher once their start records are durable.
     */
    public PassStats schedule() {
        List<Job> started = new ArrayList<>();
        PassStats st = lock.change(() -> {
            long t0 = System.nanoTime();
            long now = clock.nowSec();
            int timedOut = endTimedOut(now);
            table.compactQueues();
            Scheduler.Outcome o = scheduler.pass(now, table, events);
            started.addAll(o.startedJobs());
            journal.snapshotIfDue();
            return new PassStats(o.considered(), o.started(), o.reserved(), timedOut, System.nanoTime() - t0, o.preempted());
        });
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
                events.end(j, JobState.TIMEOUT, 128 + 15, now, null);
                n++;
            }
        }
        return n;
    }

    // ---- Queries -----------------------------------------------------------------------------------------------------

    /** A live or finished job; finished jobs that left the memory window are read from the history files. */
    public JobView job(long id) {
        HistoryStore[] store = new HistoryStore[1];
        JobView v = lock.read(() -> {
            Job j = table.liveOrRecent(id);
            if (j != null) return JobView.of(j, cluster.nodes);
            store[0] = id > 0 && id < table.nextJobId() ? history.store() : null;
            return null;
        });
        // outside the lock: a file scan must not stall the controller
        return v != null || store[0] == null ? v : HistoryWindow.find(store[0], id);
    }

    /** Live jobs (pending and running) matching the predicate, by id. */
    public List<JobView> jobs(Predicate<JobView> filter) {
        return lock.read(() -> Views.jobs(cluster, table.liveJobs(), filter));
    }

    /**
     * Finished jobs with {@code from <= endTime < to}, ordered by end time then id, skipping {@code offset}, at most
     * {@code limit}. With a StateDir they come from the history files (read outside the controller lock), otherwise
     * from the in-memory window.
     */
    public List<JobView> history(long from, long to, int offset, int limit) {
        if (offset < 0 || limit < 0) throw CtldException.invalid("paging", "offset and limit must not be negative");
        HistoryStore store = lock.read(history::store);
        if (store == null) return lock.read(() -> history.query(from, to, offset, limit));
        return HistoryWindow.query(store, from, to, offset, limit);
    }

    /** How many finished jobs {@link #history} has with {@code from <= endTime < to} (the total of a paged query). */
    public long historyCount(long from, long to) {
        HistoryStore store = lock.read(history::store);
        if (store == null) return lock.read(() -> history.count(from, to));
        return HistoryWindow.count(store, from, to);
    }

    /** Node summary: name, state, reason, cpus alloc/total, mem alloc/total, gpus alloc/total. */
    public record NodeView(String name, NodeState state, String reason, int cpus, int cpusAlloc, long memMb,
                           long memAllocMb, int gpus, int gpusAlloc, List<String> partitions) {
    }

    public List<NodeView> nodes() {
        return lock.read(() -> Views.nodes(cluster));
    }

    /** A partition's configuration and current state, with its pending and running job counts. */
    public record PartitionView(String name, List<String> nodes, int cpus, long memMb, int gpus, long maxTimeSec,
                                long defaultTimeSec, boolean up, boolean isDefault, int pendingJobs, int runningJobs) {
    }

    /** Every partition in configuration order, with its pending and running job counts. */
    public List<PartitionView> partitions() {
        return lock.read(() -> Views.partitions(cluster, table.liveJobs()));
    }

    /** Ids of up to {@code limit} running jobs (node daemons' view; also used by the benchmark). */
    public long[] runningJobIds(int limit) {
        return lock.read(() -> table.running().stream().filter(j -> j.state == JobState.RUNNING).limit(limit).mapToLong(j -> j.id).toArray());
    }

    public int pendingCount() {
        return lock.read(table::pendingCount);
    }

    public int runningCount() {
        return lock.read(() -> Views.running(table.running(), -1).size());
    }

    public int liveCount() {
        return lock.read(table::liveCount);
    }

    /** Fair-share factor of an account as of the last scheduling pass. */
    public double fairShare(String account) {
        return lock.read(() -> acct.requireAccount(account).fsFactor);
    }

    // ---- Persistence -------------------------------------------------------------------------------------------------

    /** Writes a snapshot now and drops WAL segments it covers. */
    public void snapshot() throws IOException {
        lock.io(journal::snapshot);
    }

    /** WAL statistics (batches fsynced, records) or null when in memory. */
    public long[] walStats() {
        return journal.stats();
    }

    @Override
    public void close() {
        lock.read(() -> {
            journal.close();
            return null;
        });
    }
}
