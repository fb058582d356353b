package org.scow.scheduler.remote;

import java.time.Duration;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.scow.api.scheduler.ClusterConfig;
import org.scow.api.scheduler.SchedulerDriver;
import org.scow.api.scheduler.SchedulerDriverFactory;
import org.scow.api.scheduler.SchedulerException;
import org.scow.federation.CenterIdentity;
import org.scow.federation.FederationAudit;
import org.scow.federation.PeerDirectory;
import org.scow.federation.client.PeerClient;
import org.scow.scheduler.remote.internal.RemoteDriver;
import org.scow.scheduler.remote.internal.RemoteSettings;

/**
 * The {@code remote} driver type: a cluster of a peer center ({@code driver.peer}, {@code driver.cluster}). The peer
 * is looked up at every call, so a peer configured later, re-keyed or moved is picked up without re-creating the
 * cluster; an unknown peer fails calls with UNAVAILABLE.
 */
@Component(service = SchedulerDriverFactory.class,
        property = SchedulerDriverFactory.DRIVER_TYPE + "=" + RemoteDriver.TYPE)
public class RemoteDriverFactory implements SchedulerDriverFactory {
    @Reference
    private CenterIdentity center;

    @Reference
    private PeerDirectory peers;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile FederationAudit audit;

    @Override
    public SchedulerDriver create(ClusterConfig config) throws SchedulerException {
        RemoteSettings settings = RemoteSettings.from(config);
        PeerClient client = new PeerClient(center.id(), center::sign, peers::peer, e -> {
            FederationAudit a = audit;
            if (a != null) {
                a.record(e);
            }
        }, Duration.ofSeconds(settings.timeoutSeconds()));
        return new RemoteDriver(settings, client);
    }
}
