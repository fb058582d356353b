package org.scow.scheduler.slurm;

import java.time.Duration;
import java.util.Map;

import org.scow.api.scheduler.SchedulerDriver;
import org.scow.api.scheduler.contract.ContractFixture;
import org.scow.api.scheduler.contract.SchedulerDriverContract;

/** The shared adapter contract against the real Slurm of {@link SlurmTestCluster}. */
public class SlurmDriverContractIT extends SchedulerDriverContract {
    private static final ContractFixture FIXTURE = new ContractFixture("slurm", SlurmTestCluster.USER_A,
            SlurmTestCluster.USER_B, SlurmTestCluster.PARTITION, SlurmTestCluster.WORK_DIR,
            ContractFixture.uniquePrefix("ct"), Duration.ofMinutes(2));

    @Override
    protected SchedulerDriver createDriver() throws Exception {
        SlurmTestCluster.requireSlurm();
        return SlurmTestCluster.driver(Map.of());
    }

    @Override
    protected ContractFixture fixture() {
        return FIXTURE;
    }
}
