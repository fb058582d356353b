package org.scow.files.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.keyverifier.AcceptAllServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClientFactory;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.scow.loginnode.testing.TestLoginNode;

/** The file operations over real SFTP (the test login node, as root, in a scratch directory). */
public class RemoteFilesTest {
    private SshClient client;
    private ClientSession session;
    private SftpClient sftp;
    private Path dir;

    @Before
    public void connect() throws Exception {
        TestLoginNode.assumeRunning();
        KeyPair key = KeyUtils.generateKeyPair("ssh-ed25519", 256);
        TestLoginNode.authorize("root", PublicKeyEntry.toString(key.getPublic()) + " scow-files-test");
        client = SshClient.setUpDefaultClient();
        client.setServerKeyVerifier(AcceptAllServerKeyVerifier.INSTANCE);
        client.start();
        session = client.connect("root", TestLoginNode.HOST, TestLoginNode.PORT).verify(10_000).getSession();
        session.addPublicKeyIdentity(key);
        session.auth().verify(10_000);
        sftp = SftpClientFactory.instance().createSftpClient(session);
        dir = Files.createTempDirectory("scow-files-test");
    }

    @After
    public void close() throws Exception {
        if (sftp != null) {
            sftp.close();
            try (var walk = Files.walk(dir)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
            session.close();
            client.stop();
        }
    }

    @Test
    public void writeAtOffsetsCopyZipAndDelete() throws Exception {
        String d = dir.toString();
        sftp.mkdir(d + "/src");
        String file = d + "/src/a.txt";
        sftp.write(file).close();
        RemoteFiles.writeAt(sftp, file, 0, new ByteArrayInputStream("hello ".getBytes()), 100, false);
        RemoteFiles.writeAt(sftp, file, 6, new ByteArrayInputStream("world".getBytes()), 100, false);
        assertEquals("hello world", Files.readString(Path.of(file)));
        try (var in = RemoteFiles.read(sftp, file, 6, 3)) {
            assertEquals("wor", new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }

        RemoteFiles.copy(sftp, d + "/src", d + "/dst");
        assertEquals("hello world", Files.readString(Path.of(d, "dst", "a.txt")));

        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        RemoteFiles.zip(sftp, d + "/dst", zip);
        Set<String> names = new TreeSet<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip.toByteArray()))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null;) {
                names.add(e.getName());
            }
        }
        assertEquals(Set.of("dst/", "dst/a.txt"), names);

        RemoteFiles.deleteRecursive(sftp, d + "/dst");
        assertTrue(RemoteFiles.lstatOrNull(sftp, d + "/dst") == null);
    }

    @Test
    public void listsFiftyThousandEntriesAndSortsThem() throws Exception {
        Path many = Files.createDirectory(dir.resolve("many"));
        for (int i = 0; i < 50_000; i++) {
            Files.createFile(many.resolve(String.format("f%05d", i)));
        }
        Files.createDirectory(many.resolve("zdir"));
        long t0 = System.nanoTime();
        List<FileEntry> entries = RemoteFiles.list(sftp, many.toString());
        long listMs = (System.nanoTime() - t0) / 1_000_000;
        long t1 = System.nanoTime();
        List<FileEntry> sorted = entries.stream().sorted(RemoteFiles.order("-name")).toList();
        long sortMs = (System.nanoTime() - t1) / 1_000_000;
        System.out.printf("RemoteFilesTest: listed 50,001 entries over SFTP in %d ms, sorted in %d ms%n", listMs, sortMs);
        assertEquals(50_001, entries.size());
        assertEquals("zdir", sorted.get(0).name()); // directories first
        assertEquals("f49999", sorted.get(1).name());
    }

    @Test
    public void aDirectoryThatCannotBeReadIsAnSftpPermissionError() throws Exception {
        // as root everything is readable: check that listing errors surface as SftpException, not wrapped
        try {
            RemoteFiles.list(sftp, dir + "/missing");
            org.junit.Assert.fail("listed a missing directory");
        } catch (org.apache.sshd.sftp.common.SftpException e) {
            assertEquals(org.apache.sshd.sftp.common.SftpConstants.SSH_FX_NO_SUCH_FILE, e.getStatus());
        }
    }

    @Test
    public void anotherUsersPrivateDirectoryIsPermissionDenied() throws Exception {
        KeyPair key = KeyUtils.generateKeyPair("ssh-ed25519", 256);
        TestLoginNode.authorize("bob", PublicKeyEntry.toString(key.getPublic()) + " scow-files-test");
        try (ClientSession bob = client.connect("bob", TestLoginNode.HOST, TestLoginNode.PORT).verify(10_000)
                .getSession()) {
            bob.addPublicKeyIdentity(key);
            bob.auth().verify(10_000);
            try (SftpClient s = SftpClientFactory.instance().createSftpClient(bob)) {
                RemoteFiles.list(s, "/root");
                org.junit.Assert.fail("bob listed /root");
            } catch (org.apache.sshd.sftp.common.SftpException e) {
                assertEquals(403, FileErrors.of(e, "/root").status());
            }
        }
    }
}
