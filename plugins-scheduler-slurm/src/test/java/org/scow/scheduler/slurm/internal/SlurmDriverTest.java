package org.scow.scheduler.slurm.internal;

import static org.junit.Assert.assertEquals;
import static org.scow.scheduler.slurm.internal.AccountsTest.expect;

import java.util.EnumSet;
import java.util.Map;

import org.junit.Test;
import org.scow.api.scheduler.ClusterConfig;
import org.scow.api.scheduler.DriverFeature;
import org.scow.api.scheduler.DriverInfo;
import org.scow.api.scheduler.ErrorCode;

public class SlurmDriverTest {

    private static SlurmDriver driver(FakeRunner runner) throws Exception {
        return new SlurmDriver(SlurmSettings.from(new ClusterConfig("t", "T", "slurm", Map.of())), runner);
    }

    @Test
    public void infoCarriesTheVersionOfTheInstalledCommands() throws Exception {
        SlurmDriver d = driver(new FakeRunner().on("sinfo -V", "slurm-wlm 22.05.8\n"));
        assertEquals(new DriverInfo("slurm", "Slurm 22.05.8", new DriverInfo.Version(0, 1, 0),
                EnumSet.allOf(DriverFeature.class)), d.info());
        assertEquals("Slurm 23.02.1", SlurmDriver.schedulerName("slurm 23.02.1"));
        assertEquals("Slurm (version unknown)", SlurmDriver.schedulerName("garbage"));
    }

    @Test
    public void aClosedDriverIsUnavailable() throws Exception {
        SlurmDriver d = driver(new FakeRunner().on("sinfo -V", "slurm 22.05.8\n"));
        d.close();
        d.close();
        expect(ErrorCode.UNAVAILABLE, d::partitions);
    }
}
