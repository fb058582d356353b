package org.scow.scheduler.slurm.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.scow.scheduler.slurm.internal.AccountsTest.expect;

import java.util.Map;

import org.junit.Test;
import org.scow.api.scheduler.ClusterConfig;
import org.scow.api.scheduler.ErrorCode;
import org.scow.api.scheduler.JobSpec;

/**
 * "System accounts never run jobs" with this machine's real password database (real getent, no shell, no Slurm):
 * root (uid 0) and daemon (uid 1) are refused before sbatch would run — binDir points nowhere, so reaching sbatch
 * would fail differently.
 */
public class SystemUsersTest {

    private static Jobs jobs() throws Exception {
        SlurmCli cli = new SlurmCli(SlurmSettings.from(new ClusterConfig("t", "T", "slurm",
                Map.of("cluster", "local", "binDir", "/nonexistent-slurm-bin"))), new ProcessCommandRunner());
        return new Jobs(cli, new JobReader(cli));
    }

    @Test
    public void rootAndDaemonAreRefusedBeforeSbatch() throws Exception {
        Jobs jobs = jobs();
        var e = expect(ErrorCode.PERMISSION_DENIED, () -> jobs.submit(new JobSpec("root", "x", "phys", "debug", null,
                1, 1, 0, null, 10L, "true", "/tmp", null, null, null)));
        assertTrue(e.getMessage(), e.getMessage().startsWith("user 'root' is a system account"));
        e = expect(ErrorCode.PERMISSION_DENIED, () -> jobs.submitScript("daemon", "#!/bin/sh\ntrue\n", "/tmp"));
        assertEquals("user 'daemon' is a system account (uid 1, below driver.minSubmitUid 1000): jobs may not run as "
                + "system accounts; submit as an ordinary user", e.getMessage());
        assertEquals("daemon", e.details().get("user"));
    }
}
