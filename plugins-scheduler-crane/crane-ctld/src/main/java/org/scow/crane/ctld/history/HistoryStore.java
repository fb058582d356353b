package org.scow.crane.ctld.history;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.zip.CRC32C;
import org.scow.crane.ctld.JobView;
import org.scow.crane.protocol.JobState;
import org.scow.crane.ctld.util.Buf;
import org.scow.crane.ctld.util.BufReader;
import org.scow.crane.ctld.wal.Wal;

/**
 * Durable, append-only history of finished jobs: one file per UTC day of end time, {@code <dir>/YYYY-MM-DD.jobs},
 * records framed like the WAL ({@code int length | int crc32c | payload}); the payload is the history sequence
 * number, the job id, the end time and the rest of the {@link JobView}.
 *
 * <p><b>Durability.</b> A job's end event is in the WAL first; its record here is queued with the LSN of that event
 * and written only once the WAL has made that LSN durable, so the files never hold a job whose end could still be
 * lost. Writes are batched and fsynced lazily (every flush interval, at snapshots, at close). What a crash loses is
 * re-created by {@link #recover}: the controller replays the WAL, queues every replayed end again with its
 * deterministic sequence number, and recovery drops those already in the files. Sequence numbers grow by one per
 * finished job, so {@code seq} identifies a record across restarts.
 *
 * <p><b>Retention.</b> Whole day files older than the retention (in days) are deleted at start and once a day.
 *
 * <p>Thread safety: {@link #add} is cheap (a queue insert) and may be called under the controller lock; file writes
 * happen under {@code io}; queries read the files without locks and stop at the first incomplete record.
 */
public final class HistoryStore implements Closeable {
    static final String SUFFIX = ".jobs";
    private static final int DAY = 86400;
    /** Larger lengths can only come from a corrupt frame (a job view is far smaller). */
    private static final int MAX_RECORD = 16 << 20;

    private final Path dir;
    private final LongSupplier durableLsn;
    private final LongSupplier nowSec;
    private final int retentionDays;
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    private final Object io = new Object();
    /** Append channels by day; guarded by {@code io}. */
    private final HashMap<Long, FileChannel> channels = new HashMap<>();
    private final Set<Long> dirty = new HashSet<>();
    /** Id range and size of each day file as last scanned, to skip files in lookups by id. */
    private final Map<Long, long[]> idRanges = new ConcurrentHashMap<>();
    /** Record counts and sort keys of the day files, for the paged queries. */
    private final DayIndex index;
    private final Thread flusher;
    private volatile boolean closed;
    private volatile IOException failure;
    private long lastExpiryDay = Long.MIN_VALUE;

    private record Pending(long seq, long lsn, long day, long id, byte[] frame) {
    }

    /**
     * @param durableLsn the WAL's durable LSN; a record waits until its end event is durable
     * @param flushIntervalMs how often the background thread writes and fsyncs; 0 = no thread (tests, tools)
     */
    public HistoryStore(Path dir, LongSupplier durableLsn, LongSupplier nowSec, int retentionDays, long flushIntervalMs)
            throws IOException {
        if (retentionDays < 1) throw new IllegalArgumentException("history retention must be at least one day");
        this.dir = dir;
        this.durableLsn = durableLsn;
        this.nowSec = nowSec;
        this.retentionDays = retentionDays;
        this.index = new DayIndex(dir);
        Files.createDirectories(dir);
        if (flushIntervalMs > 0) {
            flusher = new Thread(() -> {
                while (!closed) {
                    try {
                        Thread.sleep(flushIntervalMs);
                        flush(true);
                        expireIfNewDay();
                    } catch (InterruptedException e) {
                        return;
                    } catch (IOException | RuntimeException e) {
                        // kept and reported by the next flush a caller makes; the WAL still holds the ends
                        System.err.println("cranectld: history write failed: " + e);
                    }
                }
            }, "crane-history");
            flusher.setDaemon(true);
        } else {
            flusher = null;
        }
    }

    /** Starts the background flusher; called after {@link #recover}. */
    public void start() {
        if (flusher != null) flusher.start();
    }

    public static String fileName(long day) {
        return LocalDate.ofEpochDay(day) + SUFFIX;
    }

    public static long dayOf(long epochSec) {
        return Math.floorDiv(epochSec, DAY);
    }

