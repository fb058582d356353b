package org.scow.files.internal;

import org.scow.rest.support.ApiException;

/**
 * Paths on the login node as the API takes them: absolute, without NUL bytes or {@code .}/{@code ..} segments.
 * Access control is the login node's (every operation runs as the user); this only refuses paths whose meaning could
 * surprise.
 */
public final class RemotePaths {
    private RemotePaths() {
    }

    /** The path with repeated and trailing slashes removed; 400 naming {@code param} if it is not acceptable. */
    public static String check(String param, String path) {
        if (path == null || path.isEmpty()) {
            throw ApiException.badField(param, "is required");
        }
        if (path.indexOf('\0') >= 0) {
            throw ApiException.badField(param, "must not contain NUL bytes");
        }
        if (!path.startsWith("/")) {
            throw ApiException.badField(param, "must be an absolute path (start with '/')");
        }
        if (path.length() > 4096) {
            throw ApiException.badField(param, "is longer than 4096 characters");
        }
        StringBuilder out = new StringBuilder();
        for (String segment : path.split("/")) {
            if (segment.isEmpty()) {
                continue;
            }
            if (segment.equals("..") || segment.equals(".")) {
                throw ApiException.badField(param, "must not contain '.' or '..' segments");
            }
            out.append('/').append(segment);
        }
        return out.length() == 0 ? "/" : out.toString();
    }

    /** The last segment ("" for "/"). */
    public static String name(String normalized) {
        return normalized.substring(normalized.lastIndexOf('/') + 1);
    }

    /** The parent ("/" for top-level paths and for "/"). */
    public static String parent(String normalized) {
        int i = normalized.lastIndexOf('/');
        return i <= 0 ? "/" : normalized.substring(0, i);
    }

    public static String child(String dir, String name) {
        return dir.endsWith("/") ? dir + name : dir + "/" + name;
    }
}
