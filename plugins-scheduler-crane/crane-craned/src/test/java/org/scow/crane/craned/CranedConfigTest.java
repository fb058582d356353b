package org.scow.crane.craned;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.Test;
import org.scow.crane.executor.ExecutorConfig;

/** The job-user keys of craned.conf reach the executor; the shipped example file parses and keeps the defaults. */
public class CranedConfigTest {

    @Test
    public void jobUserKeys() throws Exception {
        Path dir = Files.createTempDirectory("craned-conf");
        Path f = dir.resolve("craned.conf");
        Files.writeString(f, "MinJobUid=500\nDeniedJobUsers=root,games\nAllowedSystemUsers=svc\nAllowRootJobs=true\n");
        ExecutorConfig e = CranedConfig.load(f).executorConfig(0);
        assertEquals(500, e.minJobUid);
        assertEquals(Set.of("root", "games"), e.deniedJobUsers);
        assertEquals(Set.of("svc"), e.allowedSystemUsers);
        assertTrue(e.allowRootJobs);

        ExecutorConfig d = new CranedConfig().executorConfig(0);
        assertEquals(1000, d.minJobUid);
        assertEquals(Set.of("root", "nobody"), d.deniedJobUsers);
        assertFalse(d.allowRootJobs);

        Files.writeString(f, "MinJobUid=-5\n");
        try {
            CranedConfig.load(f);
            fail();
        } catch (IllegalArgumentException x) {
            assertTrue(x.getMessage(), x.getMessage().contains(":1: MinJobUid must not be negative"));
        }
        Files.delete(f);
        Files.delete(dir);
    }

    @Test
    public void shippedExampleKeepsTheDefaults() throws Exception {
        CranedConfig c = CranedConfig.load(Path.of("src/main/dist/etc/craned.conf"));
        assertEquals(1000, c.minJobUid);
        assertEquals(Set.of("root", "nobody"), c.deniedJobUsers);
        assertFalse(c.allowRootJobs);
    }
}
