package org.scow.files.internal;

import org.apache.sshd.sftp.client.SftpClient;

/**
 * One directory entry as the API shows it.
 *
 * @param name        file name
 * @param type        FILE, DIR, LINK or OTHER (links are not followed)
 * @param size        bytes
 * @param modifiedAt  ISO-8601 instant, or null when the server did not say
 * @param mode        permission bits as {@code rwxr-x---}
 */
public record FileEntry(String name, String type, long size, String modifiedAt, String mode) {
    public static FileEntry of(String name, SftpClient.Attributes a) {
        String type = a.isSymbolicLink() ? "LINK" : a.isDirectory() ? "DIR" : a.isRegularFile() ? "FILE" : "OTHER";
        return new FileEntry(name, type, a.getSize(),
                a.getModifyTime() == null ? null : a.getModifyTime().toInstant().toString(), mode(a.getPermissions()));
    }

    public static String mode(int perms) {
        String chars = "rwxrwxrwx";
        StringBuilder s = new StringBuilder(9);
        for (int i = 0; i < 9; i++) {
            s.append((perms & (1 << (8 - i))) != 0 ? chars.charAt(i) : '-');
        }
        return s.toString();
    }

    boolean isDir() {
        return type.equals("DIR");
    }
}
