package org.scow.itests;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * Login-node access of the default distribution against the real OpenSSH test login node of
 * .ci/login-node-up.sh (127.0.0.1:2222): files over SFTP and the web shell, as Unix user alice signed in to the
 * platform as alice. The platform key is authorized for root there; the key installer authorizes it for alice.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class LoginNodeIT extends PlatformTestSupport {
    private static final String C = "/api/v1/clusters/local";
    private static final String F = C + "/files";
    private static final String USER = "alice";
    private static final String PASSWORD = "Alice-Files-2026x";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private ApiSession alice;

    @Configuration
    public Option[] config() {
        return new Option[] {platform(
                editConfigurationFilePut("etc/org.scow.cluster-local.cfg", "loginNodes", "login0=127.0.0.1:2222"),
                editConfigurationFilePut("etc/org.scow.loginnode.cfg", "keyInstallerUser", "root"))};
    }

    @Test
    public void filesAndShellAsTheUserOnTheLoginNode() throws Exception {
        assertTrue("the test login node is not running on 127.0.0.1:2222: run .ci/login-node-up.sh as root",
                listening(2222));
        awaitRest();
        authorizePlatformKeyForRoot();
        Reply created = post("/api/v1/auth/users", "{\"user\":\"" + USER + "\",\"password\":\"" + PASSWORD + "\"}");
        assertTrue(created.toString(), created.status() == 201 || created.status() == 409);
        alice = session(USER, PASSWORD);
        assertEquals(alice.reply().toString(), 200, alice.reply().status());

        Reply nodes = as("GET", C + "/login-nodes", null);
        assertEquals(nodes.toString(), "login0", nodes.json().get(0).get("name").asText());
        assertEquals(2222, nodes.json().get(0).get("port").asInt());

        Reply home = as("GET", F + "/home", null);
        assertEquals(home.toString(), "/home/" + USER, home.json().get("path").asText());

        String dir = "/home/" + USER + "/itest-" + System.nanoTime();
        fileOperations(dir);
        chunkedUploadWithResumeAndDownload(dir);
        zipOfADirectory(dir);
        largeDirectoryPages(dir);
        permissionDeniedIsForbidden();
        webShell();
        refusedWebShells();

        // one request removes the tree with its 50,000 files over SFTP: on a busy machine that takes more than 30 s
        assertEquals(204, callWithin(java.time.Duration.ofMinutes(5), "DELETE", F + "?recursive=true&path=" + q(dir),
                null, alice.headers()).status());
    }

    private void fileOperations(String dir) throws Exception {
        assertEquals(201, as("POST", F + "/mkdir", "{\"path\":\"" + dir + "\"}").status());
        Reply again = as("POST", F + "/mkdir", "{\"path\":\"" + dir + "\"}");
        assertEquals(again.toString(), 409, again.status());
        assertEquals(400, as("GET", F + "?path=" + q(dir + "/../etc"), null).status());
        assertEquals(400, as("GET", F + "?path=relative", null).status());

        HttpResponse<String> put = raw("PUT", F + "/content?createOnly=true&path=" + q(dir + "/a.txt"),
                HttpRequest.BodyPublishers.ofString("hello\n"), HttpResponse.BodyHandlers.ofString());
        assertEquals(put.body(), 200, put.statusCode());
        HttpResponse<String> twice = raw("PUT", F + "/content?createOnly=true&path=" + q(dir + "/a.txt"),
                HttpRequest.BodyPublishers.ofString("x"), HttpResponse.BodyHandlers.ofString());
        assertEquals(409, twice.statusCode());
        Path local = Path.of(dir, "a.txt");
        assertEquals("hello\n", Files.readString(local));
        assertEquals(USER, Files.getOwner(local).getName()); // written as alice, not as root

        assertEquals(200, as("POST", F + "/move", "{\"from\":\"" + dir + "/a.txt\",\"to\":\"" + dir + "/b.txt\"}").status());
        assertEquals(201, as("POST", F + "/mkdir", "{\"path\":\"" + dir + "/sub\"}").status());
        assertEquals(200, as("POST", F + "/copy", "{\"from\":\"" + dir + "/b.txt\",\"to\":\"" + dir + "/sub/c.txt\"}").status());
        Reply copyDir = as("POST", F + "/copy", "{\"from\":\"" + dir + "/sub\",\"to\":\"" + dir + "/sub2\"}");
        assertEquals(copyDir.toString(), "DIR", copyDir.json().get("type").asText());
        assertEquals("hello\n", Files.readString(Path.of(dir, "sub2", "c.txt")));

        Reply list = as("GET", F + "?path=" + q(dir) + "&sort=name", null);
        assertEquals(list.toString(), 3, list.json().get("totalCount").asInt());
        // empty paging parameters are the defaults (they answered 500 once)
        Reply emptyPaging = as("GET", F + "?path=" + q(dir) + "&offset=&limit=", null);
        assertEquals(emptyPaging.toString(), 3, emptyPaging.json().get("entries").size());
        assertEquals(400, as("GET", F + "?path=" + q(dir) + "&limit=x", null).status());
        assertEquals("sub", list.json().at("/entries/0/name").asText()); // directories first
        assertEquals("sub2", list.json().at("/entries/1/name").asText());
        assertEquals("b.txt", list.json().at("/entries/2/name").asText());
        assertEquals("rw-r--r--", list.json().at("/entries/2/mode").asText().replace("rw-rw-r--", "rw-r--r--"));

        // a change made through the platform shows at once, even within the second of a cached listing (SFTP
        // directory times have whole seconds)
        for (int i = 0; i < 5; i++) {
            String file = dir + "/quick" + i + ".txt";
            assertEquals(3, as("GET", F + "?path=" + q(dir), null).json().get("totalCount").asInt());
            assertEquals(200, raw("PUT", F + "/content?createOnly=true&path=" + q(file),
                    HttpRequest.BodyPublishers.ofString("x"), HttpResponse.BodyHandlers.ofString()).statusCode());
            assertEquals("after creating " + file, 4, as("GET", F + "?path=" + q(dir), null).json().get("totalCount").asInt());
            assertEquals(204, as("DELETE", F + "?path=" + q(file), null).status());
            assertEquals("after deleting " + file, 3, as("GET", F + "?path=" + q(dir), null).json().get("totalCount").asInt());
        }

        Reply notEmpty = as("DELETE", F + "?path=" + q(dir + "/sub2"), null);
        assertEquals(notEmpty.toString(), 409, notEmpty.status());
        assertEquals(204, as("DELETE", F + "?recursive=true&path=" + q(dir + "/sub2"), null).status());
        assertEquals(404, as("GET", F + "?path=" + q(dir + "/sub2"), null).status());
    }

    private void chunkedUploadWithResumeAndDownload(String dir) throws Exception {
        long size = 100L * 1024 * 1024;
        int chunk = 8 * 1024 * 1024;
        String target = dir + "/big.bin";
        Reply start = as("POST", F + "/uploads", "{\"path\":\"" + target + "\",\"size\":" + size + "}");
        assertEquals(start.toString(), 201, start.status());
        String id = start.json().get("id").asText();
        assertEquals(0, start.json().get("received").asLong());
        String chunkUrl = F + "/uploads/" + id + "?offset=";

        MessageDigest sent = MessageDigest.getInstance("SHA-256");
        long offset = 0;
        boolean interrupted = false;
        long began = System.nanoTime();
        while (offset < size) {
            int n = (int) Math.min(chunk, size - offset);
            byte[] data = data(offset, n);
            if (!interrupted && offset >= 3L * chunk) {
                // the connection breaks half-way through a chunk: what arrived stays, the client resumes from there
                interrupted = true;
                try {
                    raw("PUT", chunkUrl + offset, HttpRequest.BodyPublishers.ofInputStream(() -> breaksAfter(data, n / 2)),
                            HttpResponse.BodyHandlers.ofString());
                } catch (IOException expected) {
                    // the request body failed, as planned
                }
                long received = awaitStableReceived(id);
                assertTrue("received " + received, received >= offset && received <= offset + n / 2);
                if (received != offset) { // the client's idea of the offset is stale now
                    Reply stale = put(chunkUrl + offset, data(offset, 16));
                    assertEquals(stale.toString(), 409, stale.status());
                    assertEquals(received, stale.json().at("/details/received").asLong());
                }
                offset = received;
                continue;
            }
            Reply r = put(chunkUrl + offset, data);
            assertEquals(r.toString(), 200, r.status());
            offset += n;
            assertEquals(offset, r.json().get("received").asLong());
        }
        double uploadSeconds = (System.nanoTime() - began) / 1e9;
        assertTrue("the interruption was exercised", interrupted);
        // starting the same upload again (say after a page reload) finds everything already there
        Reply resumed = as("POST", F + "/uploads", "{\"path\":\"" + target + "\",\"size\":" + size + "}");
        assertEquals(resumed.toString(), id, resumed.json().get("id").asText());
        assertEquals(size, resumed.json().get("received").asLong());
        Reply done = as("POST", F + "/uploads/" + id + "/complete", null);
        assertEquals(done.toString(), 200, done.status());
        assertEquals(size, done.json().get("size").asLong());
        for (long o = 0; o < size; o += chunk) {
            sent.update(data(o, (int) Math.min(chunk, size - o)));
        }

        long t0 = System.nanoTime();
        HttpResponse<InputStream> down = raw("GET", F + "/content?path=" + q(target), HttpRequest.BodyPublishers.noBody(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, down.statusCode());
        MessageDigest got = MessageDigest.getInstance("SHA-256");
        long total = 0;
        try (InputStream in = down.body()) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0;) {
                got.update(buf, 0, n);
                total += n;
            }
        }
        double downloadSeconds = (System.nanoTime() - t0) / 1e9;
        assertEquals(size, total);
        assertArrayEquals("downloaded bytes equal uploaded bytes (SHA-256)", sent.digest(), got.digest());
        System.out.printf("LoginNodeIT: 100 MiB upload in 8 MiB chunks %.1f s, download %.1f s%n", uploadSeconds,
                downloadSeconds);

        HttpResponse<byte[]> part = HTTP.send(request("GET", F + "/content?path=" + q(target),
                HttpRequest.BodyPublishers.noBody()).header("Range", "bytes=1000-1009").build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(206, part.statusCode());
        assertArrayEquals(java.util.Arrays.copyOfRange(data(0, 1010), 1000, 1010), part.body());
        Files.delete(Path.of(target));
    }

    private void zipOfADirectory(String dir) throws Exception {
        Files.writeString(Path.of(dir, "sub", "d.txt"), "zip me");
        chown(Path.of(dir, "sub"));
        HttpResponse<InputStream> zip = raw("GET", F + "/content?path=" + q(dir + "/sub"),
                HttpRequest.BodyPublishers.noBody(), HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, zip.statusCode());
        assertTrue(zip.headers().firstValue("Content-Disposition").orElse("").contains("sub.zip"));
        Set<String> names = new HashSet<>();
        try (ZipInputStream in = new ZipInputStream(zip.body())) {
            for (ZipEntry e; (e = in.getNextEntry()) != null;) {
                names.add(e.getName());
                if (e.getName().equals("sub/d.txt")) {
                    assertEquals("zip me", new String(in.readAllBytes(), StandardCharsets.UTF_8));
                }
            }
        }
        assertEquals(Set.of("sub/", "sub/c.txt", "sub/d.txt"), names);
    }

    private void largeDirectoryPages(String dir) throws Exception {
        Path big = Path.of(dir, "many");
        Files.createDirectory(big);
        for (int i = 0; i < 50_000; i++) {
            Files.createFile(big.resolve(String.format("f%05d", i)));
        }
        chown(big);
        String url = F + "?limit=200&path=" + q(big.toString());
        long t0 = System.nanoTime();
        Reply first = as("GET", url + "&offset=0&sort=name", null);
        double firstMs = (System.nanoTime() - t0) / 1e6;
        assertEquals(first.toString().substring(0, Math.min(300, first.toString().length())), 200, first.status());
        assertEquals(50_000, first.json().get("totalCount").asInt());
        assertEquals(200, first.json().get("entries").size());
        assertEquals("f00000", first.json().at("/entries/0/name").asText());
        long t1 = System.nanoTime();
        Reply last = as("GET", url + "&offset=49900&sort=-name", null);
        double pageMs = (System.nanoTime() - t1) / 1e6;
        assertEquals("f00099", last.json().at("/entries/0/name").asText());
        assertEquals(100, last.json().get("entries").size());
        System.out.printf("LoginNodeIT: 50,000-entry directory: first page %.0f ms, later page %.0f ms%n", firstMs,
                pageMs);
        assertTrue("first page took " + firstMs + " ms", firstMs < 15_000);
    }

    private void permissionDeniedIsForbidden() throws Exception {
        Reply r = as("GET", F + "?path=/root", null);
        assertEquals(r.toString(), 403, r.status());
        assertTrue(r.body(), r.json().get("message").asText().contains("permission denied"));
    }

    private void webShell() throws Exception {
        String hostname = Files.readString(Path.of("/etc/hostname")).trim();
        LinkedBlockingQueue<String> text = new LinkedBlockingQueue<>();
        StringBuilder output = new StringBuilder();
        WebSocket.Listener listener = new WebSocket.Listener() {
            @Override
            public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
                synchronized (output) {
                    output.append(StandardCharsets.UTF_8.decode(data));
                }
                ws.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                text.add(data.toString());
                ws.request(1);
                return null;
            }
        };
        WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder()
                .header("Cookie", alice.cookie()).header("Origin", BASE)
                .buildAsync(URI.create("ws://127.0.0.1:" + HTTP_PORT + "/ws/shell?cluster=local&node=login0&cols=120&rows=32"
                        + "&path=" + q("/home/" + USER)), listener)
                .get(30, TimeUnit.SECONDS);
        ws.sendText("{\"type\":\"input\",\"data\":\"pwd; hostname\\r\"}", true).get(10, TimeUnit.SECONDS);
        await("hostname echoed by the shell", Duration.ofSeconds(20), () -> {
            synchronized (output) {
                return output.toString().contains("/home/" + USER + "\r\n" + hostname);
            }
        });
        ws.sendText("{\"type\":\"resize\",\"cols\":100,\"rows\":30}", true).get(10, TimeUnit.SECONDS);
        ws.sendText("{\"type\":\"input\",\"data\":\"stty size\\r\"}", true).get(10, TimeUnit.SECONDS);
        await("the new size applies", Duration.ofSeconds(20), () -> {
            synchronized (output) {
                return output.toString().contains("30 100");
            }
        });
        ws.sendText("{\"type\":\"input\",\"data\":\"exit 0\\r\"}", true).get(10, TimeUnit.SECONDS);
        String last = text.poll(20, TimeUnit.SECONDS);
        JsonNode exit = JSON.readTree(last);
        assertEquals(last, "exit", exit.get("type").asText());
        assertEquals(0, exit.get("status").asInt());
    }

    private void refusedWebShells() throws Exception {
        URI uri = URI.create("ws://127.0.0.1:" + HTTP_PORT + "/ws/shell?cluster=local");
        assertEquals(401, handshakeStatus(HttpClient.newHttpClient().newWebSocketBuilder(), uri));
        assertEquals(403, handshakeStatus(HttpClient.newHttpClient().newWebSocketBuilder()
                .header("Cookie", alice.cookie()).header("Origin", "http://evil.example.org"), uri));
        assertEquals(401, handshakeStatus(HttpClient.newHttpClient().newWebSocketBuilder()
                .header("Cookie", "SCOW_SESSION=00000000-0000-0000-0000-000000000000"), uri));
    }

    private static int handshakeStatus(WebSocket.Builder builder, URI uri) throws Exception {
        try {
            builder.buildAsync(uri, new WebSocket.Listener() { }).get(30, TimeUnit.SECONDS).abort();
            fail("the WebSocket was accepted");
            return 0;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException h) {
                return h.getResponse().statusCode();
            }
            throw e;
        }
    }

    // --- helpers

    private long awaitStableReceived(String id) throws Exception {
        long previous = -1;
        for (int i = 0; i < 100; i++) {
            long r = as("GET", F + "/uploads/" + id, null).json().get("received").asLong();
            if (r == previous) {
                return r;
            }
            previous = r;
            Thread.sleep(300);
        }
        return previous;
    }

    /** Deterministic test bytes for [offset, offset + n) of the upload. */
    private static byte[] data(long offset, int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            long x = offset + i;
            b[i] = (byte) (x * 31 + (x >>> 11) * 7);
        }
        return b;
    }

    private static InputStream breaksAfter(byte[] data, int n) {
        return new InputStream() {
            int pos;

            @Override
            public int read() throws IOException {
                if (pos >= n) {
                    throw new IOException("connection lost (simulated)");
                }
                return data[pos++] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (pos >= n) {
                    throw new IOException("connection lost (simulated)");
                }
                int k = Math.min(len, n - pos);
                System.arraycopy(data, pos, b, off, k);
                pos += k;
                return k;
            }
        };
    }

    private static void chown(Path p) throws Exception {
        assertEquals(0, new ProcessBuilder("chown", "-R", USER + ":", p.toString()).inheritIO().start().waitFor());
    }

    private static String q(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private HttpRequest.Builder request(String method, String path, HttpRequest.BodyPublisher body) {
        return HttpRequest.newBuilder(URI.create(BASE + path)).method(method, body).headers(alice.headers())
                .timeout(Duration.ofMinutes(5));
    }

    private <T> HttpResponse<T> raw(String method, String path, HttpRequest.BodyPublisher body,
            HttpResponse.BodyHandler<T> handler) throws IOException, InterruptedException {
        return HTTP.send(request(method, path, body).header("Content-Type", "application/octet-stream").build(), handler);
    }

    private Reply put(String path, byte[] data) throws Exception {
        HttpResponse<String> r = raw("PUT", path, HttpRequest.BodyPublishers.ofByteArray(data),
                HttpResponse.BodyHandlers.ofString());
        return new Reply(r.statusCode(), r.body().startsWith("{") ? JSON.readTree(r.body()) : null, r.body());
    }

    /** A JSON request as alice. */
    private Reply as(String method, String path, String json) throws Exception {
        return call(method, path, json, alice.headers());
    }
}
