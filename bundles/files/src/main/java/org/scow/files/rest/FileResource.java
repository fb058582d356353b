package org.scow.files.rest;

import org.scow.files.internal.FileEntry;
import org.scow.files.internal.FileErrors;
import org.scow.files.internal.RemoteFiles;
import org.scow.files.internal.RemotePaths;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLConnection;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import javax.ws.rs.Consumes;
import javax.ws.rs.DELETE;
import javax.ws.rs.DefaultValue;
import javax.ws.rs.GET;
import javax.ws.rs.HeaderParam;
import javax.ws.rs.POST;
import javax.ws.rs.PUT;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.SecurityContext;
import javax.ws.rs.core.StreamingOutput;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClient.OpenMode;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JSONRequired;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;
import org.scow.loginnode.LoginConnection;
import org.scow.loginnode.LoginNodeException;
import org.scow.loginnode.LoginNodeService;
import org.scow.rest.support.ApiException;
import org.scow.rest.support.Authenticated;
import org.scow.rest.support.Caller;
import org.scow.rest.support.Params;
import org.scow.rest.support.ScowPrincipal;

/**
 * The signed-in user's files on the cluster's (first) login node, over SFTP as that Unix user: the login node's own
 * permissions decide every access.
 */
@Component(service = FileResource.class)
@JaxrsResource
@JSONRequired
@Path("/api/v1/clusters/{cluster}/files")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "files", description = "The signed-in user's files on the cluster's login node (SFTP as the user)")
public class FileResource {
    static final long MAX_TEXT_BYTES = 10L * 1024 * 1024;
    static final long MAX_CHUNK_BYTES = 16L * 1024 * 1024;
    static final int MAX_PAGE = 5000;
    private static final long LISTING_TTL_NANOS = 10_000_000_000L;
    private static final Set<String> INLINE_TYPES = Set.of("image/png", "image/jpeg", "image/gif", "image/webp",
            "application/pdf");

    @Reference
    private LoginNodeService loginNodes;

    /** Recently read directories, so that paging through a large one does not re-read it for every page. */
    private final Map<String, Listing> listings = new ConcurrentHashMap<>();
    /**
     * Per cluster and user, counts the changes made through the platform. A listing is served only while the count
     * is what it was when the listing began: SFTP gives directory times in whole seconds, so the directory's time
     * alone misses a change within the same second, and a listing read while a change ran must not outlive it.
     */
    private final Map<String, AtomicLong> changes = new ConcurrentHashMap<>();

    private record Listing(long modified, long changes, long loadedAt, List<FileEntry> entries) {
    }

    public record Home(String path) {
    }

    public record Page(String path, List<FileEntry> entries, int totalCount) {
    }

    public record PathBody(String path) {
    }

    public record FromTo(String from, String to) {
    }

    public record NewUpload(String path, Long size, Boolean overwrite) {
    }

    public record Upload(String id, String path, long size, long received) {
    }

    public record Received(long received) {
    }

    @FunctionalInterface
    interface SftpCall<T> {
        T run(SftpClient sftp) throws IOException;
    }

    @GET
    @Path("home")
    @Authenticated
    @Operation(summary = "The user's home directory on the login node")
    public Home home(@PathParam("cluster") String cluster, @Context SecurityContext sc) {
        return sftp(cluster, sc, "~", s -> new Home(s.canonicalPath(".")));
    }

    @GET
    @Authenticated
    @Operation(summary = "One page of a directory, directories first; sort: name|size|modifiedAt|type, '-' = descending")
    public Page list(@PathParam("cluster") String cluster, @QueryParam("path") String rawPath,
            @QueryParam("offset") String offsetParam, @QueryParam("limit") String limitParam,
            @QueryParam("sort") @DefaultValue("name") String sort, @Context SecurityContext sc) {
        String path = RemotePaths.check("path", rawPath);
        int offset = Params.integer("offset", offsetParam, 0, Integer.MAX_VALUE, 0);
        int limit = Params.integer("limit", limitParam, 1, MAX_PAGE, 200);
        Comparator<FileEntry> order = RemoteFiles.order(sort);
        if (order == null) {
            throw ApiException.badField("sort", "must be name, size, modifiedAt or type, optionally prefixed by '-'");
        }
        String owner = cluster + "\0" + user(sc);
        long changesBefore = changeCount(owner).get();
        return sftp(cluster, sc, path, s -> {
            SftpClient.Attributes dir = s.stat(path);
            if (!dir.isDirectory()) {
                throw new ApiException(409, "NOT_A_DIRECTORY", path + " is not a directory", Map.of("path", path));
            }
            long modified = dir.getModifyTime() == null ? 0 : dir.getModifyTime().toMillis();
            String key = owner + "\0" + path;
            Listing cached = listings.get(key);
            long now = System.nanoTime();
            if (cached == null || cached.modified() != modified || cached.changes() != changesBefore
                    || now - cached.loadedAt() > LISTING_TTL_NANOS) {
                cached = new Listing(modified, changesBefore, now, List.copyOf(RemoteFiles.list(s, path)));
                if (listings.size() > 256) {
                    listings.clear();
                }
                listings.put(key, cached);
            }
            List<FileEntry> sorted = cached.entries().stream().sorted(order).toList();
            int from = Math.min(offset, sorted.size());
            int to = Math.min(sorted.size(), from + limit);
            return new Page(path, sorted.subList(from, to), sorted.size());
        });
    }

