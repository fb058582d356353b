package org.scow.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * The first start without any login-node configuration: this machine is the {@code local} cluster's login node
 * through the platform's private sshd, and Unix users sign in with their Unix password. Two Unix users are created
 * for the test (and removed after it): the first lists its home, uploads a file (owned by it on disk) and runs
 * {@code whoami} in the web shell; it cannot read the second's 0700 home. Root and system accounts get no sign-in and
 * no session.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class FirstStartLoginNodeIT extends PlatformTestSupport {
    private static final String C = "/api/v1/clusters/local";
    private static final String F = C + "/files";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final List<String> created = new ArrayList<>();

    @Configuration
    public Option[] config() {
        return new Option[] {platform()}; // no loginNodes, no org.scow.loginnode settings but the test port
    }

    @Test
    public void unixUsersGetFilesAndShellAtOnce() throws Exception {
        String suffix = Long.toString(System.nanoTime() % 1_000_000_000L, 36);
        String u1 = "fsa" + suffix;
        String u2 = "fsb" + suffix;
        String system = "fss" + suffix;
        String pw1 = "Unix-Pass-1-" + suffix;
        String pw2 = "Unix-Pass-2-" + suffix;
        try {
            unixUser(u1, pw1, false);
            unixUser(u2, pw2, false);
            unixUser(system, pw1, true);
            Path home1 = Path.of(home(u1));
            Path home2 = Path.of(home(u2));
            run("chmod", "0700", home2.toString());
            awaitRest();

            // a Unix user signs in with the Unix password; nobody created it in the platform
            long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            ApiSession s1 = session(u1, pw1);
            while (s1.reply().status() != 200 && System.nanoTime() < end) { // the login-node bundle may start late
                Thread.sleep(500);
                s1 = session(u1, pw1);
            }
            assertEquals(s1.reply().toString(), 200, s1.reply().status());
            assertEquals(401, session(u1, "wrong-" + pw1).reply().status());
            assertEquals(401, session("root", pw1).reply().status());
            assertEquals(401, session("daemon", pw1).reply().status());
            assertEquals("a system account (uid < 1000) cannot sign in, even with its right password", 401,
                    session(system, pw1).reply().status());

            Reply nodes = call("GET", C + "/login-nodes", null, s1.headers());
            assertEquals(nodes.toString(), 200, nodes.status());
            assertEquals(nodes.toString(), "127.0.0.1", nodes.json().get(0).get("host").asText());
            assertEquals(LOCAL_LOGIN_NODE_PORT, nodes.json().get(0).get("port").asInt());

            Reply home = call("GET", F + "/home", null, s1.headers());
            assertEquals(home.toString(), home1.toString(), home.json().get("path").asText());
            HttpResponse<String> put = HTTP.send(HttpRequest.newBuilder(URI.create(BASE + F
                    + "/content?createOnly=true&path=" + q(home1 + "/uploaded.txt"))).headers(s1.headers())
                    .header("Content-Type", "application/octet-stream")
                    .PUT(HttpRequest.BodyPublishers.ofString("from the portal\n")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(put.body(), 200, put.statusCode());
            Path uploaded = home1.resolve("uploaded.txt");
            assertEquals("from the portal\n", Files.readString(uploaded));
            assertEquals("written as the user, not as root", u1, Files.getOwner(uploaded).getName());
            Reply list = call("GET", F + "?path=" + q(home1.toString()), null, s1.headers());
            assertEquals(list.toString(), 200, list.status());
            assertTrue(list.body(), list.body().contains("\"uploaded.txt\""));

            Reply other = call("GET", F + "?path=" + q(home2.toString()), null, s1.headers());
            assertEquals(other.toString(), 403, other.status());
            Reply otherFile = call("GET", F + "/content?path=" + q(home2 + "/.bashrc"), null, s1.headers());
            assertTrue(otherFile.toString(), otherFile.status() == 403 || otherFile.status() == 404);

            assertEquals(u1, whoami(s1));

            // a Unix account never takes over a platform user: with a built-in user of the same name, only the
            // built-in password signs in
            Reply createdBuiltin = post("/api/v1/auth/users", "{\"user\":\"" + u2 + "\",\"password\":\"Builtin-"
                    + pw2 + "\"}");
            assertEquals(createdBuiltin.toString(), 201, createdBuiltin.status());
            assertEquals(401, session(u2, pw2).reply().status());
            // and a system account never becomes a platform user: no built-in password, no session (docs/security.md)
            Reply sysBuiltin = post("/api/v1/auth/users", "{\"user\":\"" + system + "\",\"password\":\"Builtin-"
                    + pw1 + "\"}");
            assertEquals(sysBuiltin.toString(), 422, sysBuiltin.status());
            assertEquals(401, session(system, "Builtin-" + pw1).reply().status());
        } finally {
            for (String u : created) {
                new ProcessBuilder("userdel", "--force", "--remove", u).inheritIO().start().waitFor();
            }
        }
    }

    /** Runs whoami in the web shell and answers what it printed. */
    private static String whoami(ApiSession s) throws Exception {
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
                ws.request(1);
                return null;
            }
        };
        WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder()
                .header("Cookie", s.cookie()).header("Origin", BASE)
                .buildAsync(URI.create("ws://127.0.0.1:" + HTTP_PORT + "/ws/shell?cluster=local&cols=120&rows=32"),
                        listener)
                .get(30, TimeUnit.SECONDS);
        // the typed line echoes "$(whoami)"; only the shell's answer has the name between the markers
        ws.sendText("{\"type\":\"input\",\"data\":\"echo \\\"me=[$(whoami)]\\\"\\r\"}", true).get(10, TimeUnit.SECONDS);
        String[] name = new String[1];
        await("whoami answered in the web shell", Duration.ofSeconds(20), () -> {
            synchronized (output) {
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("me=\\[([^\\]$]+)\\]").matcher(output);
                if (m.find()) {
                    name[0] = m.group(1);
                    return true;
                }
                return false;
            }
        });
        ws.sendText("{\"type\":\"input\",\"data\":\"exit 0\\r\"}", true).get(10, TimeUnit.SECONDS);
        return name[0];
    }

    private void unixUser(String user, String password, boolean systemAccount) throws Exception {
        if (systemAccount) {
            run("useradd", "--system", "--create-home", "--shell", "/bin/bash", user);
        } else {
            run("useradd", "--create-home", "--shell", "/bin/bash", user);
        }
        created.add(user);
        Process p = new ProcessBuilder("chpasswd").start();
        p.getOutputStream().write((user + ":" + password + "\n").getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        assertEquals("chpasswd", 0, p.waitFor());
    }

    private static String home(String user) throws Exception {
        Process p = new ProcessBuilder("getent", "passwd", user).start();
        String line = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertEquals(0, p.waitFor());
        return line.split(":")[5];
    }

    private static void run(String... cmd) throws Exception {
        assertEquals(String.join(" ", cmd), 0, new ProcessBuilder(cmd).inheritIO().start().waitFor());
    }

    private static String q(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
