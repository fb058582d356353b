package org.scow.itest.driver;

import java.time.Duration;
import java.util.Map;

import org.scow.api.scheduler.ClusterConfig;
import org.scow.api.scheduler.SchedulerDriver;
import org.scow.api.scheduler.contract.ContractFixture;
import org.scow.api.scheduler.contract.SchedulerDriverContract;

/** The adapter contract against the in-memory driver with every optional feature: proves the suite consistent. */
public class InMemoryDriverContractTest extends SchedulerDriverContract {
    private static final ContractFixture FIXTURE = new ContractFixture(TestDriverFactory.TYPE, "alice", "bob",
            "debug", "/tmp", ContractFixture.uniquePrefix("ct"), Duration.ofSeconds(10));

    /** Driver settings; subclasses change them. */
    protected Map<String, String> settings() {
        return Map.of("partitions", "debug,long", "nodes", "4", "cpusPerNode", "8", "memoryMbPerNode", "16000");
    }

    @Override
    protected SchedulerDriver createDriver() throws Exception {
        return new TestDriverFactory().create(new ClusterConfig("contract", "Contract", TestDriverFactory.TYPE,
                settings()));
    }

    @Override
    protected ContractFixture fixture() {
        return FIXTURE;
    }
}