    @GET
    @Path("content")
    @Produces(MediaType.WILDCARD)
    @Authenticated
    @Operation(summary = "Download a file (HTTP Range supported) or a directory as a zip; inline=true for preview")
    public Response download(@PathParam("cluster") String cluster, @QueryParam("path") String rawPath,
            @QueryParam("inline") @DefaultValue("false") boolean inline, @HeaderParam("Range") String range,
            @Context SecurityContext sc) {
        String path = RemotePaths.check("path", rawPath);
        LoginConnection c = connect(cluster, sc);
        boolean handedOver = false;
        try {
            SftpClient s = c.sftp();
            SftpClient.Attributes a = s.stat(path);
            String name = RemotePaths.name(path);
            if (a.isDirectory()) {
                StreamingOutput zip = out -> {
                    try {
                        RemoteFiles.zip(s, path, out);
                    } finally {
                        c.close();
                    }
                };
                handedOver = true;
                return Response.ok(zip, "application/zip")
                        .header("Content-Disposition", disposition(false, (name.isEmpty() ? "root" : name) + ".zip"))
                        .build();
            }
            if (!a.isRegularFile()) {
                throw new ApiException(409, "NOT_A_FILE", path + " is not a regular file", Map.of("path", path));
            }
            long size = a.getSize();
            long start = 0;
            long end = size - 1;
            int status = 200;
            if (range != null && range.startsWith("bytes=") && !range.contains(",")) {
                long[] r = range(range.substring(6).trim(), size);
                if (r == null) {
                    return Response.status(416).header("Content-Range", "bytes */" + size).build();
                }
                start = r[0];
                end = r[1];
                status = 206;
            }
            long length = Math.max(0, end - start + 1);
            InputStream in = RemoteFiles.read(s, path, start, length);
            StreamingOutput body = out -> {
                try (in) {
                    byte[] buf = new byte[RemoteFiles.BUFFER];
                    long left = length;
                    for (int n; left > 0 && (n = in.read(buf, 0, (int) Math.min(buf.length, left))) > 0;) {
                        out.write(buf, 0, n);
                        left -= n;
                    }
                } finally {
                    c.close();
                }
            };
            handedOver = true;
            String type = inline ? previewType(name) : MediaType.APPLICATION_OCTET_STREAM;
            Response.ResponseBuilder b = Response.status(status).entity(body).type(type)
                    .header("Content-Length", length).header("Accept-Ranges", "bytes")
                    .header("Content-Disposition", disposition(inline, name));
            if (status == 206) {
                b.header("Content-Range", "bytes " + start + "-" + end + "/" + size);
            }
            return b.build();
        } catch (IOException e) {
            throw FileErrors.of(e, path);
        } finally {
            if (!handedOver) {
                c.close();
            }
        }
    }

