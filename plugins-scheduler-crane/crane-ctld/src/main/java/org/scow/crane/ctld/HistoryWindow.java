package org.scow.crane.ctld;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.function.Consumer;
import org.scow.crane.ctld.history.HistoryStore;
import org.scow.crane.ctld.model.Job;
import org.scow.crane.ctld.model.Node;

/**
 * Finished jobs: the recent window kept in memory (for {@code job(id)}, "already finished" errors and dependency
 * checks; the whole history without a StateDir) and the hand-over of each end to the durable {@link HistoryStore}.
 *
 * <p>Every finished job gets the next history sequence number, which identifies its record across restarts. An end
 * is queued here while its event is being applied and handed to the store with that event's LSN once the journal
 * has appended it ({@link #drainEnded}), so the store never writes an end the WAL could lose. Guarded by the
 * controller lock, except {@link HistoryStore}'s own queries.
 */
final class HistoryWindow {
    private final CtldConfig cfg;
    private final Node[] nodes;
    /** Called for each job leaving the window (its array group may be forgotten then). */
    private final Consumer<Job> evicted;
    private final ArrayList<Job> window = new ArrayList<>();
    private int head;
    private final HashMap<Long, Job> byId = new HashMap<>();
    /** Durable history (StateDir/history); null in memory. */
    private HistoryStore store;
    /** Finished jobs so far: the sequence number of the last one. */
    private long seq;
    /** Jobs ended by the event being applied, handed to the store with that event's LSN once it is logged. */
    private final ArrayList<Job> endedUnlogged = new ArrayList<>();
    private final ArrayList<Long> endedUnloggedSeq = new ArrayList<>();

    HistoryWindow(CtldConfig cfg, Node[] nodes, Consumer<Job> evicted) {
        this.cfg = cfg;
        this.nodes = nodes;
        this.evicted = evicted;
    }

    void attach(HistoryStore s) {
        store = s;
    }

    /** The durable store, or null for an in-memory controller. */
    HistoryStore store() {
        return store;
    }

    long seq() {
        return seq;
    }

    void setSeq(long s) {
        seq = s;
    }

    /** A job just ended (live or in replay): numbered, remembered, queued for the store. */
    void finished(Job j, long now) {
        window.add(j);
        byId.put(j.id, j);
        seq++;
        if (store != null) {
            endedUnlogged.add(j);
            endedUnloggedSeq.add(seq);
        }
        trim(now);
    }

    /** A finished job restored from a snapshot (already numbered). */
    void restore(Job j) {
        window.add(j);
        byId.put(j.id, j);
    }

    /**
     * Hands the jobs ended by the event just logged (or replayed, {@code lsn} 0) to the store. Done after the whole
     * event is applied, so the record has its final fields (e.g. the preemptor of a cancelled victim).
     */
    void drainEnded(long lsn) {
        if (endedUnlogged.isEmpty()) return;
        for (int i = 0; i < endedUnlogged.size(); i++) {
            store.add(JobView.of(endedUnlogged.get(i), nodes), endedUnloggedSeq.get(i), lsn);
        }
        endedUnlogged.clear();
        endedUnloggedSeq.clear();
    }

    /** A finished job still in the memory window, or null. */
    Job get(long id) {
        return byId.get(id);
    }

    boolean contains(long id) {
        return byId.containsKey(id);
    }

    /** The jobs of the memory window, oldest end first (for snapshots). */
    List<Job> jobs() {
        return window.subList(head, window.size());
    }

    /** Drops jobs beyond the memory window's size or retention. */
    void trim(long now) {
        while (window.size() - head > cfg.historyMemoryJobs
                || (head < window.size() && window.get(head).endTime < now - cfg.historyRetentionSec)) {
            Job old = window.set(head++, null);
            byId.remove(old.id);
            evicted.accept(old);
        }
        if (head > 4096 && head > window.size() / 2) {
            window.subList(0, head).clear();
            head = 0;
        }
    }

    /** The in-memory query of {@link Controller#history}: end time in [from, to), by end time then id. */
    List<JobView> query(long from, long to, int offset, int limit) {
        List<Job> match = new ArrayList<>();
        for (int i = head; i < window.size(); i++) {
            Job j = window.get(i);
            if (j.endTime >= from && j.endTime < to) match.add(j);
        }
        match.sort((a, b) -> a.endTime != b.endTime ? Long.compare(a.endTime, b.endTime) : Long.compare(a.id, b.id));
        List<JobView> out = new ArrayList<>();
        for (int i = offset; i < match.size() && out.size() < limit; i++) out.add(JobView.of(match.get(i), nodes));
        return out;
    }

    /** The in-memory count of {@link Controller#historyCount}: end time in [from, to). */
    long count(long from, long to) {
        long n = 0;
        for (int i = head; i < window.size(); i++) {
            long end = window.get(i).endTime;
            if (end >= from && end < to) n++;
        }
        return n;
    }

    /** The durable count (outside the controller lock, like {@link #query(HistoryStore, long, long, int, int)}). */
    static long count(HistoryStore s, long from, long to) {
        try {
            return s.count(from, to);
        } catch (IOException e) {
            throw new UncheckedIOException("reading the job history", e);
        }
    }

    /** The durable query (outside the controller lock: the store has its own). */
    static List<JobView> query(HistoryStore s, long from, long to, int offset, int limit) {
        try {
            return s.query(from, to, offset, limit);
        } catch (IOException e) {
            throw new UncheckedIOException("reading the job history", e);
        }
    }

    /** A job that left the memory window, from the files (outside the controller lock). */
    static JobView find(HistoryStore s, long id) {
        try {
            return s.find(id);
        } catch (IOException e) {
            throw new UncheckedIOException("reading the job history", e);
        }
    }
}
