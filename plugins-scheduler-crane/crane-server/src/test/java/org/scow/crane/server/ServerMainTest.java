package org.scow.crane.server;

import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * {@code cranectld credential}: the file is written and the expiry is said as a date, not as epoch seconds.
 * {@code cranectld credential-service}: the standalone service of login and compute nodes signs with the copied key.
 */
public class ServerMainTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Test
    public void credentialExpiryIsPrintedAsADate() throws Exception {
        Path key = tmp.getRoot().toPath().resolve("auth.key");
        Path out = tmp.getRoot().toPath().resolve("alice.cred");
        long before = Instant.now().getEpochSecond();
        String line = ServerMain.issueCredential(Map.of("key", key.toString(), "scope", "user", "principal", "alice",
                "ttl", "2-0", "out", out.toString()));
        long after = Instant.now().getEpochSecond();
        Matcher m = Pattern.compile("valid until (\\d{4}-\\d{2}-\\d{2}) (\\d{2}:\\d{2}:\\d{2}) UTC$").matcher(line);
        assertTrue(line, m.find());
        assertFalse(line, line.contains("epoch"));
        long until = LocalDateTime.parse(m.group(1) + "T" + m.group(2)).toEpochSecond(ZoneOffset.UTC);
        assertTrue(line, until >= before + 2 * 86400 && until <= after + 2 * 86400);
        assertTrue(Files.readString(out).startsWith("crane1:user:alice:" + until + ":"));
    }

    @Test
    public void theStandaloneCredentialServiceSignsWithTheCopiedKeyAndNeedsIt() throws Exception {
        org.junit.Assert.assertTrue("acts as alice", "root".equals(System.getProperty("user.name")));
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "crane-credsvc-main");
        try {
            Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
            Path key = dir.resolve("auth.key");
            Path socket = dir.resolve("node.sock");
            IllegalArgumentException missing = org.junit.Assert.assertThrows(IllegalArgumentException.class,
                    () -> ServerMain.startCredentialService(Map.of("key", key.toString(), "socket", socket.toString())));
            assertTrue(missing.getMessage(), missing.getMessage().contains("copy the controller's key"));
            assertFalse("no key of its own is made up", Files.exists(key));

            byte[] k = org.scow.crane.protocol.CredentialFiles.loadOrCreateKey(key); // the controller's key, copied
            try (CredentialService s = ServerMain.startCredentialService(Map.of("key", key.toString(),
                    "socket", socket.toString(), "ttl", "10:00"))) {
                String out = CredentialServiceTest.clientAs(dir, socket, "alice", null).trim();
                long now = Instant.now().getEpochSecond();
                var c = org.scow.crane.protocol.Credential.verify(out, k, now);
                org.junit.Assert.assertEquals("alice", c.principal());
                assertTrue(out, c.expiresEpochSec() <= now + 600 + 5);
            }
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }
}