    @PUT
    @Path("content")
    @Consumes(MediaType.WILDCARD)
    @Authenticated
    @Operation(summary = "Write a small file (at most 10 MiB) from the request body; createOnly=true: 409 if it exists")
    public FileEntry write(@PathParam("cluster") String cluster, @QueryParam("path") String rawPath,
            @QueryParam("createOnly") @DefaultValue("false") boolean createOnly, InputStream body,
            @Context SecurityContext sc) {
        String path = RemotePaths.check("path", rawPath);
        byte[] bytes;
        try {
            bytes = body.readNBytes((int) MAX_TEXT_BYTES + 1);
        } catch (IOException e) {
            throw new ApiException(400, "BAD_BODY", "could not read the request body: " + e.getMessage(), Map.of());
        }
        if (bytes.length > MAX_TEXT_BYTES) {
            throw new ApiException(413, "TOO_LARGE", "files written this way may have at most " + MAX_TEXT_BYTES
                    + " bytes; use the chunked upload", Map.of("limit", MAX_TEXT_BYTES));
        }
        return change(cluster, sc, path, s -> {
            SftpClient.Attributes existing = RemoteFiles.lstatOrNull(s, path);
            if (existing != null && (createOnly || existing.isDirectory())) {
                throw FileErrors.exists(path);
            }
            var modes = createOnly ? new OpenMode[] {OpenMode.Write, OpenMode.Create, OpenMode.Exclusive}
                    : new OpenMode[] {OpenMode.Write, OpenMode.Create, OpenMode.Truncate};
            try (var out = s.write(path, modes)) {
                out.write(bytes);
            }
            return FileEntry.of(RemotePaths.name(path), s.stat(path));
        });
    }

    @POST
    @Path("mkdir")
    @Authenticated
    @Operation(summary = "Create a directory (its parent must exist)")
    public Response mkdir(@PathParam("cluster") String cluster, PathBody body, @Context SecurityContext sc) {
        String path = RemotePaths.check("path", Params.body(body).path());
        FileEntry e = change(cluster, sc, path, s -> {
            if (RemoteFiles.lstatOrNull(s, path) != null) {
                throw FileErrors.exists(path);
            }
            s.mkdir(path);
            return FileEntry.of(RemotePaths.name(path), s.stat(path));
        });
        return Response.status(201).entity(e).build();
    }

    @POST
    @Path("move")
    @Authenticated
    @Operation(summary = "Rename or move a file or directory; 409 if the target exists")
    public FileEntry move(@PathParam("cluster") String cluster, FromTo body, @Context SecurityContext sc) {
        String from = RemotePaths.check("from", Params.body(body).from());
        String to = RemotePaths.check("to", body.to());
        return change(cluster, sc, from, s -> {
            if (RemoteFiles.lstatOrNull(s, from) == null) {
                throw FileErrors.notFound(from);
            }
            if (RemoteFiles.lstatOrNull(s, to) != null) {
                throw FileErrors.exists(to);
            }
            try {
                s.rename(from, to);
            } catch (IOException e) {
                throw FileErrors.of(e, to);
            }
            return FileEntry.of(RemotePaths.name(to), s.lstat(to));
        });
    }

    @POST
    @Path("copy")
    @Authenticated
    @Operation(summary = "Copy a file or directory tree (symbolic links inside are skipped); 409 if the target exists")
    public FileEntry copy(@PathParam("cluster") String cluster, FromTo body, @Context SecurityContext sc) {
        String from = RemotePaths.check("from", Params.body(body).from());
        String to = RemotePaths.check("to", body.to());
        if (to.equals(from) || to.startsWith(from.equals("/") ? "/" : from + "/")) {
            throw ApiException.badField("to", "must not be inside the copied directory");
        }
        return change(cluster, sc, from, s -> {
            if (RemoteFiles.lstatOrNull(s, from) == null) {
                throw FileErrors.notFound(from);
            }
            if (RemoteFiles.lstatOrNull(s, to) != null) {
                throw FileErrors.exists(to);
            }
            try {
                RemoteFiles.copy(s, from, to);
            } catch (IOException e) {
                throw FileErrors.of(e, to);
            }
            return FileEntry.of(RemotePaths.name(to), s.lstat(to));
        });
    }

    @DELETE
    @Authenticated
    @Operation(summary = "Delete a file, link or (with recursive=true, a non-empty) directory")
    public Response delete(@PathParam("cluster") String cluster, @QueryParam("path") String rawPath,
            @QueryParam("recursive") @DefaultValue("false") boolean recursive, @Context SecurityContext sc) {
        String path = RemotePaths.check("path", rawPath);
        if (path.equals("/")) {
            throw ApiException.badField("path", "must not be /");
        }
        change(cluster, sc, path, s -> {
            SftpClient.Attributes a = s.lstat(path);
            if (a.isDirectory() && recursive) {
                RemoteFiles.deleteRecursive(s, path);
            } else if (a.isDirectory()) {
                s.rmdir(path);
            } else {
                s.remove(path);
            }
            return null;
        });
        return Response.noContent().build();
    }

    // --- chunked, resumable uploads: the state is the temporary file next to the target, so it survives restarts

