package org.scow.itests.federation;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import org.junit.Test;

/**
 * The remote-center driver is hot-swapped like the other scheduler drivers: uninstalling its feature on center A
 * takes A's cluster {@code fedb} (B's b1) offline, with 503 for its jobs, while A's own cluster and the rest of the
 * API keep answering; installing it again brings {@code fedb} back, and calls through it reach B again. Run last by
 * {@link FederationSuiteIT} (the other classes use {@code fedb}).
 */
public class RemoteDriverHotSwap {
    private static final String FEATURE = "scow-scheduler-remote";

    private static boolean online(String cluster) throws Exception {
        return FederationSuiteIT.apiA.get("/api/v1/clusters/" + cluster).json().path("online").asBoolean();
    }

    @Test
    public void uninstallingTheFeatureTakesTheRemoteClusterOfflineAndInstallingBringsItBack() throws Exception {
        Api a = FederationSuiteIT.apiA;
        Duration wait = Duration.ofMinutes(2);
        Api.await("fedb online before the swap", wait, () -> online("fedb"));

        FederationSuiteIT.a.console("feature:uninstall " + FEATURE);
        Api.await("fedb offline once the remote driver is gone", wait, () -> !online("fedb"));
        assertEquals("jobs of an offline cluster", 503, a.get("/api/v1/clusters/fedb/jobs").status());
        assertTrue("A's own cluster is not touched", online("a1"));
        assertEquals(200, a.get("/api/v1/clusters/a1/partitions").status());

        FederationSuiteIT.a.console("feature:install " + FEATURE);
        Api.await("fedb online again with the driver back", wait, () -> online("fedb"));
        // a call through the new driver instance reaches B: B's partitions, as B lists them
        Api.Reply partitions = a.get("/api/v1/clusters/fedb/partitions");
        assertEquals(partitions.body(), 200, partitions.status());
        assertEquals(FederationSuiteIT.apiB.get("/api/v1/clusters/b1/partitions").json().path(0).path("name"),
                partitions.json().path(0).path("name"));
    }
}
