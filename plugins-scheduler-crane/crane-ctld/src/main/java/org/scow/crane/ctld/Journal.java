package org.scow.crane.ctld;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.scow.crane.ctld.account.AccountStore;
import org.scow.crane.ctld.history.HistoryStore;
import org.scow.crane.ctld.model.Job;
import org.scow.crane.ctld.util.Buf;
import org.scow.crane.ctld.util.BufReader;
import org.scow.crane.ctld.wal.Event;
import org.scow.crane.ctld.wal.SnapshotFile;
import org.scow.crane.ctld.wal.Wal;

/**
 * The controller's persistence: appends applied {@link Event}s to the WAL, takes snapshots, and at start-up
 * rebuilds the state from the newest valid snapshot plus the WAL after it (replay applies each event to the
 * {@link JobTable} with its recorded time and ids; it never validates and never schedules).
 *
 * <p>Without a StateDir nothing is written and {@link #append} answers -1. Appends happen under the controller
 * lock, so log order equals apply order; waiting for durability ({@link #awaitDurable}) happens outside it.
 */
final class Journal {
    private final CtldConfig cfg;
    private final Clock clock;
    private final JobTable table;
    private final AccountStore acct;
    private final TransactionLog txn;
    private final SnapshotCodec codec;
    private final Buf eb = new Buf(4096);
    private Wal wal;
    private long recordsSinceSnapshot;
    private boolean replaying;
    private long lastLsn;

    Journal(CtldConfig cfg, Clock clock, CtldConfig.Cluster cluster, JobTable table, AccountStore acct, TransactionLog txn) {
        this.cfg = cfg;
        this.clock = clock;
        this.table = table;
        this.acct = acct;
        this.txn = txn;
        this.codec = new SnapshotCodec(cluster, acct, table, txn);
    }

    /**
     * Appends an event already applied to the state; returns its LSN, or -1 in memory. The jobs it ended go to the
     * history store with that LSN, so they are written there only once the event is durable.
     */
    long append(Event e) {
        if (replaying) throw new IllegalStateException("logging during replay");
        recordsSinceSnapshot++;
        if (wal == null) return -1;
        e.write(eb.reset());
        lastLsn = wal.append(eb.array(), 0, eb.size());
        table.history().drainEnded(lastLsn);
        return lastLsn;
    }

    /** The LSN of the last record appended (or recovered); what a caller that appended several waits for. */
    long lastLsn() {
        return lastLsn;
    }

    void awaitDurable(long lsn) {
        if (wal != null && lsn >= 0) wal.awaitDurable(lsn);
    }

    /** Runs {@code then} once {@code lsn} is durable (at once, on this thread, when nothing had to be written). */
    void whenDurable(long lsn, Wal.DurableCallback then) {
        if (wal == null || lsn < 0) then.done(null);
        else wal.whenDurable(lsn, then);
    }

