package org.scow.loginnode.internal;

import java.io.IOException;
import java.security.KeyPair;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.SshException;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClientFactory;
import org.scow.loginnode.LoginConnection;
import org.scow.loginnode.LoginNode;
import org.scow.loginnode.LoginNodeException;
import org.scow.loginnode.LoginNodeException.Reason;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Authenticated SSH sessions per (node, user), shared by concurrent leases and closed once unused for the idle time.
 * A session that broke is replaced on the next lease.
 */
final class SessionPool implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SessionPool.class);

    private final SshClient client;
    private final KeyPair key;
    private final Duration connectTimeout;
    private final Duration authTimeout;
    private final Duration idle;
    private final String keyInstallerUser;
    private final Map<String, Pooled> pool = new ConcurrentHashMap<>();
    private final ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "scow-loginnode-idle");
        t.setDaemon(true);
        return t;
    });

    SessionPool(SshClient client, KeyPair key, Duration connectTimeout, Duration authTimeout, Duration idle,
            String keyInstallerUser) {
        this.client = client;
        this.key = key;
        this.connectTimeout = connectTimeout;
        this.authTimeout = authTimeout;
        this.idle = idle;
        this.keyInstallerUser = keyInstallerUser == null || keyInstallerUser.isBlank() ? null : keyInstallerUser.trim();
        long period = Math.max(1, Math.min(idle.toSeconds() / 2, 30));
        sweeper.scheduleWithFixedDelay(this::closeIdle, period, period, TimeUnit.SECONDS);
    }

    String publicKey() {
        return PlatformKey.authorizedKeysLine(key);
    }

    LoginConnection lease(LoginNode node, String user) throws LoginNodeException {
        if (!UnixUsers.isValid(user)) {
            throw new LoginNodeException(Reason.INVALID_USER, "'" + user + "' is not a valid Unix user name");
        }
        Pooled p = pool.computeIfAbsent(node.host() + ":" + node.port() + "/" + user, k -> new Pooled(node, user));
        synchronized (p) {
            if (p.session == null || !p.session.isOpen()) {
                p.close();
                p.session = open(node, user, true);
            }
            p.leases++;
            p.lastUsed = System.nanoTime();
        }
        return new Lease(p);
    }

    private ClientSession open(LoginNode node, String user, boolean mayInstall) throws LoginNodeException {
        ClientSession session;
        try {
            session = client.connect(user, node.host(), node.port()).verify(connectTimeout).getSession();
        } catch (IOException | RuntimeException e) {
            throw new LoginNodeException(Reason.UNREACHABLE, "login node " + node.name() + " (" + node.host() + ":"
                    + node.port() + ") does not answer: " + message(e), e);
        }
        try {
            session.addPublicKeyIdentity(key);
            session.auth().verify(authTimeout);
            return session;
        } catch (IOException | RuntimeException e) {
            closeQuietly(session);
            if (!session.isOpen() && !(e instanceof SshException)) {
                throw new LoginNodeException(Reason.UNREACHABLE, "login node " + node.name() + " closed the connection: "
                        + message(e), e);
            }
            if (mayInstall && keyInstallerUser != null && !keyInstallerUser.equals(user)) {
                installKey(node, user);
                return open(node, user, false);
            }
            throw new LoginNodeException(Reason.AUTH_FAILED, "login node " + node.name() + " refused the platform key for "
                    + "user '" + user + "': authorize it in ~" + user + "/.ssh/authorized_keys or configure the key "
                    + "installer (keyInstallerUser in org.scow.loginnode)", e);
        }
    }

    private void installKey(LoginNode node, String user) throws LoginNodeException {
        ClientSession admin = open(node, keyInstallerUser, false);
        try (SftpClient sftp = SftpClientFactory.instance().createSftpClient(admin)) {
            if (KeyInstaller.install(sftp, user, publicKey())) {
                LOG.info("Authorized the platform key for user {} on login node {}", user, node.name());
            }
        } catch (IOException e) {
            throw new LoginNodeException(Reason.AUTH_FAILED, "could not authorize the platform key for user '" + user
                    + "' on login node " + node.name() + ": " + message(e), e);
        } finally {
            closeQuietly(admin);
        }
    }

    void closeIdle() {
        long now = System.nanoTime();
        for (var e : pool.entrySet()) {
            Pooled p = e.getValue();
            synchronized (p) {
                if (p.leases == 0 && p.session != null && now - p.lastUsed > idle.toNanos()) {
                    LOG.debug("Closing idle session of {} to {}", p.user, p.node.name());
                    p.close();
                    pool.remove(e.getKey(), p);
                }
            }
        }
    }

    int openSessions() {
        return (int) pool.values().stream().filter(p -> p.session != null && p.session.isOpen()).count();
    }

    @Override
    public void close() {
        sweeper.shutdownNow();
        for (Pooled p : pool.values()) {
            synchronized (p) {
                p.close();
            }
        }
        pool.clear();
    }

    private static String message(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            if (c != null) {
                c.close();
            }
        } catch (Exception e) {
            LOG.debug("close", e);
        }
    }

    private static final class Pooled {
        final LoginNode node;
        final String user;
        ClientSession session;
        SftpClient sftp;
        int leases;
        long lastUsed;

        Pooled(LoginNode node, String user) {
            this.node = node;
            this.user = user;
        }

        void close() {
            closeQuietly(sftp);
            closeQuietly(session);
            sftp = null;
            session = null;
        }
    }

    private static final class Lease implements LoginConnection {
        private final Pooled p;
        private final ClientSession session;
        private boolean closed;

        Lease(Pooled p) {
            this.p = p;
            this.session = p.session;
        }

        @Override
        public LoginNode node() {
            return p.node;
        }

        @Override
        public String user() {
            return p.user;
        }

        @Override
        public ClientSession session() {
            return session;
        }

        @Override
        public SftpClient sftp() throws IOException {
            synchronized (p) {
                if (p.session != session) {
                    throw new IOException("the session to " + p.node.name() + " was closed");
                }
                if (p.sftp == null || !p.sftp.isOpen()) {
                    closeQuietly(p.sftp);
                    p.sftp = SftpClientFactory.instance().createSftpClient(session);
                }
                return p.sftp;
            }
        }

        @Override
        public void close() {
            synchronized (p) {
                if (!closed) {
                    closed = true;
                    p.leases--;
                    p.lastUsed = System.nanoTime();
                }
            }
        }
    }
}
