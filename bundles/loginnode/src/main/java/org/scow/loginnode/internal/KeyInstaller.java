package org.scow.loginnode.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClient.OpenMode;
import org.apache.sshd.sftp.common.SftpConstants;
import org.apache.sshd.sftp.common.SftpException;

/**
 * Authorizes the platform key for a user, acting over SFTP as an admin user of the login node: finds the user's home,
 * uid and gid in /etc/passwd, creates {@code ~/.ssh} (0700) and appends the key to {@code ~/.ssh/authorized_keys}
 * (0600), both owned by the user. No shell command is run.
 */
final class KeyInstaller {
    private KeyInstaller() {
    }

    record PasswdEntry(String user, int uid, int gid, String home) {
    }

    /** @return false when the key was already there */
    static boolean install(SftpClient admin, String user, String keyLine) throws IOException {
        PasswdEntry entry = passwd(readSmall(admin, "/etc/passwd"), user);
        if (entry == null) {
            throw new IOException("no Unix user '" + user + "' in /etc/passwd of the login node");
        }
        if (!entry.home().startsWith("/")) {
            throw new IOException("user '" + user + "' has no absolute home directory");
        }
        String sshDir = (entry.home().endsWith("/") ? entry.home() : entry.home() + "/") + ".ssh";
        SftpClient.Attributes dir = statOrNull(admin, sshDir);
        if (dir == null) {
            admin.mkdir(sshDir);
            admin.setStat(sshDir, new SftpClient.Attributes().perms(0700).owner(entry.uid(), entry.gid()));
        } else if (!dir.isDirectory()) {
            throw new IOException(sshDir + " is not a directory");
        }
        String file = sshDir + "/authorized_keys";
        SftpClient.Attributes existing = statOrNull(admin, file);
        String keyBody = keyLine.split(" ")[1];
        String content = existing == null ? "" : readSmall(admin, file);
        for (String line : content.split("\n")) {
            String[] parts = line.trim().split("\\s+");
            for (String p : parts) {
                if (p.equals(keyBody)) {
                    return false;
                }
            }
        }
        String add = (content.isEmpty() || content.endsWith("\n") ? "" : "\n") + keyLine + "\n";
        try (OutputStream out = admin.write(file, OpenMode.Write, OpenMode.Create, OpenMode.Append)) {
            out.write(add.getBytes(StandardCharsets.UTF_8));
        }
        if (existing == null) {
            admin.setStat(file, new SftpClient.Attributes().perms(0600).owner(entry.uid(), entry.gid()));
        }
        return true;
    }

    static PasswdEntry passwd(String passwd, String user) {
        for (String line : passwd.split("\n")) {
            String[] f = line.split(":", -1);
            if (f.length >= 7 && f[0].equals(user)) {
                try {
                    return new PasswdEntry(user, Integer.parseInt(f[2]), Integer.parseInt(f[3]), f[5]);
                } catch (NumberFormatException e) {
                    return null;
                }
            }
        }
        return null;
    }

    private static SftpClient.Attributes statOrNull(SftpClient sftp, String path) throws IOException {
        try {
            return sftp.lstat(path);
        } catch (SftpException e) {
            if (e.getStatus() == SftpConstants.SSH_FX_NO_SUCH_FILE) {
                return null;
            }
            throw e;
        }
    }

    private static String readSmall(SftpClient sftp, String path) throws IOException {
        try (InputStream in = sftp.read(path)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            for (int n; (n = in.read(buf)) > 0;) {
                out.write(buf, 0, n);
                if (out.size() > 16 * 1024 * 1024) {
                    throw new IOException(path + " is larger than 16 MiB");
                }
            }
            return out.toString(StandardCharsets.UTF_8);
        }
    }
}
