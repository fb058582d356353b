package __package__.scheduler;

import java.time.Duration;
import java.util.Map;
import org.scow.api.scheduler.ClusterConfig;
import org.scow.api.scheduler.SchedulerDriver;
import org.scow.api.scheduler.contract.ContractFixture;
import org.scow.api.scheduler.contract.SchedulerDriverContract;

/**
 * The platform's shared driver contract against a real __Name__ cluster: {@code mvn verify -Pcontract}. Adjust the
 * fixture (two users that may run jobs, a partition, a directory both can write) and the settings to your cluster.
 */
public class __Name__DriverContractIT extends SchedulerDriverContract {
    private static final ContractFixture FIXTURE = new ContractFixture(__Name__DriverFactory.TYPE, "alice", "bob",
            "compute", "/tmp", ContractFixture.uniquePrefix("ct"), Duration.ofMinutes(2));

    @Override
    protected SchedulerDriver createDriver() throws Exception {
        return new __Name__DriverFactory().create(new ClusterConfig("contract", "Contract test",
                __Name__DriverFactory.TYPE, Map.of()));
    }

    @Override
    protected ContractFixture fixture() {
        return FIXTURE;
    }
}