    /** The day of a history file name, or null for other files. */
    static Long dayOfFile(Path p) {
        String n = p.getFileName().toString();
        if (!n.endsWith(SUFFIX)) return null;
        try {
            return LocalDate.parse(n.substring(0, n.length() - SUFFIX.length())).toEpochDay();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** Queues a finished job; {@code lsn} is its end event's WAL record (0 when replayed, hence already durable). */
    public void add(JobView v, long seq, long lsn) {
        byte[] frame = encode(v, seq);
        synchronized (queue) {
            queue.add(new Pending(seq, lsn, dayOf(v.endTime()), v.id(), frame));
        }
    }

    // ---- encoding -------------------------------------------------------------------------------------------

    /**
     * Priority and planned start are written as 0: they mean nothing once a job has finished, and the values a
     * scheduling pass left differ from those of a replay, while a re-written record must equal the lost one.
     */
    static byte[] encode(JobView v, long seq) {
        Buf b = new Buf(256);
        b.i32(0).i32(0);
        b.var(seq).var(v.id()).var(v.endTime()).str(v.displayId()).var(v.arrayJobId()).var(v.arrayTaskId())
                .str(v.name()).str(v.user()).str(v.account()).str(v.partition()).str(v.qos()).u8(v.state().ordinal())
                .str(v.reason()).var(v.nodes()).var(v.cpus()).var(v.memPerNodeMb()).str(v.gres()).var(v.timeLimitSec())
                .var(v.submitTime()).var(v.startTime()).var(0).var(0).str(v.nodeList())
                .var(v.exitCode()).bool(v.held()).str(v.comment()).var(v.requeueCount()).var(v.gresPerNode())
                .str(v.workDir()).str(v.stdout()).str(v.stderr());
        byte[] f = b.toBytes();
        int len = f.length - 8;
        CRC32C crc = new CRC32C();
        crc.update(f, 8, len);
        Wal.putInt(f, 0, len);
        Wal.putInt(f, 4, (int) crc.getValue());
        return f;
    }

    static JobView decode(byte[] b, int off, int len) {
        BufReader r = new BufReader(b, off, len);
        r.var(); // seq
        long id = r.var();
        long end = r.var();
        return new JobView(id, r.str(), r.var(), r.varInt(), r.str(), r.str(), r.str(), r.str(), r.str(),
                JobState.of(r.u8()), r.str(), r.varInt(), r.varInt(), r.var(), r.str(), r.var(), r.var(), r.var(), end,
                r.var(), r.var(), r.str(), r.varInt(), r.bool(), r.str(), r.varInt(), r.varInt(), r.str(), r.str(), r.str());
    }

    // ---- writing --------------------------------------------------------------------------------------------

    /**
     * Writes every queued record whose end event is durable in the WAL, in sequence order; with {@code fsync}, also
     * forces the written files. Returns the number of records written.
     */
    public int flush(boolean fsync) throws IOException {
        synchronized (io) {
            if (failure != null) throw new IOException("history store failed earlier", failure);
            List<Pending> batch = new ArrayList<>();
            long durable = durableLsn.getAsLong();
            synchronized (queue) {
                while (!queue.isEmpty() && queue.peek().lsn <= durable) batch.add(queue.poll());
            }
            try {
                int i = 0;
                while (i < batch.size()) {
                    // consecutive records of one day go out in one write
                    long day = batch.get(i).day;
                    int j = i;
                    int bytes = 0;
                    while (j < batch.size() && batch.get(j).day == day) bytes += batch.get(j++).frame.length;
                    ByteBuffer bb = ByteBuffer.allocate(bytes);
                    for (int k = i; k < j; k++) {
                        bb.put(batch.get(k).frame);
                        long[] range = idRanges.get(day);
                        if (range != null) idRanges.put(day, new long[] {Math.min(range[0], batch.get(k).id),
                                Math.max(range[1], batch.get(k).id), -1});
                    }
                    bb.flip();
                    FileChannel ch = channel(day);
                    while (bb.hasRemaining()) ch.write(bb);
                    dirty.add(day);
                    i = j;
                }
                if (fsync) syncDirty();
            } catch (IOException e) {
                failure = e;
                throw e;
            }
            return batch.size();
        }
    }

    private FileChannel channel(long day) throws IOException {
        FileChannel ch = channels.get(day);
        if (ch != null && ch.isOpen()) return ch;
        if (channels.size() >= 4) syncDirty(); // closes them too: ends mostly hit today's file
        boolean created = !Files.exists(dir.resolve(fileName(day)));
        ch = FileChannel.open(dir.resolve(fileName(day)), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
        if (created) Wal.fsyncDir(dir);
        channels.put(day, ch);
        return ch;
    }

    private void syncDirty() throws IOException {
        for (Map.Entry<Long, FileChannel> e : channels.entrySet()) {
            if (dirty.contains(e.getKey())) e.getValue().force(false);
        }
        dirty.clear();
        if (channels.size() > 1) {
            for (FileChannel ch : channels.values()) ch.close();
            channels.clear();
        }
    }

    /** Number of records queued but not yet written. */
    public int queued() {
        synchronized (queue) {
            return queue.size();
        }
    }

    // ---- recovery -------------------------------------------------------------------------------------------

    /**
     * After WAL replay: the files hold every record with {@code seq <= snapshotSeq} (the snapshot was taken after
     * an fsync of the history). Cuts torn or corrupt tails and records beyond {@code lastSeq} in the files that
     * may have been written since, drops the queued records already present, then writes and fsyncs the rest, so
     * every finished job of the recovered state is in the files exactly once.
     *
     * @param sinceDay the day of the snapshot: files of that day and later are checked even without queued records
     */
    public void recover(long snapshotSeq, long lastSeq, long sinceDay) throws IOException {
        TreeSet<Long> days = new TreeSet<>();
        synchronized (queue) {
            for (Pending p : queue) days.add(p.day);
        }
        for (long d : listDays()) if (d >= sinceDay) days.add(d);
        Set<Long> present = new HashSet<>();
        synchronized (io) {
            for (long day : days) {
                Path f = dir.resolve(fileName(day));
                if (!Files.exists(f)) continue;
                long[] cut = {-1};
                long end = scan(f, (seq, id, endTime, buf, off, len, pos) -> {
                    if (seq > lastSeq) {
                        cut[0] = pos; // a record the recovered state does not know: it was never acknowledged
                        return false;
                    }
                    if (seq > snapshotSeq) present.add(seq);
                    return true;
                });
                long keep = cut[0] >= 0 ? cut[0] : end;
                if (keep < Files.size(f)) {
                    System.err.println("cranectld: cutting history file " + f.getFileName() + " at byte " + keep
                            + " of " + Files.size(f) + " (torn or unknown tail; re-written from the WAL)");
                    try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
                        ch.truncate(keep);
                        ch.force(true);
                    }
                    index.forget(day);
                }
            }
        }
        synchronized (queue) {
            queue.removeIf(p -> present.contains(p.seq));
        }
        flush(true);
        expireIfNewDay();
    }

    // ---- retention ------------------------------------------------------------------------------------------

    private void expireIfNewDay() throws IOException {
        long today = dayOf(nowSec.getAsLong());
        if (today != lastExpiryDay) {
            expire();
            lastExpiryDay = today;
        }
    }

    /** Deletes the day files older than the retention; answers how many were deleted. */
    public int expire() throws IOException {
        long oldestKept = dayOf(nowSec.getAsLong()) - retentionDays + 1;
        int n = 0;
        synchronized (io) {
            for (long d : listDays()) {
                if (d >= oldestKept) continue;
                FileChannel ch = channels.remove(d);
                if (ch != null) ch.close();
                dirty.remove(d);
                idRanges.remove(d);
                index.forget(d);
                if (Files.deleteIfExists(dir.resolve(fileName(d)))) n++;
            }
        }
        return n;
    }

    /** Days that have a file, ascending. */
    public List<Long> listDays() throws IOException {
        List<Long> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                Long d = dayOfFile(p);
                if (d != null) out.add(d);
            }
        }
        out.sort(null);
        return out;
    }

