package org.scow.loginnode.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.Optional;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.keyverifier.RejectAllServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClientFactory;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;
import org.scow.api.auth.UserIdentity;

/**
 * The private login node against the real OpenSSH of this machine (as root, with /usr/sbin/sshd): the platform key
 * opens sessions as a person's account and never as root or a system account; the Unix backend checks passwords
 * through it.
 */
public class LocalSshdTest {
    private static final String PASSWORD = "Local-Sshd-Test-77";
    private static String user;
    private static KeyPair key;
    private static LocalSshd sshd;
    private static SshClient client;

    @BeforeClass
    public static void start() throws Exception {
        assertTrue("needs root", "root".equals(System.getProperty("user.name")));
        assertTrue("needs OpenSSH's sshd (apt-get install openssh-server)", Files.isExecutable(Path.of("/usr/sbin/sshd")));
        user = "lsd" + Long.toString(System.nanoTime() % 1_000_000_000L, 36);
        run("useradd", "--create-home", "--shell", "/bin/bash", user);
        Process p = new ProcessBuilder("chpasswd").start();
        p.getOutputStream().write((user + ":" + PASSWORD + "\n").getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        assertEquals(0, p.waitFor());
        // not under /tmp: sshd trusts key files only below folders that only root can change
        Path dir = Path.of("target", "local-sshd-test").toAbsolutePath();
        key = PlatformKey.loadOrCreate(dir.resolve("platform_ed25519"));
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        sshd = new LocalSshd(Path.of("/usr/sbin/sshd"), dir.resolve("sshd"), port, PlatformKey.authorizedKeysLine(key),
                true, 1000);
        assertTrue("sshd listens", sshd.awaitListening(10_000));
        client = SshClient.setUpDefaultClient();
        client.setServerKeyVerifier((session, remote, serverKey) -> KeyUtils.compareKeys(sshd.hostKey(), serverKey));
        client.start();
    }

    @AfterClass
    public static void stop() throws Exception {
        if (client != null) {
            client.stop();
        }
        if (sshd != null) {
            sshd.close();
        }
        if (user != null) {
            new ProcessBuilder("userdel", "--remove", user).inheritIO().start().waitFor();
        }
    }

    @Test
    public void thePlatformKeyOpensSftpAsThePersonItself() throws Exception {
        try (ClientSession s = keySession(user); SftpClient sftp = SftpClientFactory.instance().createSftpClient(s)) {
            String home = sftp.canonicalPath(".");
            assertEquals(UnixUsers.lookup(user).orElseThrow().home(), home);
            try (var out = sftp.write(home + "/hello.txt")) {
                out.write("hi".getBytes(StandardCharsets.UTF_8));
            }
            assertEquals(user, Files.getOwner(Path.of(home, "hello.txt")).getName());
            try {
                sftp.readDir("/root").forEach(e -> { });
                fail("read /root as " + user);
            } catch (IOException | java.io.UncheckedIOException expected) {
                assertTrue(expected.getMessage(), expected.getMessage().contains("PERMISSION_DENIED"));
            }
        }
    }

    @Test
    public void thePlatformKeyNeverOpensRootOrSystemAccounts() throws Exception {
        for (String system : new String[] {"root", "daemon", "nobody"}) {
            try (ClientSession s = client.connect(system, "127.0.0.1", sshd.port()).verify(Duration.ofSeconds(10))
                    .getSession()) {
                s.addPublicKeyIdentity(key);
                s.auth().verify(Duration.ofSeconds(10));
                fail("the platform key opened a session as " + system);
            } catch (IOException expected) {
                // refused
            }
        }
    }

    @Test
    public void unixBackendChecksThePasswordOnly() throws Exception {
        UnixAuthBackend unix = new UnixAuthBackend(client, sshd, 1000, Duration.ofSeconds(15), u -> false);
        Optional<UserIdentity> ok = unix.authenticate(user, PASSWORD.toCharArray());
        assertTrue(ok.isPresent());
        assertEquals(UnixUsers.lookup(user).orElseThrow().uid(), (long) ok.get().uid());
        assertFalse(unix.authenticate(user, "wrong-password".toCharArray()).isPresent());
        assertFalse(unix.authenticate(user, new char[0]).isPresent());
        assertFalse(unix.authenticate("root", PASSWORD.toCharArray()).isPresent());
        assertFalse(unix.authenticate("no-such-user-x", PASSWORD.toCharArray()).isPresent());
        assertFalse(unix.authenticate("-oProxyCommand=x", PASSWORD.toCharArray()).isPresent());
        assertFalse("users of the built-in store are not taken over",
                new UnixAuthBackend(client, sshd, 1000, Duration.ofSeconds(15), u -> true)
                        .authenticate(user, PASSWORD.toCharArray()).isPresent());
    }

    @Test
    public void configRefusesRootAndSystemAccounts() throws Exception {
        String config = Files.readString(Path.of("target", "local-sshd-test", "sshd", "sshd_config"));
        assertTrue(config, config.contains("\nPermitRootLogin no\n"));
        assertTrue(config, config.contains("\nListenAddress 127.0.0.1\n"));
        String deny = config.lines().filter(l -> l.startsWith("DenyUsers ")).findFirst().orElseThrow();
        assertTrue(deny, deny.contains(" root ") && deny.contains(" daemon ") && deny.contains(" nobody"));
        assertFalse(deny, deny.contains(" " + user));
        assertTrue(Files.readString(Path.of("target", "local-sshd-test", "sshd", "authorized_keys"))
                .startsWith("restrict,pty ssh-ed25519 "));
    }

    @Test
    public void refusesAFolderOthersMayChange() throws Exception {
        Path tmp = Files.createTempDirectory("scow-sshd"); // below /tmp, which everybody may write
        try {
            LocalSshd.checkSecurePath(tmp);
            fail("accepted " + tmp);
        } catch (IOException expected) {
            assertTrue(expected.getMessage(), expected.getMessage().contains("/tmp"));
        } finally {
            Files.delete(tmp);
        }
        LocalSshd.checkSecurePath(Path.of("target").toAbsolutePath());
    }

    @Test
    public void hostKeyOfAnotherServerIsRefused() throws Exception {
        SshClient other = SshClient.setUpDefaultClient();
        other.setServerKeyVerifier(RejectAllServerKeyVerifier.INSTANCE);
        other.start();
        try (ClientSession s = other.connect(user, "127.0.0.1", sshd.port()).verify(Duration.ofSeconds(10)).getSession()) {
            s.addPublicKeyIdentity(key);
            s.auth().verify(Duration.ofSeconds(10));
            fail("authenticated although the host key was refused");
        } catch (IOException expected) {
            // refused
        } finally {
            other.stop();
        }
    }

    private static ClientSession keySession(String as) throws IOException {
        ClientSession s = client.connect(as, "127.0.0.1", sshd.port()).verify(Duration.ofSeconds(10)).getSession();
        s.addPublicKeyIdentity(key);
        s.auth().verify(Duration.ofSeconds(10));
        return s;
    }

    private static void run(String... cmd) throws Exception {
        assertEquals(String.join(" ", cmd), 0, new ProcessBuilder(cmd).inheritIO().start().waitFor());
    }
}
