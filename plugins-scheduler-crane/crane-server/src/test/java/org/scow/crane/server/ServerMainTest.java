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

/** {@code cranectld credential}: the file is written and the expiry is said as a date, not as epoch seconds. */
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
}
