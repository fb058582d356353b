package org.scow.crane.ctld.wal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * Snapshot files {@code snap-<lsn>.bin}: {@code "CRSN" | long lsn | int length | int crc32c | payload}. Written to a
 * temporary file, fsynced, then renamed, so a crash leaves either the old or the new snapshot, never half of one.
 */
public final class SnapshotFile {
    private static final int MAGIC = 0x4352534E;

    private SnapshotFile() {
    }

    public static Path write(Path dir, long lsn, byte[] payload, int len) throws IOException {
        Path tmp = dir.resolve("snap.tmp");
        Path dst = dir.resolve(String.format("snap-%020d.bin", lsn));
        ByteBuffer head = ByteBuffer.allocate(20);
        CRC32C crc = new CRC32C();
        crc.update(payload, 0, len);
        head.putInt(MAGIC).putLong(lsn).putInt(len).putInt((int) crc.getValue()).flip();
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            while (head.hasRemaining()) ch.write(head);
            ByteBuffer body = ByteBuffer.wrap(payload, 0, len);
            while (body.hasRemaining()) ch.write(body);
            ch.force(true);
        }
        Files.move(tmp, dst, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        Wal.fsyncDir(dir);
        return dst;
    }

    /** Snapshot files, newest first. */
    public static List<Path> list(Path dir) throws IOException {
        List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) return out;
        try (Stream<Path> s = Files.list(dir)) {
            s.filter(p -> p.getFileName().toString().matches("snap-\\d{20}\\.bin")).sorted().forEach(out::add);
        }
        java.util.Collections.reverse(out);
        return out;
    }

    /** A loaded snapshot. */
    public record Loaded(long lsn, byte[] payload) {
    }

    /** Reads and verifies a snapshot; null if it is damaged. */
    public static Loaded read(Path p) throws IOException {
        byte[] all = Files.readAllBytes(p);
        if (all.length < 20) return null;
        ByteBuffer bb = ByteBuffer.wrap(all);
        if (bb.getInt() != MAGIC) return null;
        long lsn = bb.getLong();
        int len = bb.getInt();
        int crcv = bb.getInt();
        if (len < 0 || 20 + len != all.length) return null;
        CRC32C crc = new CRC32C();
        crc.update(all, 20, len);
        if ((int) crc.getValue() != crcv) return null;
        byte[] payload = new byte[len];
        System.arraycopy(all, 20, payload, 0, len);
        return new Loaded(lsn, payload);
    }
}
