package org.scow.auth.ldap.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

import org.junit.Test;
import org.junit.function.ThrowingRunnable;
import org.scow.api.auth.AuthBackend;
import org.scow.api.auth.AuthException;
import org.scow.api.auth.AuthException.Reason;
import org.scow.api.auth.NewUser;

/**
 * A directory that is down (closed port) or hangs (accepts, never answers): every operation fails with UNAVAILABLE
 * within the configured timeouts, the message names the directory, and nothing is written anywhere.
 */
public class LdapDirectoryDownIT extends LdapITSupport {
    private static final int TIMEOUT_MS = 1000;

    @Test
    public void closedPort() throws Exception {
        int port = freePort();
        String url = "ldap://127.0.0.1:" + port;
        long t0 = System.nanoTime();
        AuthBackend b = backend("urls", url, "connectTimeoutMillis", TIMEOUT_MS, "responseTimeoutMillis", TIMEOUT_MS);
        assertTrue("activation does not wait for the directory", millisSince(t0) < 3 * TIMEOUT_MS);
        allUnavailable(b, url, 3 * TIMEOUT_MS);
    }

    @Test
    public void directoryThatNeverAnswers() throws Exception {
        try (Blackhole hole = new Blackhole()) {
            String url = "ldap://127.0.0.1:" + hole.port();
            AuthBackend b = backend("urls", url, "connectTimeoutMillis", TIMEOUT_MS,
                    "responseTimeoutMillis", TIMEOUT_MS, "poolInitialSize", 0);
            // each attempt waits at most one response timeout; a stale-connection retry may double it
            allUnavailable(b, url, 4 * TIMEOUT_MS + 1000);
        }
    }

    @Test
    public void failOverToTheSecondUrl() throws Exception {
        AuthBackend b = backend("urls", "ldap://127.0.0.1:" + freePort() + " " + URL,
                "connectTimeoutMillis", TIMEOUT_MS);
        assertTrue(b.authenticate("alice", pw("alicepass")).isPresent());
    }

    private void allUnavailable(AuthBackend b, String url, long maxMillis) throws Exception {
        String id = newUserId();
        unavailable(url, maxMillis, () -> b.authenticate("alice", pw("alicepass")));
        unavailable(url, maxMillis, () -> b.getUser("alice"));
        unavailable(url, maxMillis, () -> b.changePassword("alice", pw("alicepass"), pw("x")));
        unavailable(url, maxMillis, () -> b.changePassword("alice", null, pw("x")));
        unavailable(url, maxMillis, () -> b.createUser(new NewUser(id, null, null, pw("pw"))));
        assertNull("nothing half-created in the real directory", userEntry(id));
        assertNull(admin.getEntry("cn=" + id + "," + GROUPS));
        // the real directory is untouched: alice's password was not changed
        assertTrue(backend().authenticate("alice", pw("alicepass")).isPresent());
    }

    private static void unavailable(String url, long maxMillis, ThrowingRunnable op) {
        long t0 = System.nanoTime();
        AuthException e = assertThrows(AuthException.class, op);
        long took = millisSince(t0);
        assertEquals(e.getMessage(), Reason.UNAVAILABLE, e.reason());
        assertTrue(e.getMessage(), e.getMessage().contains(url));
        assertTrue("took " + took + " ms: " + e.getMessage(), took < maxMillis);
    }

    private static long millisSince(long t0) {
        return (System.nanoTime() - t0) / 1_000_000;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Accepts connections and never says a word. */
    private static final class Blackhole implements AutoCloseable {
        private final ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        private final List<Socket> held = new ArrayList<>();
        private final Thread acceptor;

        Blackhole() throws IOException {
            acceptor = new Thread(() -> {
                while (!server.isClosed()) {
                    try {
                        Socket s = server.accept();
                        synchronized (held) {
                            held.add(s);
                        }
                    } catch (IOException e) {
                        return;
                    }
                }
            }, "ldap-blackhole");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        int port() {
            return server.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            server.close();
            synchronized (held) {
                for (Socket s : held) {
                    s.close();
                }
            }
        }
    }
}
