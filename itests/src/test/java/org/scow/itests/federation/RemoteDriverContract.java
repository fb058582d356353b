package org.scow.itests.federation;

import java.security.Signature;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import org.scow.api.scheduler.ClusterConfig;
import org.scow.api.scheduler.SchedulerDriver;
import org.scow.api.scheduler.contract.ContractFixture;
import org.scow.api.scheduler.contract.SchedulerDriverContract;
import org.scow.federation.Peer;
import org.scow.federation.client.PeerClient;
import org.scow.scheduler.remote.internal.RemoteDriver;
import org.scow.scheduler.remote.internal.RemoteSettings;

/**
 * The shared driver contract against the remote driver as center A runs it (A's id and key), driving center B's
 * real platform: every call crosses HTTP, B's signature check, B's grant and B's in-memory cluster. Run by
 * {@link FederationSuiteIT}.
 */
public class RemoteDriverContract extends SchedulerDriverContract {
    private static final ContractFixture FIXTURE = new ContractFixture("remote", "alice", "bob", "debug", "/tmp",
            ContractFixture.uniquePrefix("ct"), Duration.ofSeconds(20));

    /** The remote driver signing as center A, talking to center B. */
    static SchedulerDriver driverOfA() throws Exception {
        CenterProcess a = FederationSuiteIT.a;
        CenterProcess b = FederationSuiteIT.b;
        Peer peerB = new Peer(b.id, "B", b.url(), b.publicKey());
        PeerClient client = new PeerClient(a.id, data -> {
            try {
                Signature s = Signature.getInstance("Ed25519");
                s.initSign(a.keys.getPrivate());
                s.update(data);
                return Base64.getEncoder().encodeToString(s.sign());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, id -> id.equals(b.id) ? Optional.of(peerB) : Optional.empty(), e -> { }, Duration.ofSeconds(30));
        return new RemoteDriver(RemoteSettings.from(new ClusterConfig("fedb", "B1", "remote",
                Map.of("peer", "b", "cluster", "b1"))), client);
    }

    @Override
    protected SchedulerDriver createDriver() throws Exception {
        return driverOfA();
    }

    @Override
    protected ContractFixture fixture() {
        return FIXTURE;
    }
}
