package org.scow.files.internal;

import java.io.IOException;
import java.util.Map;
import org.apache.sshd.sftp.common.SftpConstants;
import org.apache.sshd.sftp.common.SftpException;
import org.scow.loginnode.LoginNodeException;
import org.scow.rest.support.ApiException;

/** SFTP and login-node failures as API errors with a message in words. */
public final class FileErrors {
    private FileErrors() {
    }

    public static ApiException of(LoginNodeException e, String cluster) {
        return switch (e.reason()) {
            case UNKNOWN_CLUSTER -> ApiException.notFound("CLUSTER_NOT_FOUND", e.getMessage(), Map.of("cluster", cluster));
            case NOT_CONFIGURED, UNKNOWN_NODE -> new ApiException(409, "NO_LOGIN_NODE", e.getMessage(),
                    Map.of("cluster", cluster));
            case INVALID_USER -> new ApiException(403, "FORBIDDEN", e.getMessage(), Map.of());
            case UNREACHABLE -> new ApiException(503, "LOGIN_NODE_UNREACHABLE", e.getMessage(), Map.of("cluster", cluster));
            case AUTH_FAILED -> new ApiException(503, "LOGIN_NODE_AUTH_FAILED", e.getMessage(), Map.of("cluster", cluster));
        };
    }

    public static ApiException of(IOException e, String path) {
        if (e instanceof SftpException s) {
            switch (s.getStatus()) {
                case SftpConstants.SSH_FX_NO_SUCH_FILE, SftpConstants.SSH_FX_NO_SUCH_PATH:
                    return notFound(path);
                case SftpConstants.SSH_FX_PERMISSION_DENIED:
                    return new ApiException(403, "PERMISSION_DENIED", "permission denied: you may not access " + path
                            + " on the login node", Map.of("path", path));
                case SftpConstants.SSH_FX_FILE_ALREADY_EXISTS:
                    return exists(path);
                case SftpConstants.SSH_FX_DIR_NOT_EMPTY:
                    return new ApiException(409, "DIRECTORY_NOT_EMPTY", path + " is not empty (delete with recursive=true)",
                            Map.of("path", path));
                case SftpConstants.SSH_FX_NO_SPACE_ON_FILESYSTEM, SftpConstants.SSH_FX_QUOTA_EXCEEDED:
                    return new ApiException(507, "NO_SPACE", "no space left (or quota exceeded) for " + path,
                            Map.of("path", path));
                default:
                    return new ApiException(409, "FILE_OPERATION_FAILED", "the login node refused the operation on " + path
                            + ": " + s.getMessage(), Map.of("path", path));
            }
        }
        return new ApiException(503, "LOGIN_NODE_UNREACHABLE", "the connection to the login node failed: "
                + e.getMessage(), Map.of("path", path));
    }

    public static ApiException notFound(String path) {
        return ApiException.notFound("FILE_NOT_FOUND", "no such file or directory: " + path, Map.of("path", path));
    }

    public static ApiException exists(String path) {
        return new ApiException(409, "FILE_EXISTS", path + " already exists", Map.of("path", path));
    }
}
