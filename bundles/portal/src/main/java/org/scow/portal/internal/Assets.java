package org.scow.portal.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The built single-page app, held in memory (a few MB): each file with its content type and a strong ETag.
 * Paths are relative to the build root ({@code index.html}, {@code assets/index-abc123.js}).
 */
final class Assets {
    /** One file of the build. */
    record Asset(String path, byte[] bytes, String contentType, String etag) {
    }

    static final String INDEX = "index.html";
    static final String HASHED_DIR = "assets/";

    private static final Map<String, String> TYPES = Map.ofEntries(
            Map.entry("html", "text/html; charset=utf-8"),
            Map.entry("js", "text/javascript; charset=utf-8"),
            Map.entry("mjs", "text/javascript; charset=utf-8"),
            Map.entry("css", "text/css; charset=utf-8"),
            Map.entry("json", "application/json"),
            Map.entry("map", "application/json"),
            Map.entry("svg", "image/svg+xml"),
            Map.entry("png", "image/png"),
            Map.entry("jpg", "image/jpeg"),
            Map.entry("gif", "image/gif"),
            Map.entry("ico", "image/x-icon"),
            Map.entry("webp", "image/webp"),
            Map.entry("woff", "font/woff"),
            Map.entry("woff2", "font/woff2"),
            Map.entry("ttf", "font/ttf"),
            Map.entry("txt", "text/plain; charset=utf-8"),
            Map.entry("wasm", "application/wasm"));

    private final Map<String, Asset> files = new ConcurrentHashMap<>();

    void put(String path, byte[] bytes) {
        files.put(path, new Asset(path, bytes, contentType(path), etag(bytes)));
    }

    /** The file at a request path, or empty for unknown, hidden or malformed paths. */
    Optional<Asset> find(String path) {
        if (path == null || path.isEmpty() || path.startsWith("/") || path.contains("\\") || path.contains("\0")) {
            return Optional.empty();
        }
        for (String segment : path.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                return Optional.empty();
            }
        }
        return Optional.ofNullable(files.get(path));
    }

    Optional<Asset> index() {
        return Optional.ofNullable(files.get(INDEX));
    }

    int size() {
        return files.size();
    }

    static String contentType(String path) {
        int dot = path.lastIndexOf('.');
        String ext = dot < 0 ? "" : path.substring(dot + 1).toLowerCase(Locale.ROOT);
        return TYPES.getOrDefault(ext, "application/octet-stream");
    }

    private static String etag(byte[] bytes) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The first bytes of index.html, for the log. */
    static String preview(byte[] bytes) {
        return new String(bytes, 0, Math.min(bytes.length, 40), StandardCharsets.UTF_8);
    }
}