    // ---- queries --------------------------------------------------------------------------------------------

    /**
     * Finished jobs with {@code from <= endTime < to}, ordered by end time then id, skipping {@code offset}, at most
     * {@code limit}. Days wholly before the page are skipped by their record count, and only the page's records are
     * read; both counts and sort keys are kept between calls ({@link DayIndex}), so paging through a window costs
     * about the pages read, not the window at each page.
     */
    public List<JobView> query(long from, long to, long offset, int limit) throws IOException {
        flush(false);
        List<JobView> out = new ArrayList<>();
        if (limit == 0 || from >= to) return out;
        long skip = offset;
        for (long day : listDays()) {
            if (day < dayOf(from) || day > dayOf(to - 1)) continue;
            boolean whole = from <= day * DAY && (day + 1) * DAY <= to;
            if (whole && skip > 0) {
                long n = index.count(day);
                if (skip >= n) {
                    skip -= n;
                    continue;
                }
            }
            DayIndex.Keys k = index.keys(day);
            int lo = whole ? 0 : k.lowerBound(from);
            int hi = whole ? k.n : k.lowerBound(to);
            if (skip >= hi - lo) {
                skip -= hi - lo;
                continue;
            }
            int start = lo + (int) skip;
            skip = 0;
            int take = Math.min(hi - start, limit - out.size());
            try (FileChannel ch = FileChannel.open(dir.resolve(fileName(day)), StandardOpenOption.READ)) {
                for (int i = start; i < start + take; i++) out.add(readAt(ch, k.pos[i]));
            } catch (NoSuchFileException e) {
                continue; // expired meanwhile
            }
            if (out.size() >= limit) break;
        }
        return out;
    }

    /** How many finished jobs have {@code from <= endTime < to}; whole days are counted without reading them. */
    public long count(long from, long to) throws IOException {
        flush(false);
        long n = 0;
        if (from >= to) return 0;
        for (long day : listDays()) {
            if (day < dayOf(from) || day > dayOf(to - 1)) continue;
            if (from <= day * DAY && (day + 1) * DAY <= to) {
                n += index.count(day);
            } else {
                DayIndex.Keys k = index.keys(day);
                n += k.lowerBound(to) - k.lowerBound(from);
            }
        }
        return n;
    }

