package org.scow.crane.ctld.history;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the history queries keep between calls, so that a caller paging through a large window (the billing feed
 * fetching a million finished jobs a thousand at a time) pays for its pages, not for the whole window at each page:
 * <ul>
 * <li>per day file, the number of valid records and the byte position where they end, so a day wholly inside a
 *     query's range is counted (for the total, and skipped for the offset) without reading it;</li>
 * <li>for the few most recently used day files, the sort keys of all their records (end time, id, file position)
 *     in (end time, id) order, so a page is a binary search and a read of just its records.</li>
 * </ul>
 * Day files only grow (records are appended) except when recovery cuts a torn tail or retention deletes them: a file
 * that grew is scanned from where the last scan ended, one that shrank from the start, a deleted one is forgotten.
 * Thread safety: the methods are synchronized; the {@link Keys} they hand out are never changed afterwards.
 */
final class DayIndex {
    /** Key sets kept: ~24 bytes per record, so about 10 MB for four days of 100,000 jobs each. */
    private static final int CACHED_DAYS = 4;

    private final Path dir;
    /** day -> {valid end position, record count}. */
    private final Map<Long, long[]> counts = new HashMap<>();
    private final LinkedHashMap<Long, Keys> keys = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Keys> eldest) {
            return size() > CACHED_DAYS;
        }
    };

    DayIndex(Path dir) {
        this.dir = dir;
    }

    /** Records in the day file; 0 when it does not exist. */
    synchronized long count(long day) throws IOException {
        Path f = dir.resolve(HistoryStore.fileName(day));
        long size;
        try {
            size = Files.size(f);
        } catch (NoSuchFileException e) {
            forget(day);
            return 0;
        }
        long[] c = counts.get(day);
        if (c != null && c[0] == size) return c[1];
        Keys k = keys.get(day);
        if (k != null || c == null || size < c[0]) return keys(day).n;
        // grown and its keys not kept: count only the new records
        long[] n = {c[1]};
        long end = HistoryStore.scan(f, c[0], (seq, id, endTime, buf, off, len, pos) -> {
            n[0]++;
            return true;
        });
        counts.put(day, new long[] {end, n[0]});
        return n[0];
    }

    /** The day file's sort keys, current with the file; empty when it does not exist. */
    synchronized Keys keys(long day) throws IOException {
        Path f = dir.resolve(HistoryStore.fileName(day));
        long size;
        try {
            size = Files.size(f);
        } catch (NoSuchFileException e) {
            forget(day);
            return Keys.EMPTY;
        }
        Keys k = keys.get(day);
        if (k != null && k.end == size) return k;
        Keys base = k == null || size < k.end ? Keys.EMPTY : k;
        Builder b = new Builder(base);
        long end;
        try {
            end = HistoryStore.scan(f, base.end, (seq, id, endTime, buf, off, len, pos) -> {
                b.add(endTime, id, pos);
                return true;
            });
        } catch (NoSuchFileException e) {
            forget(day);
            return Keys.EMPTY;
        }
        k = b.build(end);
        keys.put(day, k);
        counts.put(day, new long[] {end, k.n});
        return k;
    }

    synchronized void forget(long day) {
        counts.remove(day);
        keys.remove(day);
    }

    /** A day file's records in (end time, id) order: their end times, ids and file positions. */
    static final class Keys {
        static final Keys EMPTY = new Keys(new long[0], new long[0], new long[0], 0, 0);
        final long[] endTime;
        final long[] id;
        final long[] pos;
        final int n;
        /** Byte position where the scanned valid records end. */
        final long end;

        private Keys(long[] endTime, long[] id, long[] pos, int n, long end) {
            this.endTime = endTime;
            this.id = id;
            this.pos = pos;
            this.n = n;
            this.end = end;
        }

        /** Index of the first record whose end time is at least {@code t}. */
        int lowerBound(long t) {
            int lo = 0;
            int hi = n;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (endTime[mid] < t) lo = mid + 1;
                else hi = mid;
            }
            return lo;
        }
    }

    /** Appends to a copy of a key set (the old one may be in use by a query) and restores the order. */
    private static final class Builder {
        long[] endTime;
        long[] id;
        long[] pos;
        int n;

        Builder(Keys base) {
            int cap = Math.max(64, base.n + base.n / 4);
            endTime = Arrays.copyOf(base.endTime, cap);
            id = Arrays.copyOf(base.id, cap);
            pos = Arrays.copyOf(base.pos, cap);
            n = base.n;
        }

        void add(long e, long i, long p) {
            if (n == endTime.length) {
                endTime = Arrays.copyOf(endTime, n * 2);
                id = Arrays.copyOf(id, n * 2);
                pos = Arrays.copyOf(pos, n * 2);
            }
            endTime[n] = e;
            id[n] = i;
            pos[n++] = p;
        }

        /** Jobs mostly end in time order, so the usual case is one linear check and no sort. */
        Keys build(long end) {
            boolean sorted = true;
            for (int i = 1; i < n && sorted; i++) sorted = before(i - 1, i);
            if (!sorted) {
                Integer[] order = new Integer[n];
                for (int i = 0; i < n; i++) order[i] = i;
                Arrays.sort(order, (a, b) -> endTime[a] != endTime[b] ? Long.compare(endTime[a], endTime[b])
                        : Long.compare(id[a], id[b]));
                long[] e2 = new long[n];
                long[] i2 = new long[n];
                long[] p2 = new long[n];
                for (int i = 0; i < n; i++) {
                    e2[i] = endTime[order[i]];
                    i2[i] = id[order[i]];
                    p2[i] = pos[order[i]];
                }
                return new Keys(e2, i2, p2, n, end);
            }
            return new Keys(endTime, id, pos, n, end);
        }

        private boolean before(int a, int b) {
            return endTime[a] < endTime[b] || (endTime[a] == endTime[b] && id[a] < id[b]);
        }
    }
}
