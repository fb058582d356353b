package org.scow.crane.embedded;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.Test;
import org.scow.crane.ctld.CtldConfig;

/** The Config Admin settings become a one-node, one-partition controller with the local executor. */
public class EmbeddedControllerConfigTest {
    /** A {@link ControllerConfig} with its defaults, some overridden (what SCR would hand the component). */
    private static ControllerConfig config(Map<String, Object> overrides) {
        return (ControllerConfig) java.lang.reflect.Proxy.newProxyInstance(ControllerConfig.class.getClassLoader(),
                new Class<?>[] {ControllerConfig.class}, (proxy, m, args) -> {
                    if (m.getName().equals("annotationType")) return ControllerConfig.class;
                    return overrides.containsKey(m.getName()) ? overrides.get(m.getName()) : m.getDefaultValue();
                });
    }

    private static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new java.util.HashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
        return m;
    }

    @Test
    public void defaultsComeFromKarafDataAndTheMachine() {
        CtldConfig c = EmbeddedController.toCtldConfig(config(Map.of("gpus", 0)), "/opt/karaf/data");
        assertEquals(Path.of("/opt/karaf/data/crane"), c.stateDir);
        assertEquals("127.0.0.1", c.listenAddress);
        assertEquals(10011, c.listenPort);
        assertTrue(c.localExecutor);
        assertTrue(c.runJobsAsUser);
        assertEquals(1, c.nodeDefs.size());
        assertEquals(Runtime.getRuntime().availableProcessors(), c.nodeDefs.get(0).cpus());
        assertTrue("memory from /proc/meminfo", c.nodeDefs.get(0).memMb() > 64);
        assertEquals("debug", c.partitionDefs.get(0).name());
        assertEquals(c.nodeDefs.get(0).names(), c.partitionDefs.get(0).nodes());
        // system accounts never run jobs, in the platform's own cluster too
        assertEquals(1000, c.minJobUid);
        assertEquals(java.util.Set.of("root", "nobody"), c.deniedJobUsers);
        assertEquals(java.util.Set.of(), c.allowedSystemUsers);
        assertEquals(false, c.allowRootJobs);
        // local users get credentials from the credential service in the state directory, valid for an hour
        assertEquals(Path.of("/opt/karaf/data/crane/auth.sock"), c.credentialSocket);
        assertEquals(3600, c.credentialTtlSec);
        assertEquals("users", c.credentialDefaultAccount);
        c.buildCluster(); // a valid layout
    }

    @Test
    public void explicitSettingsWin() {
        CtldConfig c = EmbeddedController.toCtldConfig(config(map("stateDir", "/srv/crane", "port", 12000,
                "nodeName", "head", "cpus", 3, "memory", "5G", "gpus", 2, "partition", "main", "runJobsAsUser", false,
                "cgroups", "off", "killWaitSeconds", 4, "minJobUid", 500, "deniedJobUsers", "root, games",
                "allowedSystemUsers", "svc", "allowRootJobs", true)), null);
        assertEquals(500, c.minJobUid);
        assertEquals(java.util.Set.of("root", "games"), c.deniedJobUsers);
        assertEquals(java.util.Set.of("svc"), c.allowedSystemUsers);
        assertEquals(true, c.allowRootJobs);
        assertEquals(Path.of("/srv/crane"), c.stateDir);
        assertEquals(12000, c.listenPort);
        assertEquals("head", c.nodeDefs.get(0).names());
        assertEquals(3, c.nodeDefs.get(0).cpus());
        assertEquals(5120, c.nodeDefs.get(0).memMb());
        assertEquals("gpu:a100:2", c.nodeDefs.get(0).gres());
        assertEquals(2, c.nodeGpus);
        assertEquals("main", c.partitionDefs.get(0).name());
        assertEquals(false, c.runJobsAsUser);
        assertEquals("off", c.cgroups);
        assertEquals(4, c.killWaitSec);
        c = EmbeddedController.toCtldConfig(config(map("gpus", 0, "credentialSocket", "/run/crane.sock",
                "credentialTtl", "30")), "/d");
        assertEquals(Path.of("/run/crane.sock"), c.credentialSocket);
        assertEquals("Slurm notation: minutes", 1800, c.credentialTtlSec);
        c = EmbeddedController.toCtldConfig(config(map("gpus", 0, "credentialSocket", "off", "userAccount", "")), "/d");
        assertEquals(null, c.credentialSocket);
        assertEquals(null, c.credentialDefaultAccount);
        var e = assertThrows(RuntimeException.class, () -> EmbeddedController.toCtldConfig(
                config(map("gpus", 0, "credentialTtl", "soon")), "/d"));
        assertTrue(e.getMessage(), e.getMessage().contains("credentialTtl"));
    }

    @Test
    public void withoutStateDirOrKarafDataItSaysWhatIsMissing() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> EmbeddedController.toCtldConfig(config(Map.of("gpus", 0)), null));
        assertTrue(e.getMessage(), e.getMessage().contains("karaf.data"));
    }

}
