package org.scow.crane.cli;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.Test;
import org.scow.crane.ctld.CtldConfig;
import org.scow.crane.craned.CranedConfig;

/**
 * The example configurations of the distribution (cranectld.conf, craned.conf, crane.conf) parse, agree on the
 * controller's port, and do not collide with the ports of the platform's own Karaf distribution (its embedded
 * controller and its web port), so both can run on one machine. Paths are relative to this module's directory.
 */
public class ExampleConfigTest {
    private static final Path DIST = Path.of("../crane-dist/src/main/dist/etc");
    private static final Path NODE_DIST = Path.of("../crane-craned/src/main/dist/etc");
    private static final Path KARAF_ETC = Path.of("../../karaf-distribution/src/main/resources/etc");

    /** {@code key = value} of a Karaf .cfg file. */
    private static String cfgValue(Path file, String key) throws IOException {
        for (String line : Files.readAllLines(file)) {
            String l = line.strip();
            if (l.startsWith("#") || !l.contains("=")) continue;
            String k = l.substring(0, l.indexOf('=')).strip();
            if (k.equals(key)) return l.substring(l.indexOf('=') + 1).strip();
        }
        return null;
    }

    @Test
    public void examplesAgreeAndLeaveThePlatformPortsFree() throws Exception {
        CtldConfig ctld = CtldConfig.load(DIST.resolve("cranectld.conf"));
        ctld.buildCluster();
        CranedConfig craned = CranedConfig.load(NODE_DIST.resolve("craned.conf"));
        PrintStream nowhere = new PrintStream(java.io.OutputStream.nullOutputStream());
        ClientConfig client = ClientConfig.resolve(new Io(nowhere, nowhere, null, Map.of(), Path.of("")),
                DIST.resolve("crane.conf").toString());

        assertEquals("craned.conf's ControllerPort", ctld.listenPort, craned.controllerPort);
        assertEquals("crane.conf's ControllerAddress", ctld.listenPort, client.port());

        String embedded = cfgValue(KARAF_ETC.resolve("org.scow.crane.ctld.cfg"), "port");
        String web = cfgValue(KARAF_ETC.resolve("org.ops4j.pax.web.cfg"), "org.osgi.service.http.port");
        assertNotNull(embedded);
        assertNotNull(web);
        Set<Integer> platform = Set.of(Integer.parseInt(embedded), Integer.parseInt(web));
        assertFalse("the example cranectld port " + ctld.listenPort + " is one of the platform's " + platform,
                platform.contains(ctld.listenPort));
        // the pid and log directories are keys of the files, not only environment variables
        assertEquals(Path.of("/var/run/crane"), ctld.runDir);
        assertEquals(Path.of("/var/log/crane"), ctld.logDir);
        assertEquals("/var/run/crane", craned.runDir);
        assertEquals("/var/log/crane", craned.logDir);
    }
}
