package org.scow.loginnode.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.time.Duration;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.keyverifier.AcceptAllServerKeyVerifier;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.scow.loginnode.LoginConnection;
import org.scow.loginnode.LoginNode;
import org.scow.loginnode.LoginNodeException;
import org.scow.loginnode.testing.TestLoginNode;

/** Against the real OpenSSH test login node (.ci/login-node-up.sh). */
public class SessionPoolTest {
    private static final LoginNode NODE = new LoginNode("login0", TestLoginNode.HOST, TestLoginNode.PORT);

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private SshClient client;

    @Before
    public void start() {
        TestLoginNode.assumeRunning();
        client = SshClient.setUpDefaultClient();
        client.setServerKeyVerifier(AcceptAllServerKeyVerifier.INSTANCE);
        client.start();
    }

    @After
    public void stop() throws Exception {
        if (client != null) {
            client.stop();
        }
    }

    @Test
    public void generatesAnEd25519KeyWithMode0600AndLoadsItAgain() throws Exception {
        Path file = tmp.getRoot().toPath().resolve("ssh/platform_ed25519");
        KeyPair created = PlatformKey.loadOrCreate(file);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertTrue(PlatformKey.authorizedKeysLine(created).startsWith("ssh-ed25519 AAAA"));
        KeyPair loaded = PlatformKey.loadOrCreate(file);
        assertEquals(created.getPublic(), loaded.getPublic());
        assertTrue(Files.readString(file.resolveSibling("platform_ed25519.pub")).startsWith("ssh-ed25519 "));
    }

    @Test
    public void installsTheKeyForAUserThroughTheAdminAndPoolsSessions() throws Exception {
        KeyPair key = PlatformKey.loadOrCreate(tmp.getRoot().toPath().resolve("k"));
        TestLoginNode.authorize("root", PlatformKey.authorizedKeysLine(key));
        try (SessionPool pool = new SessionPool(client, key, Duration.ofSeconds(5), Duration.ofSeconds(10),
                Duration.ofSeconds(1), "root")) {
            // bob has never seen this key: the first login is refused, the installer adds it, the retry succeeds
            try (LoginConnection c = pool.lease(NODE, "bob")) {
                assertEquals("bob", c.user());
                String home = c.sftp().canonicalPath(".");
                assertEquals("/home/bob", home);
                var attrs = c.sftp().stat(home + "/.ssh/authorized_keys");
                assertEquals(0600, attrs.getPermissions() & 0777);
                assertEquals(uid("bob"), attrs.getUserId());
                try (LoginConnection again = pool.lease(NODE, "bob")) {
                    assertSame(c.session(), again.session());
                }
            }
            assertEquals(1, pool.openSessions());
            Thread.sleep(1500);
            pool.closeIdle();
            assertEquals(0, pool.openSessions());
        }
    }

    @Test
    public void withoutInstallerAnUnknownKeyIsRefusedInWords() throws Exception {
        KeyPair key = PlatformKey.loadOrCreate(tmp.getRoot().toPath().resolve("other"));
        try (SessionPool pool = new SessionPool(client, key, Duration.ofSeconds(5), Duration.ofSeconds(10),
                Duration.ofSeconds(60), "")) {
            try (LoginConnection c = pool.lease(NODE, "alice")) {
                fail("logged in with an unauthorized key");
            } catch (LoginNodeException e) {
                assertEquals(LoginNodeException.Reason.AUTH_FAILED, e.reason());
                assertTrue(e.getMessage(), e.getMessage().contains("authorized_keys"));
            }
            try (LoginConnection c = pool.lease(NODE, "-oProxyCommand=x")) {
                fail("accepted a bad user name");
            } catch (LoginNodeException e) {
                assertEquals(LoginNodeException.Reason.INVALID_USER, e.reason());
            }
        }
    }

    @Test
    public void aNodeThatDoesNotAnswerIsUnreachable() throws Exception {
        KeyPair key = PlatformKey.loadOrCreate(tmp.getRoot().toPath().resolve("k3"));
        try (SessionPool pool = new SessionPool(client, key, Duration.ofSeconds(3), Duration.ofSeconds(3),
                Duration.ofSeconds(60), "")) {
            pool.lease(new LoginNode("down", "127.0.0.1", 1), "alice").close();
            fail("connected to a closed port");
        } catch (LoginNodeException e) {
            assertEquals(LoginNodeException.Reason.UNREACHABLE, e.reason());
        }
        assertFalse(UnixUsers.isValid("a b"));
    }

    private static int uid(String user) throws Exception {
        return (Integer) Files.getAttribute(Path.of("/home", user), "unix:uid");
    }
}
