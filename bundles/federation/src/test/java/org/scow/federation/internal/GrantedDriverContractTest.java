package org.scow.federation.internal;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.scow.api.scheduler.ClusterConfig;
import org.scow.api.scheduler.SchedulerDriver;
import org.scow.api.scheduler.contract.ContractFixture;
import org.scow.api.scheduler.contract.SchedulerDriverContract;
import org.scow.federation.Grant;
import org.scow.itest.driver.TestDriverFactory;

/**
 * The whole driver contract through a peer's grant: peer accounts {@code ct*} run as local {@code fa-ct*}, peer users
 * alice and bob as local fa-alice and fa-bob. Proves the grant view keeps every SPI promise in the peer's names.
 */
public class GrantedDriverContractTest extends SchedulerDriverContract {
    private static final ContractFixture FIXTURE = new ContractFixture(TestDriverFactory.TYPE, "alice", "bob",
            "debug", "/tmp", ContractFixture.uniquePrefix("ct"), Duration.ofSeconds(10));

    static final Grant GRANT = new Grant(1L, "center-a", "*", "ct*", "fa-ct*",
            Map.of("alice", "fa-alice", "bob", "fa-bob"), new BigDecimal("100.00"), false, null, null);

    @Override
    protected SchedulerDriver createDriver() throws Exception {
        SchedulerDriver local = new TestDriverFactory().create(new ClusterConfig("b1", "B1", TestDriverFactory.TYPE,
                Map.of("partitions", "debug,long")));
        return new GrantedDriver(local, List.of(GRANT), u -> Optional.empty());
    }

    @Override
    protected ContractFixture fixture() {
        return FIXTURE;
    }
}
