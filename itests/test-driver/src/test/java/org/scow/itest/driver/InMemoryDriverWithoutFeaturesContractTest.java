package org.scow.itest.driver;

import java.util.Map;

/**
 * The adapter contract against the in-memory driver declaring no optional feature and a single partition: the
 * feature-dependent tests must skip, undeclared operations must answer NOT_SUPPORTED.
 */
public class InMemoryDriverWithoutFeaturesContractTest extends InMemoryDriverContractTest {
    @Override
    protected Map<String, String> settings() {
        return Map.of("partitions", "debug", "nodes", "2", "cpusPerNode", "4", "gpusPerNode", "1",
                "downNodes", "0", "features", "none");
    }
}
