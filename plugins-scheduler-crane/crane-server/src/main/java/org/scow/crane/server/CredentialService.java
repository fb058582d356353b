package org.scow.crane.server;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.OptionalInt;
import java.util.function.BiFunction;
import java.util.function.IntFunction;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.scow.crane.protocol.JobUserPolicy;

/**
 * The local credential service, munge-style: a Unix socket (mode 0666) where any local process gets a short-lived
 * user credential for the Unix user it runs as. Who is calling comes from the kernel ({@code SO_PEERCRED} on the
 * accepted connection: the uid of the process that connected), never from anything the caller sends, so a user
 * cannot obtain a credential for someone else; the service does not even read from the connection.
 *
 * <p>System accounts get none: the uid goes through the controller's {@link JobUserPolicy} (uid 0, uids below
 * MinJobUid, DeniedJobUsers), because a user credential exists to submit and manage jobs.
 *
 * <p>The JDK has Unix-domain socket channels but no way to ask for the peer's credentials, so the socket is driven
 * through libc with JNA (socket/bind/listen/accept4/getsockopt/write): no reflection into JDK internals, which
 * would need {@code --add-opens} in every JVM that embeds the controller (Karaf included).
 */
public final class CredentialService implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(CredentialService.class.getName());
    /** sockaddr_un.sun_path is 108 bytes including the terminating NUL. */
    static final int MAX_PATH_BYTES = 107;
    public static final Duration DEFAULT_TTL = Duration.ofHours(1);

    private static final int AF_UNIX = 1;
    private static final int SOCK_STREAM = 1;
    private static final int SOCK_CLOEXEC = 0x80000; // not inherited by job processes the executor forks
    private static final int SOL_SOCKET = 1;
    private static final int SO_PEERCRED = 17;
    private static final int SHUT_RDWR = 2;

    /** The few libc calls the service needs; a failure throws with errno. */
    interface LibC extends Library {
        int socket(int domain, int type, int protocol) throws LastErrorException;

        int bind(int fd, byte[] addr, int len) throws LastErrorException;

        int listen(int fd, int backlog) throws LastErrorException;

        int accept4(int fd, Pointer addr, Pointer len, int flags) throws LastErrorException;

        int getsockopt(int fd, int level, int name, int[] value, IntByReference len) throws LastErrorException;

        long write(int fd, byte[] buf, long count) throws LastErrorException;

        int shutdown(int fd, int how) throws LastErrorException;

        int close(int fd) throws LastErrorException;
    }

    /** What the service issues for a uid: a signed credential for the name, or null with the reason. */
    public record Issued(String credential, String refusal) {
    }

    private final LibC libc;
    private final Path path;
    private final int listenFd;
    private final Thread acceptor;
    private final IntFunction<Issued> issuer;
    private volatile boolean closed;

    private CredentialService(LibC libc, Path path, int fd, IntFunction<Issued> issuer) {
        this.libc = libc;
        this.path = path;
        this.listenFd = fd;
        this.issuer = issuer;
        this.acceptor = new Thread(this::acceptLoop, "crane-credential-service");
        acceptor.setDaemon(true);
    }

    /**
     * Listens on {@code socket} and answers each connection with a user credential for the caller's uid:
     * {@code sign(user, ttl)} mints it, {@code policy} decides who may have one.
     */
    public static CredentialService start(Path socket, JobUserPolicy policy, Duration ttl,
            BiFunction<String, Duration, String> sign) throws IOException {
        Passwd names = new Passwd();
        return start(socket, uid -> {
            String name = names.nameOf(uid);
            if (name == null) {
                return new Issued(null, "uid " + uid + " is not in this machine's password database");
            }
            String refusal = policy.refusal(name, OptionalInt.of(uid));
            if (refusal != null) {
                return new Issued(null, "no credential for " + name + " (uid " + uid + "): "
                        + refusal.replace("; submit as an ordinary user", "")
                        + "; administrators use the platform's credential file or 'cranectld credential'");
            }
            return new Issued(sign.apply(name, ttl), null);
        });
    }

    /** As above with the decision given directly: uid -> what to answer. */
    static CredentialService start(Path socket, IntFunction<Issued> issuer) throws IOException {
        byte[] p = socket.toAbsolutePath().toString().getBytes(StandardCharsets.UTF_8);
        if (p.length > MAX_PATH_BYTES) {
            throw new IOException("the credential socket path " + socket + " is " + p.length + " bytes; a Unix socket"
                    + " path may have at most " + MAX_PATH_BYTES + " (choose a shorter one)");
        }
        if (Files.exists(socket, LinkOption.NOFOLLOW_LINKS)) {
            // a socket left by a previous run (a crash leaves it behind); anything else is not ours to delete
            if (!"socket".equals(fileType(socket))) {
                throw new IOException("cannot create the credential socket " + socket + ": a file that is not a socket"
                        + " is in the way");
            }
            Files.delete(socket);
        }
        LibC libc;
        try {
            libc = Native.load("c", LibC.class);
        } catch (UnsatisfiedLinkError e) {
            throw new IOException("the credential service needs libc through JNA: " + e.getMessage(), e);
        }
        byte[] addr = new byte[2 + p.length + 1];
        addr[0] = (byte) AF_UNIX; // sa_family_t, little-endian (x86-64, aarch64)
        System.arraycopy(p, 0, addr, 2, p.length);
        int fd;
        try {
            fd = libc.socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        } catch (LastErrorException e) {
            throw new IOException("socket(AF_UNIX): " + e.getMessage(), e);
        }
        try {
            libc.bind(fd, addr, addr.length);
            // everyone may connect: that is the point, the kernel tells who did
            Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-rw-rw-"));
            libc.listen(fd, 64);
        } catch (LastErrorException | IOException e) {
            libc.close(fd);
            throw new IOException("cannot listen on the credential socket " + socket + ": " + e.getMessage(), e);
        }
        CredentialService s = new CredentialService(libc, socket, fd, issuer);
        s.acceptor.start();
        return s;
    }

    private static String fileType(Path f) {
        try {
            Object mode = Files.getAttribute(f, "unix:mode", LinkOption.NOFOLLOW_LINKS);
            return ((Integer) mode & 0170000) == 0140000 ? "socket" : "other";
        } catch (IOException | UnsupportedOperationException e) {
            return "other";
        }
    }

    public Path path() {
        return path;
    }

    private void acceptLoop() {
        while (!closed) {
            int conn;
            try {
                conn = libc.accept4(listenFd, null, null, SOCK_CLOEXEC);
            } catch (LastErrorException e) {
                if (closed) return;
                if (e.getErrorCode() == 4 /* EINTR */ || e.getErrorCode() == 103 /* ECONNABORTED */) continue;
                LOG.log(Level.WARNING, "credential service: accept failed; the service stops", e);
                return;
            }
            try {
                answer(conn);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "credential service: a request failed", e);
            } finally {
                try {
                    libc.close(conn);
                } catch (LastErrorException ignored) {
                    // nothing to do: the descriptor is gone either way
                }
            }
        }
    }

    private void answer(int conn) {
        int[] cred = new int[3]; // struct ucred { pid_t pid; uid_t uid; gid_t gid; }
        IntByReference len = new IntByReference(12);
        String line;
        try {
            libc.getsockopt(conn, SOL_SOCKET, SO_PEERCRED, cred, len);
            if (len.getValue() != 12) throw new LastErrorException("short SO_PEERCRED answer");
            int uid = cred[1];
            Issued issued = issuer.apply(uid);
            if (issued.credential() != null) {
                line = "OK " + issued.credential() + "\n";
                LOG.fine(() -> "credential service: issued a user credential to uid " + uid + " (pid " + cred[0] + ")");
            } else {
                line = "ERR " + issued.refusal() + "\n";
            }
        } catch (LastErrorException e) {
            line = "ERR cannot tell who is calling: " + e.getMessage() + "\n";
        }
        byte[] b = line.getBytes(StandardCharsets.UTF_8);
        try {
            // a few hundred bytes always fit the socket buffer: the write never blocks on a client that does not read
            libc.write(conn, b, b.length);
        } catch (LastErrorException ignored) {
            // the caller went away
        }
    }

    /** Stops answering and removes the socket. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        try {
            libc.shutdown(listenFd, SHUT_RDWR); // wakes the blocked accept (Linux)
        } catch (LastErrorException ignored) {
            // not connected or already shut: close below ends it
        }
        try {
            acceptor.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            libc.close(listenFd);
        } catch (LastErrorException ignored) {
            // already closed
        }
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            LOG.fine(() -> "credential socket " + path + " not removed: " + e);
        }
    }
}
