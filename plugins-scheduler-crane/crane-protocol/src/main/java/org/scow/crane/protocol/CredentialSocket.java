package org.scow.crane.protocol;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Client of the local credential service (crane-server {@code CredentialService}): connects to its Unix socket and
 * reads the one line it answers. The caller sends nothing: the service learns who is calling from the kernel
 * ({@code SO_PEERCRED}), so there is no field a caller could use to claim another name.
 *
 * <p>Answers: {@code OK <credential>} or {@code ERR <reason>}.
 */
public final class CredentialSocket {
    /** Longest answer read: a credential is at most 512 characters, a refusal a sentence. */
    static final int MAX_ANSWER = 4096;

    private CredentialSocket() {
    }

    /** Why the service gave no credential (its own words), or that it could not be reached. */
    public static final class Refused extends IOException {
        public Refused(String message) {
            super(message);
        }
    }

    /**
     * The calling user's credential from the service at {@code socket}.
     *
     * @throws Refused the service's reason for refusing (a system account, an unknown uid)
     * @throws IOException the socket cannot be reached or did not answer within {@code timeoutMillis}
     */
    public static String fetch(Path socket, long timeoutMillis) throws IOException {
        return fetch(socket, timeoutMillis, null);
    }

    /**
     * As {@link #fetch(Path, long)}, first sending {@code claim}: the service reads nothing, so this is only for
     * tests showing that what a caller says does not change who it is.
     */
    static String fetch(Path socket, long timeoutMillis, String claim) throws IOException {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            if (claim != null) {
                try {
                    ch.write(ByteBuffer.wrap(claim.getBytes(StandardCharsets.UTF_8)));
                } catch (IOException closedAlready) {
                    // the service answered and closed before reading: the answer is still in our buffer
                }
            }
            ch.configureBlocking(false);
            ByteBuffer buf = ByteBuffer.allocate(MAX_ANSWER);
            long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
            try (Selector sel = Selector.open()) {
                ch.register(sel, SelectionKey.OP_READ);
                while (buf.hasRemaining()) {
                    long left = (deadline - System.nanoTime()) / 1_000_000;
                    if (left <= 0) throw new IOException("no answer from " + socket + " within " + timeoutMillis + " ms");
                    sel.select(left);
                    sel.selectedKeys().clear();
                    if (ch.read(buf) < 0) break;
                    // one line is the whole answer: stop there (after it the service may already have closed, and
                    // if it closed with our unread bytes the kernel reports a reset rather than the end of data)
                    if (indexOfNewline(buf) >= 0) break;
                }
            }
            String answer = new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8);
            int nl = answer.indexOf('\n');
            if (nl < 0) throw new IOException("malformed answer from " + socket + " (no complete line)");
            String line = answer.substring(0, nl);
            if (line.startsWith("OK ")) return line.substring(3);
            if (line.startsWith("ERR ")) throw new Refused(line.substring(4));
            throw new IOException("malformed answer from " + socket);
        }
    }

    private static int indexOfNewline(ByteBuffer buf) {
        for (int i = 0; i < buf.position(); i++) if (buf.get(i) == '\n') return i;
        return -1;
    }

    /**
     * {@code java ... CredentialSocket SOCKET [CLAIM]}: prints the caller's credential, after sending CLAIM (used by
     * tests as other users).
     */
    public static void main(String[] args) {
        try {
            System.out.println(fetch(Path.of(args[0]), 10_000, args.length > 1 ? args[1] : null));
        } catch (Refused e) {
            System.out.println("REFUSED " + e.getMessage());
            System.exit(3);
        } catch (IOException e) {
            System.out.println("FAILED " + e);
            System.exit(1);
        }
    }
}
