package org.scow.files.internal;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClient.OpenMode;
import org.apache.sshd.sftp.client.impl.AbstractSftpClient;
import org.apache.sshd.sftp.client.impl.SftpInputStreamAsync;
import org.apache.sshd.sftp.client.impl.SftpOutputStreamAsync;
import org.apache.sshd.sftp.common.SftpConstants;
import org.apache.sshd.sftp.common.SftpException;

/** File operations over one user's SFTP client; every access is the login node's decision for that user. */
public final class RemoteFiles {
    public static final int BUFFER = 64 * 1024;

    private RemoteFiles() {
    }

    /** Attributes without following a final symbolic link, or null if nothing is there. */
    public static SftpClient.Attributes lstatOrNull(SftpClient sftp, String path) throws IOException {
        try {
            return sftp.lstat(path);
        } catch (SftpException e) {
            if (e.getStatus() == SftpConstants.SSH_FX_NO_SUCH_FILE) {
                return null;
            }
            throw e;
        }
    }

    /** Every entry of the directory except . and .. (one SFTP READDIR round trip per batch of about 100). */
    public static List<FileEntry> list(SftpClient sftp, String dir) throws IOException {
        List<FileEntry> entries = new ArrayList<>();
        // handle-based, so that errors (permission denied) arrive as SftpException, not wrapped by an iterator
        try (SftpClient.CloseableHandle handle = sftp.openDir(dir)) {
            for (List<SftpClient.DirEntry> batch; (batch = sftp.readDir(handle)) != null;) {
                for (SftpClient.DirEntry e : batch) {
                    String name = e.getFilename();
                    if (!name.equals(".") && !name.equals("..")) {
                        entries.add(FileEntry.of(name, e.getAttributes()));
                    }
                }
            }
        }
        return entries;
    }

    /** Directories first, then by the sort key (name, size, modifiedAt or type; a leading '-' reverses). */
    public static Comparator<FileEntry> order(String sort) {
        boolean desc = sort.startsWith("-");
        String key = desc ? sort.substring(1) : sort;
        Comparator<FileEntry> byName = Comparator.comparing(FileEntry::name);
        Comparator<FileEntry> c = switch (key) {
            case "name" -> byName;
            case "size" -> Comparator.comparingLong(FileEntry::size).thenComparing(byName);
            case "modifiedAt" -> Comparator.comparing(FileEntry::modifiedAt,
                    Comparator.nullsFirst(Comparator.naturalOrder())).thenComparing(byName);
            case "type" -> Comparator.comparing(FileEntry::type).thenComparing(byName);
            default -> null;
        };
        if (c == null) {
            return null;
        }
        if (desc) {
            c = c.reversed();
        }
        return Comparator.comparing((FileEntry e) -> !e.isDir()).thenComparing(c);
    }

    /** Streams {@code length} bytes from {@code offset} with read-ahead. */
    public static InputStream read(SftpClient sftp, String path, long offset, long length) throws IOException {
        SftpClient.CloseableHandle handle = sftp.open(path, OpenMode.Read);
        InputStream in = new SftpInputStreamAsync((AbstractSftpClient) sftp, BUFFER, offset, length, path, handle, true);
        return new FilterInputStream(in) { // the async stream reads ahead past length
            private long left = length;

            @Override
            public int read() throws IOException {
                if (left <= 0) {
                    return -1;
                }
                int b = super.read();
                if (b >= 0) {
                    left--;
                }
                return b;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (left <= 0) {
                    return -1;
                }
                int n = super.read(b, off, (int) Math.min(len, left));
                if (n > 0) {
                    left -= n;
                }
                return n;
            }
        };
    }

    /** Writes the stream at {@code offset} with pipelined writes; the file must exist unless {@code create}. */
    public static long writeAt(SftpClient sftp, String path, long offset, InputStream in, long max, boolean create)
            throws IOException, TooLarge {
        EnumSet<OpenMode> modes = create ? EnumSet.of(OpenMode.Write, OpenMode.Create) : EnumSet.of(OpenMode.Write);
        long written = 0;
        try (OutputStream out = sftp.write(path, BUFFER, modes)) {
            ((SftpOutputStreamAsync) out).setOffset(offset);
            byte[] buf = new byte[BUFFER];
            for (int n; (n = in.read(buf)) > 0;) {
                if (written + n > max) {
                    throw new TooLarge(max);
                }
                out.write(buf, 0, n);
                written += n;
            }
        }
        return written;
    }

    /** Recursive copy; symbolic links are copied as the files they point to are not: they are skipped. */
    public static void copy(SftpClient sftp, String from, String to) throws IOException {
        SftpClient.Attributes a = sftp.lstat(from);
        if (a.isDirectory()) {
            sftp.mkdir(to);
            for (FileEntry e : list(sftp, from)) {
                if (!e.type().equals("LINK")) {
                    copy(sftp, RemotePaths.child(from, e.name()), RemotePaths.child(to, e.name()));
                }
            }
            sftp.setStat(to, new SftpClient.Attributes().perms(a.getPermissions() & 07777));
        } else if (a.isRegularFile()) {
            try (InputStream in = sftp.read(from, BUFFER);
                    OutputStream out = sftp.write(to, BUFFER, OpenMode.Write, OpenMode.Create, OpenMode.Exclusive)) {
                in.transferTo(out);
            }
            sftp.setStat(to, new SftpClient.Attributes().perms(a.getPermissions() & 07777));
        }
    }

    /** Deletes a file, link or directory tree (links are removed, never followed). */
    public static void deleteRecursive(SftpClient sftp, String path) throws IOException {
        SftpClient.Attributes a = sftp.lstat(path);
        if (a.isDirectory()) {
            for (FileEntry e : list(sftp, path)) {
                deleteRecursive(sftp, RemotePaths.child(path, e.name()));
            }
            sftp.rmdir(path);
        } else {
            sftp.remove(path);
        }
    }

    /** Writes the directory tree as a zip (links skipped), streaming file by file. */
    public static void zip(SftpClient sftp, String dir, OutputStream target) throws IOException {
        ZipOutputStream zip = new ZipOutputStream(target);
        zipDir(sftp, dir, RemotePaths.name(dir).isEmpty() ? "root" : RemotePaths.name(dir), zip);
        zip.finish();
        zip.flush();
    }

    private static void zipDir(SftpClient sftp, String dir, String prefix, ZipOutputStream zip) throws IOException {
        zip.putNextEntry(new ZipEntry(prefix + "/"));
        zip.closeEntry();
        for (FileEntry e : list(sftp, dir)) {
            String path = RemotePaths.child(dir, e.name());
            if (e.isDir()) {
                zipDir(sftp, path, prefix + "/" + e.name(), zip);
            } else if (e.type().equals("FILE")) {
                ZipEntry entry = new ZipEntry(prefix + "/" + e.name());
                if (e.modifiedAt() != null) {
                    entry.setLastModifiedTime(java.nio.file.attribute.FileTime.from(java.time.Instant.parse(e.modifiedAt())));
                }
                zip.putNextEntry(entry);
                try (InputStream in = sftp.read(path, BUFFER)) {
                    in.transferTo(zip);
                }
                zip.closeEntry();
            }
        }
    }

    /** A body larger than allowed. */
    public static final class TooLarge extends Exception {
        private static final long serialVersionUID = 1L;

        TooLarge(long max) {
            super("larger than " + max + " bytes");
        }
    }
}
