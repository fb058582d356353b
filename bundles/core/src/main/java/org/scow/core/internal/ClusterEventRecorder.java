package org.scow.core.internal;

import java.time.Instant;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;
import org.scow.api.cluster.ClusterEvents;
import org.scow.persistence.ClusterEventLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Keeps a durable history of every platform event that names a cluster. */
@Component(property = EventConstants.EVENT_TOPIC + "=" + ClusterEvents.ALL)
public class ClusterEventRecorder implements EventHandler {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterEventRecorder.class);

    @Reference
    private ClusterEventLog log;

    @Override
    public void handleEvent(Event event) {
        Object cluster = event.getProperty(ClusterEvents.CLUSTER);
        if (cluster == null) {
            return;
        }
        StringBuilder detail = new StringBuilder();
        for (String name : event.getPropertyNames()) {
            if (!name.equals(ClusterEvents.CLUSTER) && !name.equals(EventConstants.EVENT_TOPIC)) {
                detail.append(detail.length() == 0 ? "" : ", ").append(name).append('=')
                        .append(event.getProperty(name));
            }
        }
        try {
            log.append(cluster.toString(), event.getTopic(), detail.length() == 0 ? null : detail.toString(),
                    Instant.now());
        } catch (RuntimeException e) {
            LOG.warn("Could not record event {} of cluster {}", event.getTopic(), cluster, e);
        }
    }
}