    /** A finished job by id, searching the day files newest first; null if none holds it. */
    public JobView find(long id) throws IOException {
        flush(false);
        List<Long> days = listDays();
        for (int i = days.size() - 1; i >= 0; i--) {
            long day = days.get(i);
            Path f = dir.resolve(fileName(day));
            long size;
            try {
                size = Files.size(f);
            } catch (NoSuchFileException e) {
                continue;
            }
            long[] range = idRanges.get(day);
            if (range != null && range[2] == size && (id < range[0] || id > range[1])) continue;
            long[] found = {-1};
            long[] minMax = {Long.MAX_VALUE, Long.MIN_VALUE};
            try {
                long end = scan(f, (seq, rid, endTime, buf, off, len, pos) -> {
                    if (rid == id && found[0] < 0) found[0] = pos;
                    minMax[0] = Math.min(minMax[0], rid);
                    minMax[1] = Math.max(minMax[1], rid);
                    return true;
                });
                if (end == size) idRanges.put(day, new long[] {minMax[0], minMax[1], size});
            } catch (NoSuchFileException e) {
                continue;
            }
            if (found[0] >= 0) {
                try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
                    return readAt(ch, found[0]);
                }
            }
        }
        return null;
    }

    private static JobView readAt(FileChannel ch, long pos) throws IOException {
        ByteBuffer head = ByteBuffer.allocate(8);
        readFully(ch, head, pos);
        int len = head.getInt(0);
        ByteBuffer body = ByteBuffer.allocate(len);
        readFully(ch, body, pos + 8);
        return decode(body.array(), 0, len);
    }

    private static void readFully(FileChannel ch, ByteBuffer bb, long pos) throws IOException {
        while (bb.hasRemaining()) {
            int n = ch.read(bb, pos + bb.position());
            if (n < 0) throw new IOException("history record at byte " + pos + " is cut short");
        }
    }

    // ---- scanning -------------------------------------------------------------------------------------------

    interface RecordVisitor {
        /** Returns false to stop the scan. */
        boolean visit(long seq, long id, long endTime, byte[] buf, int off, int len, long pos);
    }

    /**
     * Reads a day file sequentially in 1 MiB chunks, visiting each valid record; stops at the first incomplete or
     * corrupt record (or when the visitor says so) and answers the byte position where valid records end.
     */
    static long scan(Path f, RecordVisitor v) throws IOException {
        return scan(f, 0, v);
    }

    /** {@link #scan(Path, RecordVisitor)} from byte position {@code start}, which must be a record's first byte. */
    static long scan(Path f, long start, RecordVisitor v) throws IOException {
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
            ch.position(start);
            byte[] buf = new byte[1 << 20];
            int have = 0;
            int p = 0;
            long base = start; // file position of buf[0]
            CRC32C crc = new CRC32C();
            while (true) {
                int avail = have - p;
                int need = 8;
                if (avail >= 8) {
                    int len = Wal.getInt(buf, p);
                    if (len < 3 || len > MAX_RECORD) return base + p;
                    need = 8 + len;
                    if (avail >= need) {
                        crc.reset();
                        crc.update(buf, p + 8, len);
                        if ((int) crc.getValue() != Wal.getInt(buf, p + 4)) return base + p;
                        BufReader r = new BufReader(buf, p + 8, len);
                        long seq = r.var();
                        long id = r.var();
                        long endTime = r.var();
                        if (!v.visit(seq, id, endTime, buf, p + 8, len, base + p)) return base + p;
                        p += need;
                        continue;
                    }
                }
                // the next record is not all in the buffer: move the rest to the front and read on
                System.arraycopy(buf, p, buf, 0, avail);
                base += p;
                p = 0;
                have = avail;
                if (need > buf.length) buf = Arrays.copyOf(buf, need);
                int n = ch.read(ByteBuffer.wrap(buf, have, buf.length - have));
                if (n <= 0) return base;
                have += n;
            }
        }
    }

    // ---- lifecycle ------------------------------------------------------------------------------------------

    @Override
    public void close() {
        closed = true;
        if (flusher != null) {
            flusher.interrupt();
            try {
                flusher.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (io) {
            try {
                flush(true);
            } catch (IOException e) {
                // the ends are in the WAL; the next start re-writes what is missing
                System.err.println("cranectld: history flush at close failed: " + e);
            }
            for (FileChannel ch : channels.values()) {
                try {
                    ch.close();
                } catch (IOException ignored) {
                    // closing after a successful force loses nothing
                }
            }
            channels.clear();
        }
    }

}
