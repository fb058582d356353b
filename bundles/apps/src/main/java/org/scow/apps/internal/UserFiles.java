package org.scow.apps.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.common.SftpConstants;
import org.apache.sshd.sftp.common.SftpException;
import org.scow.loginnode.LoginConnection;
import org.scow.loginnode.LoginNodeException;
import org.scow.loginnode.LoginNodeService;
import org.scow.rest.support.ApiException;

/**
 * Session files in the user's home, always over SFTP on the cluster's login node as the user, so the login node's
 * own permissions decide (the platform never touches a user's files as root).
 */
final class UserFiles {
    /** Below the home directory. */
    static final String APPS_DIR = "scow/apps";

    private final LoginNodeService loginNodes;

    UserFiles(LoginNodeService loginNodes) {
        this.loginNodes = loginNodes;
    }

    /** Creates {@code ~/scow/apps/<sessionId>} (mode 0700) and answers its absolute path and the home directory. */
    String[] createSessionDir(String cluster, String user, String sessionId) {
        try (LoginConnection c = connect(cluster, user)) {
            SftpClient s = c.sftp();
            String home = s.canonicalPath(".");
            String path = home;
            for (String part : (APPS_DIR + "/" + sessionId).split("/")) {
                path = path + "/" + part;
                try {
                    s.mkdir(path);
                } catch (SftpException e) {
                    if (e.getStatus() != SftpConstants.SSH_FX_FILE_ALREADY_EXISTS
                            && e.getStatus() != SftpConstants.SSH_FX_FAILURE) {
                        throw e;
                    }
                    if (!s.stat(path).isDirectory()) {
                        throw new ApiException(409, "SESSION_DIR", path + " exists and is not a directory",
                                Map.of("path", path));
                    }
                }
            }
            s.setStat(path, new SftpClient.Attributes().perms(0700));
            return new String[] {path, home};
        } catch (IOException e) {
            throw new ApiException(503, "LOGIN_NODE_UNREACHABLE", "cannot create the session directory in your "
                    + "home on cluster " + cluster + ": " + e.getMessage(), Map.of("cluster", cluster));
        }
    }

    /** The file's text (at most {@code max} bytes from its end), or null when it does not exist. */
    String tail(String cluster, String user, String path, int max) throws IOException, LoginNodeException {
        try (LoginConnection c = loginNodes.connect(cluster, null, user)) {
            SftpClient s = c.sftp();
            long size;
            try {
                size = s.stat(path).getSize();
            } catch (SftpException e) {
                if (e.getStatus() == SftpConstants.SSH_FX_NO_SUCH_FILE || e.getStatus() == SftpConstants.SSH_FX_NO_SUCH_PATH) {
                    return null;
                }
                throw e;
            }
            long from = Math.max(0, size - max);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (SftpClient.CloseableHandle h = s.open(path, SftpClient.OpenMode.Read)) {
                byte[] buf = new byte[8192];
                long offset = from;
                for (int n; out.size() < max && (n = s.read(h, offset, buf, 0, buf.length)) > 0;) {
                    out.write(buf, 0, (int) Math.min(n, max - out.size()));
                    offset += n;
                }
            }
            String text = out.toString(StandardCharsets.UTF_8);
            if (from > 0 && text.indexOf('\n') >= 0) {
                text = text.substring(text.indexOf('\n') + 1); // from the first whole line
            }
            return text;
        }
    }

    /** The last {@code lines} lines of a text. */
    static String lastLines(String text, int lines) {
        if (text == null) {
            return null;
        }
        String t = text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
        int at = t.length();
        for (int i = 0; i < lines && at > 0; i++) {
            at = t.lastIndexOf('\n', at - 1);
            if (at < 0) {
                return t;
            }
        }
        return at <= 0 ? t : t.substring(at + 1);
    }

    private LoginConnection connect(String cluster, String user) {
        try {
            return loginNodes.connect(cluster, null, user);
        } catch (LoginNodeException e) {
            throw switch (e.reason()) {
                case UNKNOWN_CLUSTER -> ApiException.notFound("CLUSTER_NOT_FOUND", e.getMessage(),
                        Map.of("cluster", cluster));
                case NOT_CONFIGURED, UNKNOWN_NODE -> new ApiException(409, "NO_LOGIN_NODE", "apps keep their session "
                        + "files in your home, which the platform reaches through a login node: " + e.getMessage(),
                        Map.of("cluster", cluster));
                case INVALID_USER -> new ApiException(403, "FORBIDDEN", e.getMessage(), Map.of());
                default -> new ApiException(503, "LOGIN_NODE_UNREACHABLE", e.getMessage(), Map.of("cluster", cluster));
            };
        }
    }

    static String read(InputStream in) throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
}