    @POST
    @Path("uploads")
    @Authenticated
    @Operation(summary = "Start or resume a chunked upload; answers how much the login node already has")
    public Response startUpload(@PathParam("cluster") String cluster, NewUpload body, @Context SecurityContext sc) {
        String path = RemotePaths.check("path", Params.body(body).path());
        if (body.size() == null || body.size() < 0) {
            throw ApiException.badField("size", "is required and must be at least 0");
        }
        long size = body.size();
        boolean overwrite = Boolean.TRUE.equals(body.overwrite());
        String id = uploadId(path, size);
        String temp = tempPath(path, id);
        Upload u = change(cluster, sc, path, s -> {
            SftpClient.Attributes target = RemoteFiles.lstatOrNull(s, path);
            if (target != null && (!overwrite || target.isDirectory())) {
                throw FileErrors.exists(path);
            }
            SftpClient.Attributes t = RemoteFiles.lstatOrNull(s, temp);
            if (t == null) {
                try (var out = s.write(temp, OpenMode.Write, OpenMode.Create)) {
                    out.flush();
                }
                s.setStat(temp, new SftpClient.Attributes().perms(0600));
                return new Upload(id, path, size, 0);
            }
            return new Upload(id, path, size, t.getSize());
        });
        return Response.status(201).entity(u).build();
    }

    @GET
    @Path("uploads/{id}")
    @Authenticated
    @Operation(summary = "State of an upload (to resume after a reload or a broken connection)")
    public Upload upload(@PathParam("cluster") String cluster, @PathParam("id") String id, @Context SecurityContext sc) {
        Upload u = decode(id);
        return sftp(cluster, sc, u.path(), s -> new Upload(id, u.path(), u.size(), received(s, u)));
    }

    @PUT
    @Path("uploads/{id}")
    @Consumes(MediaType.WILDCARD)
    @Authenticated
    @Operation(summary = "Append one chunk (at most 16 MiB) at offset, which must equal the bytes received so far")
    public Received chunk(@PathParam("cluster") String cluster, @PathParam("id") String id,
            @QueryParam("offset") String offsetParam, InputStream body, @Context SecurityContext sc) {
        Upload u = decode(id);
        if (offsetParam == null || offsetParam.isBlank()) {
            throw ApiException.badField("offset", "is required");
        }
        long offset;
        try {
            offset = Long.parseLong(offsetParam);
        } catch (NumberFormatException e) {
            throw ApiException.badField("offset", "must be a whole number");
        }
        String temp = tempPath(u.path(), id);
        return change(cluster, sc, u.path(), s -> {
            long received = received(s, u);
            if (offset != received) {
                throw new ApiException(409, "OFFSET_MISMATCH", "the login node has " + received + " bytes; send from "
                        + "offset " + received, Map.of("received", received));
            }
            long max = Math.min(MAX_CHUNK_BYTES, u.size() - received);
            try {
                RemoteFiles.writeAt(s, temp, offset, body, max, false);
            } catch (RemoteFiles.TooLarge e) {
                throw new ApiException(413, "TOO_LARGE", "a chunk may have at most " + MAX_CHUNK_BYTES
                        + " bytes and must not go past the announced size " + u.size(), Map.of("limit", max));
            }
            return new Received(s.stat(temp).getSize());
        });
    }

    @POST
    @Path("uploads/{id}/complete")
    @Authenticated
    @Operation(summary = "Finish an upload whose bytes have all arrived: moves it into place")
    public FileEntry complete(@PathParam("cluster") String cluster, @PathParam("id") String id,
            @Context SecurityContext sc) {
        Upload u = decode(id);
        String temp = tempPath(u.path(), id);
        return change(cluster, sc, u.path(), s -> {
            long received = received(s, u);
            if (received != u.size()) {
                throw new ApiException(409, "UPLOAD_INCOMPLETE", "received " + received + " of " + u.size() + " bytes",
                        Map.of("received", received));
            }
            SftpClient.Attributes target = RemoteFiles.lstatOrNull(s, u.path());
            if (target != null) {
                if (target.isDirectory()) {
                    throw FileErrors.exists(u.path());
                }
                s.remove(u.path()); // overwrite was asked for when the upload started
            }
            s.setStat(temp, new SftpClient.Attributes().perms(0644));
            s.rename(temp, u.path());
            return FileEntry.of(RemotePaths.name(u.path()), s.stat(u.path()));
        });
    }