    /** Takes a snapshot when {@code SnapshotEveryRecords} records were appended since the last one. Lock held. */
    void snapshotIfDue() {
        if (wal != null && cfg.snapshotEveryRecords > 0 && recordsSinceSnapshot >= cfg.snapshotEveryRecords) {
            try {
                snapshot();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /**
     * Makes the log durable, writes the full state as {@code snap-<lsn>.bin}, rotates the WAL and deletes older
     * snapshots and the segments the new one covers. Lock held: a stop-the-world pause of about the encode time.
     */
    void snapshot() throws IOException {
        if (wal == null) return;
        wal.sync();
        long lsn = wal.lastLsn();
        // the snapshot no longer carries the history: every job it counts must be durable in the files first
        HistoryStore store = table.history().store();
        store.flush(true);
        store.expire();
        Buf b = new Buf(1 << 20);
        codec.encode(b, clock.nowSec());
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
     * Loads the newest valid snapshot (a damaged one is skipped), replays the segments after it in LSN order (a torn
     * tail is cut; a gap stops start-up), brings the history files up to the recovered state, then opens the WAL.
     */
    void recover(Path dir) throws IOException {
        Files.createDirectories(dir);
        HistoryStore store = new HistoryStore(dir.resolve("history"), () -> {
            Wal w = wal;
            return w == null ? 0 : w.durableLsn();
        }, clock::nowSec, cfg.historyRetentionDays(), cfg.historyFlushMs);
        HistoryWindow history = table.history();
        history.attach(store);
        long snapLsn = 0;
        long snapSeq = 0;
        long sinceDay = Long.MIN_VALUE;
        for (Path s : SnapshotFile.list(dir)) {
            SnapshotFile.Loaded l = SnapshotFile.read(s);
            if (l == null) {
                System.err.println("cranectld: ignoring damaged snapshot " + s);
                continue;
            }
            SnapshotCodec.Header h = codec.decode(new BufReader(l.payload()));
            snapLsn = l.lsn();
            if (h.version() >= 3) {
                snapSeq = history.seq();
                sinceDay = HistoryStore.dayOf(h.time());
            }
            break;
        }
        List<Path> segs = Wal.segments(dir);
        long[] last = {snapLsn};
        replaying = true;
        try {
            for (Path seg : segs) {
                long first = Wal.firstLsnOf(seg);
                if (first > last[0] + 1) {
                    throw new IllegalStateException("WAL gap: expected record " + (last[0] + 1) + " but " + seg.getFileName() + " starts at " + first);
                }
                Wal.read(seg, (lsn, buf, off, len) -> {
                    if (lsn <= last[0]) return;
                    replay(Event.read(new BufReader(buf, off, len)));
                    history.drainEnded(0);
                    last[0] = lsn;
                }, true);
            }
        } finally {
            replaying = false;
        }
        lastLsn = last[0];
        history.trim(clock.nowSec());
        store.recover(snapSeq, history.seq(), sinceDay);
        store.start();
        wal = new Wal(dir, last[0] + 1);
        for (Path seg : Wal.segments(dir)) {
            // empty segments left by earlier crashes right after opening
            if (Files.size(seg) == 0 && Wal.firstLsnOf(seg) != last[0] + 1) Files.deleteIfExists(seg);
        }
    }

    /** Applies one recorded event, as the live path applied it. */
    private void replay(Event e) {
        long t = e.time();
        if (e instanceof Event.Submit s) {
            table.insertSubmitted(s.desc(), s.id(), t);
        } else if (e instanceof Event.Start s) {
            table.applyStart(liveOrFail(s.id()), s.nodes(), s.gres(), t);
        } else if (e instanceof Event.End s) {
            Job j = liveOrFail(s.id());
            j.endReason = s.reason();
            table.applyEnd(j, s.state(), s.exitCode(), t);
        } else if (e instanceof Event.Requeue s) {
            table.applyRequeue(liveOrFail(s.id()), t, true);
        } else if (e instanceof Event.Preempt s) {
            table.applyPreempt(liveOrFail(s.victim()), s.preemptor(), s.mode(), t);
        } else if (e instanceof Event.Modify s) {
            table.applyModify(liveOrFail(s.id()), s.field(), s.value());
        } else if (e instanceof Event.NodeChange s) {
            table.applyNode(s.node(), s.op(), s.reason());
        } else if (e instanceof Event.AccountChange s) {
            acct.apply(s.op());
            txn.record(t, s.actor(), s.op());
        } else if (e instanceof Event.PartitionChange s) {
            table.applyPartition(s.partition(), s.up());
        } else {
            throw new IllegalStateException("no replay for " + e);
        }
    }

    private Job liveOrFail(long id) {
        Job j = table.live(id);
        if (j == null) throw new IllegalStateException("WAL refers to unknown live job " + id);
        return j;
    }

    /** WAL statistics (batches fsynced, records), or null in memory. */
    long[] stats() {
        return wal == null ? null : wal.stats();
    }

    /** Flushes what is left, closes the history store and the WAL. Lock held. */
    void close() {
        if (wal == null) return;
        try {
            wal.sync();
        } catch (RuntimeException e) {
            // a failed WAL: the history keeps only what was durable
        }
        table.history().store().close();
        wal.close();
        wal = null;
    }
}
