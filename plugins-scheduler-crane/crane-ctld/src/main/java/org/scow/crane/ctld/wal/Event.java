package org.scow.crane.ctld.wal;

import org.scow.crane.ctld.account.AccountStore;
import org.scow.crane.ctld.model.JobDesc;
import org.scow.crane.ctld.model.PreemptMode;
import org.scow.crane.ctld.util.Buf;
import org.scow.crane.ctld.util.BufReader;
import org.scow.crane.protocol.JobState;

/**
 * One controller event as a typed record, and its WAL encoding. The encoding is the on-disk format of every WAL
 * written so far: {@code u8 type | var time | fields...}, so the field order of each {@link #write} must never change
 * (new optional fields go at the end, read only when {@link BufReader#hasMore()}).
 */
public sealed interface Event {
    int SUBMIT = 1;
    int START = 2;
    int END = 3;
    int REQUEUE = 4;
    int MODIFY = 5;
    int NODE = 6;
    int ACCOUNT = 7;
    int PARTITION = 8;
    int PREEMPT = 9;

    /** {@link Modify#field()} values. */
    int MOD_HOLD = 0;
    int MOD_HOLD_ADMIN = 1;
    int MOD_RELEASE = 2;
    int MOD_TIME_LIMIT = 3;
    int MOD_NICE = 4;
    int MOD_PRIORITY = 5;

    /** {@link NodeChange#op()} values. */
    int NODE_DOWN = 0;
    int NODE_DRAIN = 1;
    int NODE_RESUME = 2;

    /** When the event happened (epoch s); replay applies it with this time. */
    long time();

    /** Appends the encoded event to {@code b}. */
    void write(Buf b);

    /** A job (or the tasks of an array, ids {@code id ... id+n-1}) accepted; the description is already validated. */
    record Submit(long time, String actor, long id, JobDesc desc) implements Event {
        public void write(Buf b) {
            b.u8(SUBMIT).var(time).str(actor).var(id);
            desc.write(b);
        }
    }

    /** A job started on {@code nodes}, with the GRES type chosen on each (-1: none). */
    record Start(long time, long id, int[] nodes, int[] gres) implements Event {
        public void write(Buf b) {
            b.u8(START).var(time).var(id).ints(nodes).ints(gres);
        }
    }

    /** A pending or running job ended; {@code reason} (the node's, optional) is null for ordinary ends. */
    record End(long time, long id, JobState state, int exitCode, String reason) implements Event {
        public void write(Buf b) {
            b.u8(END).var(time).var(id).u8(state.ordinal()).var(exitCode);
            // written only when present: records from before end reasons existed stop after the exit code
            if (reason != null) b.str(reason);
        }
    }

    /** A job back in the queue after its node failed (held past MaxRequeue). */
    record Requeue(long time, long id) implements Event {
        public void write(Buf b) {
            b.u8(REQUEUE).var(time).var(id);
        }
    }

    /** A change of one job field ({@code MOD_*}). */
    record Modify(long time, String actor, long id, int field, long value) implements Event {
        public void write(Buf b) {
            b.u8(MODIFY).var(time).str(actor).var(id).u8(field).var(value);
        }
    }

    /** A node set down, drained or resumed ({@code NODE_*}), by configuration index. */
    record NodeChange(long time, String actor, int node, int op, String reason) implements Event {
        public void write(Buf b) {
            b.u8(NODE).var(time).str(actor).var(node).u8(op).str(reason);
        }
    }

    /** One account-system operation. */
    record AccountChange(long time, String actor, AccountStore.Op op) implements Event {
        public void write(Buf b) {
            b.u8(ACCOUNT).var(time).str(actor);
            writeOp(b, op);
        }
    }

    /** A partition set up or down, by configuration index. */
    record PartitionChange(long time, String actor, int partition, boolean up) implements Event {
        public void write(Buf b) {
            b.u8(PARTITION).var(time).str(actor).var(partition).bool(up);
        }
    }

    /** Running job {@code victim} preempted (cancelled or requeued) so that {@code preemptor} could start. */
    record Preempt(long time, long victim, long preemptor, PreemptMode mode) implements Event {
        public void write(Buf b) {
            b.u8(PREEMPT).var(time).var(victim).var(preemptor).u8(mode.ordinal());
        }
    }

    /** Decodes one WAL record. */
    static Event read(BufReader r) {
        int type = r.u8();
        long time = r.var();
        return switch (type) {
            case SUBMIT -> new Submit(time, r.str(), r.var(), JobDesc.read(r));
            case START -> new Start(time, r.var(), r.ints(), r.ints());
            case END -> {
                long id = r.var();
                JobState st = JobState.of(r.u8());
                int exit = r.varInt();
                yield new End(time, id, st, exit, r.hasMore() ? r.str() : null);
            }
            case REQUEUE -> new Requeue(time, r.var());
            case MODIFY -> new Modify(time, r.str(), r.var(), r.u8(), r.var());
            case NODE -> new NodeChange(time, r.str(), r.varInt(), r.u8(), r.str());
            case ACCOUNT -> new AccountChange(time, r.str(), readOp(r));
            case PARTITION -> new PartitionChange(time, r.str(), r.varInt(), r.bool());
            case PREEMPT -> new Preempt(time, r.var(), r.var(), PreemptMode.values()[r.u8()]);
            default -> throw new IllegalStateException("unknown WAL record type " + type);
        };
    }

    /** An account op as stored in the WAL and in snapshots: {@code u8 code | strs | var count | var...}. */
    static void writeOp(Buf b, AccountStore.Op op) {
        b.u8(op.code()).strs(op.s()).var(op.n().length);
        for (long x : op.n()) b.var(x);
    }

    static AccountStore.Op readOp(BufReader r) {
        int code = r.u8();
        String[] s = r.strs();
        int k = r.varInt();
        if (k < 0 || k > 64) throw new IllegalStateException("bad op");
        long[] n = new long[k];
        for (int i = 0; i < k; i++) n[i] = r.var();
        return new AccountStore.Op(code, s, n);
    }
}