    @DELETE
    @Path("uploads/{id}")
    @Authenticated
    @Operation(summary = "Abort an upload and delete what arrived")
    public Response abort(@PathParam("cluster") String cluster, @PathParam("id") String id,
            @Context SecurityContext sc) {
        Upload u = decode(id);
        change(cluster, sc, u.path(), s -> {
            received(s, u);
            s.remove(tempPath(u.path(), id));
            return null;
        });
        return Response.noContent().build();
    }

    // --- helpers

    private static long received(SftpClient s, Upload u) throws IOException {
        SftpClient.Attributes t = RemoteFiles.lstatOrNull(s, tempPath(u.path(), u.id()));
        if (t == null) {
            throw ApiException.notFound("UPLOAD_NOT_FOUND", "no upload in progress for " + u.path()
                    + " (completed, aborted, or never started)", Map.of("path", u.path()));
        }
        return t.getSize();
    }

    /** The id names the upload (target path and size); it carries no authority: every access is the user's own. */
    static String uploadId(String path, long size) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString((size + ":" + path).getBytes(StandardCharsets.UTF_8));
    }

    static Upload decode(String id) {
        try {
            String s = new String(Base64.getUrlDecoder().decode(id), StandardCharsets.UTF_8);
            int colon = s.indexOf(':');
            long size = Long.parseLong(s.substring(0, colon));
            String path = RemotePaths.check("id", s.substring(colon + 1));
            if (size < 0 || !uploadId(path, size).equals(id)) {
                throw new IllegalArgumentException();
            }
            return new Upload(id, path, size, 0);
        } catch (RuntimeException e) {
            if (e instanceof ApiException a) {
                throw a;
            }
            throw ApiException.notFound("UPLOAD_NOT_FOUND", "no such upload id", Map.of());
        }
    }

    static String tempPath(String path, String id) {
        String hash = Integer.toHexString(id.hashCode()) + Long.toHexString(id.length());
        return RemotePaths.child(RemotePaths.parent(path), "." + RemotePaths.name(path) + ".scow-upload-" + hash);
    }

    static long[] range(String spec, long size) {
        int dash = spec.indexOf('-');
        if (dash < 0 || size == 0) {
            return null;
        }
        try {
            String a = spec.substring(0, dash).trim();
            String b = spec.substring(dash + 1).trim();
            long start;
            long end;
            if (a.isEmpty()) { // suffix: the last b bytes
                long n = Long.parseLong(b);
                start = Math.max(0, size - n);
                end = size - 1;
            } else {
                start = Long.parseLong(a);
                end = b.isEmpty() ? size - 1 : Math.min(Long.parseLong(b), size - 1);
            }
            return start > end || start >= size ? null : new long[] {start, end};
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Preview types the portal's origin may show: images and PDF as they are, anything else as plain text. */
    static String previewType(String name) {
        String guessed = URLConnection.guessContentTypeFromName(name.toLowerCase());
        if (guessed != null && INLINE_TYPES.contains(guessed)) {
            return guessed;
        }
        return MediaType.TEXT_PLAIN + ";charset=UTF-8";
    }

    static String disposition(boolean inline, String name) {
        String ascii = name.replaceAll("[^A-Za-z0-9._ -]", "_");
        return (inline ? "inline" : "attachment") + "; filename=\"" + ascii + "\"; filename*=UTF-8''"
                + URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static String user(SecurityContext sc) {
        ScowPrincipal p = Caller.principal(sc);
        if (p == null) {
            throw Caller.unauthenticated();
        }
        return p.userId();
    }

    private LoginConnection connect(String cluster, SecurityContext sc) {
        try {
            return loginNodes.connect(cluster, null, user(sc));
        } catch (LoginNodeException e) {
            throw FileErrors.of(e, cluster);
        }
    }

    /** As {@link #sftp} for a call that changes files: listings read before it or during it are no longer served. */
    private <T> T change(String cluster, SecurityContext sc, String path, SftpCall<T> call) {
        try {
            return sftp(cluster, sc, path, call);
        } finally {
            changeCount(cluster + "\0" + user(sc)).incrementAndGet();
        }
    }

    private AtomicLong changeCount(String owner) {
        return changes.computeIfAbsent(owner, o -> new AtomicLong());
    }

    private <T> T sftp(String cluster, SecurityContext sc, String path, SftpCall<T> call) {
        try (LoginConnection c = connect(cluster, sc)) {
            return call.run(c.sftp());
        } catch (IOException e) {
            throw FileErrors.of(e, path);
        }
    }
}
