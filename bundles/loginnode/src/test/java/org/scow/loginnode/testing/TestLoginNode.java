package org.scow.loginnode.testing;

import static org.junit.Assume.assumeTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The test login node of .ci/login-node-up.sh: OpenSSH on 127.0.0.1:2222 that also reads
 * /etc/scow-login-node/authorized_keys/&lt;user&gt;, so tests can authorize a key for root there.
 */
public final class TestLoginNode {
    public static final String HOST = "127.0.0.1";
    public static final int PORT = 2222;
    public static final Path AUTHORIZED_KEYS = Path.of("/etc/scow-login-node/authorized_keys");

    private TestLoginNode() {
    }

    /** Skips the test (with the reason) unless the test login node is running. */
    public static void assumeRunning() {
        boolean up;
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(HOST, PORT), 2000);
            up = true;
        } catch (IOException e) {
            up = false;
        }
        assumeTrue("the test login node is not running on 127.0.0.1:2222: run .ci/login-node-up.sh as root", up);
        assumeTrue("cannot write " + AUTHORIZED_KEYS + ": run the tests as root", Files.isWritable(AUTHORIZED_KEYS));
    }

    /** Authorizes an {@code authorized_keys} line for {@code user} (root in the tests), once. */
    public static void authorize(String user, String keyLine) throws IOException {
        Path file = AUTHORIZED_KEYS.resolve(user);
        String body = keyLine.split(" ")[1];
        if (Files.exists(file) && Files.readString(file).contains(body)) {
            return;
        }
        Files.writeString(file, keyLine + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
    }
}
