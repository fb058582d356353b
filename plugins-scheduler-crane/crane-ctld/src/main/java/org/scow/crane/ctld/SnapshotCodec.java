package org.scow.crane.ctld;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import org.scow.crane.ctld.account.Account;
import org.scow.crane.ctld.account.AccountStore;
import org.scow.crane.ctld.model.ArrayGroup;
import org.scow.crane.ctld.model.Job;
import org.scow.crane.ctld.model.JobDesc;
import org.scow.crane.ctld.model.Node;
import org.scow.crane.ctld.model.Partition;
import org.scow.crane.ctld.util.Buf;
import org.scow.crane.ctld.util.BufReader;
import org.scow.crane.ctld.wal.Event;
import org.scow.crane.protocol.JobState;

/**
 * The snapshot payload: the whole controller state in one buffer. Accounts are stored as the op list that rebuilds
 * them; job descriptions are shared between array tasks (written once, then referred to by index).
 *
 * <p>Versions: 2 added {@code preemptedBy} per job; 3 keeps only the recent window of finished jobs plus the
 * history sequence number (the rest is in the history files); 4 added each job's end reason. Versions 1 and 2 are
 * still read: their full history is moved into the files at recovery.
 */
final class SnapshotCodec {
    static final int VERSION = 4;

    /** What a decoded snapshot says about itself. */
    record Header(int version, long time) {
    }

    private final CtldConfig.Cluster cluster;
    private final AccountStore acct;
    private final JobTable table;
    private final TransactionLog txn;

    SnapshotCodec(CtldConfig.Cluster cluster, AccountStore acct, JobTable table, TransactionLog txn) {
        this.cluster = cluster;
        this.acct = acct;
        this.table = table;
        this.txn = txn;
    }

    void encode(Buf b, long now) {
        b.u8(VERSION).var(table.nextJobId()).var(now);
        List<AccountStore.Op> ops = acct.exportOps();
        b.var(ops.size());
        for (AccountStore.Op op : ops) Event.writeOp(b, op);
        b.var(acct.accounts().size());
        for (Account a : acct.accounts()) b.str(a.name).f64(a.usage).var(a.usageTime);
        b.var(cluster.nodes.length);
        for (Node n : cluster.nodes) b.str(n.name).bool(n.down).bool(n.drain).str(n.reason);
        b.var(cluster.partitions.length);
        for (Partition p : cluster.partitions) b.str(p.name).bool(p.up);
        b.var(table.arrays().size());
        for (ArrayGroup g : table.arrays()) {
            b.var(g.arrayJobId).var(g.maxConcurrent).var(g.total).var(g.started).var(g.finished).var(g.completedOk);
        }
        IdentityHashMap<JobDesc, Integer> descs = new IdentityHashMap<>();
        List<Job> jobs = new ArrayList<>(table.liveJobs());
        jobs.sort((x, y) -> Long.compare(x.id, y.id));
        b.var(jobs.size());
        for (Job j : jobs) writeJob(b, j, descs);
        HistoryWindow h = table.history();
        b.var(h.seq());
        List<Job> recent = h.jobs();
        b.var(recent.size());
        for (Job j : recent) writeJob(b, j, descs);
        List<String> t = txn.entries();
        b.var(t.size());
        for (String s : t) b.str(s);
    }

    private static void writeJob(Buf b, Job j, IdentityHashMap<JobDesc, Integer> descs) {
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

    /** Restores the state into the (empty) account store, cluster and job table. */
    Header decode(BufReader r) {
        int v = r.u8();
        if (v < 1 || v > VERSION) throw new IllegalStateException("unsupported snapshot version " + v);
        table.setNextJobId(r.var());
        long time = r.var();
        int nops = r.varInt();
        for (int i = 0; i < nops; i++) acct.apply(Event.readOp(r));
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
            table.restoreArray(g);
        }
        List<JobDesc> descs = new ArrayList<>();
        int nj = r.varInt();
        for (int i = 0; i < nj; i++) table.restoreJob(readJob(r, descs, v), false);
        HistoryWindow h = table.history();
        if (v >= 3) h.setSeq(r.var());
        int nh = r.varInt();
        for (int i = 0; i < nh; i++) {
            Job j = readJob(r, descs, v);
            table.restoreJob(j, true);
            if (v < 3) {
                // numbered in snapshot order, the same on every start until a version 3 snapshot replaces it
                h.setSeq(h.seq() + 1);
                h.store().add(JobView.of(j, cluster.nodes), h.seq(), 0);
            }
        }
        int nt = r.varInt();
        for (int i = 0; i < nt; i++) txn.add(r.str());
        return new Header(v, time);
    }

    private static Job readJob(BufReader r, List<JobDesc> descs, int version) {
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
        if (version >= 2) j.preemptedBy = r.var();
        if (version >= 4) j.endReason = r.str();
        return j;
    }
}
