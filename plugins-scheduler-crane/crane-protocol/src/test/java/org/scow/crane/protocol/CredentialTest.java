package org.scow.crane.protocol;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import org.junit.Test;

public class CredentialTest {
    private static final byte[] KEY = new byte[32];
    private static final byte[] OTHER_KEY = new byte[32];

    static {
        Arrays.fill(KEY, (byte) 7);
        Arrays.fill(OTHER_KEY, (byte) 8);
    }

    @Test
    public void signedCredentialVerifies() throws Exception {
        String text = new Credential(Credential.Scope.USER, "alice", 2000).sign(KEY);
        assertTrue(text, text.startsWith("crane1:user:alice:2000:"));
        assertEquals(new Credential(Credential.Scope.USER, "alice", 2000), Credential.verify(text, KEY, 1000));
    }

    @Test
    public void forgedTamperedExpiredAndMalformedCredentialsAreRefused() {
        String text = new Credential(Credential.Scope.USER, "alice", 2000).sign(KEY);
        String[] bad = {
            new Credential(Credential.Scope.USER, "alice", 2000).sign(OTHER_KEY),   // wrong key
            text.replace(":alice:", ":bob:"),                                        // other principal
            text.replace(":user:", ":proxy:"),                                       // escalated scope
            text.replace(":2000:", ":9000:"),                                        // extended expiry
            "", "garbage", "crane1:user:alice", "crane2" + text.substring(6), text + ":x",
        };
        for (String b : bad) {
            assertThrows(b, Credential.InvalidCredentialException.class, () -> Credential.verify(b, KEY, 1000));
        }
        Credential.InvalidCredentialException e = assertThrows(Credential.InvalidCredentialException.class,
                () -> Credential.verify(text, KEY, 2001));
        assertTrue(e.getMessage(), e.getMessage().contains("expired"));
    }

    @Test
    public void keyAndCredentialFilesAreOwnerOnly() throws Exception {
        Path dir = Files.createTempDirectory("cred");
        Path keyFile = dir.resolve("auth.key");
        byte[] key = CredentialFiles.loadOrCreateKey(keyFile);
        assertEquals(32, key.length);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile)));
        assertTrue("the key is stable", Arrays.equals(key, CredentialFiles.loadOrCreateKey(keyFile)));

        Path cred = dir.resolve("alice.cred");
        String text = new Credential(Credential.Scope.USER, "alice", 2000).sign(key);
        CredentialFiles.writeCredential(cred, text, null);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(cred)));
        assertEquals(text, CredentialFiles.readCredential(cred));
    }
}
