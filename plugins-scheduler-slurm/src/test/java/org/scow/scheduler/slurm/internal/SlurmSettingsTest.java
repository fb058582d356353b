package org.scow.scheduler.slurm.internal;

import static org.junit.Assert.assertEquals;
import static org.scow.scheduler.slurm.internal.AccountsTest.expect;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import org.junit.Test;
import org.scow.api.scheduler.ClusterConfig;
import org.scow.api.scheduler.ErrorCode;

public class SlurmSettingsTest {
    private static ClusterConfig config(Map<String, String> settings) {
        return new ClusterConfig("hpc", "HPC", "slurm", settings);
    }

    @Test
    public void defaults() throws Exception {
        SlurmSettings s = SlurmSettings.from(config(Map.of()));
        assertEquals(Path.of("/usr/bin"), s.binDir());
        assertEquals(Path.of("/usr/sbin/runuser"), s.runuser());
        assertEquals(Optional.empty(), s.cluster());
        assertEquals(Duration.ofSeconds(30), s.timeout());
        assertEquals(Duration.ofSeconds(120), s.queryTimeout());
        assertEquals(1000, s.minSubmitUid());
        assertEquals(java.util.Set.of("root", "nobody"), s.deniedUsers());
        assertEquals(false, s.allowRootJobs());
        assertEquals("/usr/bin/sbatch", s.tool("sbatch"));
    }

    @Test
    public void everySetting() throws Exception {
        SlurmSettings s = SlurmSettings.from(config(Map.of("mode", "local", "binDir", "/opt/slurm/bin",
                "runuser", "/sbin/runuser", "getent", "/bin/getent", "cluster", "hpc1",
                "slurmConf", "/etc/slurm/hpc1.conf", "timeoutSeconds", "5", "queryTimeoutSeconds", "60",
                "minSubmitUid", "500")));
        assertEquals(Path.of("/opt/slurm/bin"), s.binDir());
        assertEquals(Optional.of("hpc1"), s.cluster());
        assertEquals(Optional.of("/etc/slurm/hpc1.conf"), s.slurmConf());
        assertEquals(Duration.ofSeconds(5), s.timeout());
        assertEquals(500, s.minSubmitUid());
        s = SlurmSettings.from(config(Map.of("deniedUsers", "root, games", "allowRootJobs", "true")));
        assertEquals(java.util.Set.of("games"), s.deniedUsers()); // allowRootJobs takes root off the list
        assertEquals(true, s.allowRootJobs());
    }

    @Test
    public void badSettingsNameTheKey() throws Exception {
        var e = expect(ErrorCode.INVALID_ARGUMENT, () -> SlurmSettings.from(config(Map.of("mode", "ssh"))));
        assertEquals("driver.mode", e.details().get("field"));
        expect(ErrorCode.INVALID_ARGUMENT, () -> SlurmSettings.from(config(Map.of("binDir", "bin"))));
        expect(ErrorCode.INVALID_ARGUMENT, () -> SlurmSettings.from(config(Map.of("timeoutSeconds", "0"))));
        expect(ErrorCode.INVALID_ARGUMENT, () -> SlurmSettings.from(config(Map.of("timeoutSeconds", "soon"))));
        expect(ErrorCode.INVALID_ARGUMENT, () -> SlurmSettings.from(config(Map.of("cluster", "a b"))));
        e = expect(ErrorCode.INVALID_ARGUMENT, () -> SlurmSettings.from(config(Map.of("allowRootJobs", "yes"))));
        assertEquals("driver.allowRootJobs", e.details().get("field"));
        assertEquals(java.util.Set.of(), SlurmSettings.from(config(Map.of("deniedUsers", "none"))).deniedUsers());
    }
}
