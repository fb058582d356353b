package org.scow.crane.ctld.wal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class WalTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private static List<String> records(Path segment, boolean truncate) throws IOException {
        List<String> out = new ArrayList<>();
        Wal.read(segment, (lsn, b, off, len) -> out.add(lsn + ":" + new String(b, off, len, StandardCharsets.UTF_8)), truncate);
        return out;
    }

    private static void append(Wal wal, String s) {
        wal.awaitDurable(wal.append(s.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    public void anOpenSegmentIsZeroFilledAheadAndItsRecordsReadBackAfterACrash() throws IOException {
        Path dir = tmp.getRoot().toPath();
        Wal wal = new Wal(dir, 1);
        append(wal, "a");
        append(wal, "bb");
        Path seg = dir.resolve(Wal.segmentName(1));
        // no close: what a kill -9 leaves behind
        assertTrue(Files.size(seg) >= Wal.PREALLOCATE_BYTES);
        assertEquals(List.of("1:a", "2:bb"), records(seg, true));
        assertEquals("recovery cuts the zero tail", 16 + 1 + 16 + 2, Files.size(seg));
        wal.close();
    }

    @Test
    public void recordsBeyondThePreallocatedPartGrowTheSegment() throws IOException {
        Path dir = tmp.getRoot().toPath();
        byte[] big = new byte[Wal.PREALLOCATE_BYTES / 3];
        try (Wal wal = new Wal(dir, 10)) {
            for (int i = 0; i < 4; i++) wal.awaitDurable(wal.append(big));
            append(wal, "tail");
        }
        List<String> got = records(dir.resolve(Wal.segmentName(10)), false);
        assertEquals(5, got.size());
        assertEquals("14:tail", got.get(4));
        assertEquals("a closed segment holds only its records", 4L * (16 + big.length) + 16 + 4,
                Files.size(dir.resolve(Wal.segmentName(10))));
    }

    @Test
    public void aTornRecordOverTheZeroTailIsCutAndTheRecordsBeforeItSurvive() throws IOException {
        Path dir = tmp.getRoot().toPath();
        Wal wal = new Wal(dir, 1);
        append(wal, "kept");
        Path seg = dir.resolve(Wal.segmentName(1));
        // half a frame after the last record, as a crash in the middle of write() leaves it
        try (FileChannel ch = FileChannel.open(seg, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[] {0, 0, 0, 40, 1, 2, 3, 4, 0, 0, 0}), 16 + 4);
        }
        assertEquals(List.of("1:kept"), records(seg, true));
        assertEquals(16 + 4, Files.size(seg));
        wal.close();
    }

    @Test
    public void rotationClosesTheOldSegmentAtItsLastRecord() throws IOException {
        Path dir = tmp.getRoot().toPath();
        try (Wal wal = new Wal(dir, 1)) {
            append(wal, "x");
            wal.rotate();
            append(wal, "y");
        }
        assertEquals(17, Files.size(dir.resolve(Wal.segmentName(1))));
        assertEquals(List.of("2:y"), records(dir.resolve(Wal.segmentName(2)), false));
    }

    @Test
    public void callbacksRunOnceTheirRecordIsDurableAndFailWhenItNeverWillBe() throws Exception {
        Path dir = tmp.getRoot().toPath();
        List<String> told = java.util.Collections.synchronizedList(new ArrayList<>());
        Wal wal = new Wal(dir, 1);
        long a = wal.append("a".getBytes(StandardCharsets.UTF_8));
        java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
        wal.whenDurable(a, f -> {
            told.add("a:" + (f == null ? "durable" : "lost") + ":" + (wal.durableLsn() >= a));
            done.countDown();
        });
        assertTrue(done.await(30, java.util.concurrent.TimeUnit.SECONDS));
        wal.whenDurable(a, f -> told.add("again:" + (f == null ? "durable" : "lost")));
        wal.close();
        wal.whenDurable(a + 1, f -> told.add("after close:" + (f == null ? "durable" : "lost")));
        assertEquals(List.of("a:durable:true", "again:durable", "after close:lost"), told);
    }
}
