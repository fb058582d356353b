package org.scow.federation.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.scow.federation.Peer;
import org.scow.federation.PeerDirectory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The configured peers and their reachability. Every {@code probeIntervalSeconds} (PID {@code org.scow.federation})
 * it asks each peer's public center endpoint for its id and key: a peer is reachable when it answers in time and
 * the answer matches what is configured here, so a wrong URL or a re-keyed peer shows up as unreachable.
 */
@Component(service = PeerDirectory.class, configurationPid = "org.scow.federation", immediate = true)
public class PeerDirectoryComponent implements PeerDirectory {
    private static final Logger LOG = LoggerFactory.getLogger(PeerDirectoryComponent.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Configuration read from PID {@code org.scow.federation}. */
    public @interface Config {
        long probeIntervalSeconds() default 30;

        long probeTimeoutSeconds() default 5;
    }

    private final List<PeerConfig> configs = new CopyOnWriteArrayList<>();
    private final Map<String, Reachability> reachability = new ConcurrentHashMap<>();
    private final Clock clock = Clock.systemUTC();
    private ScheduledExecutorService probes;
    private HttpClient http;
    private Duration timeout;

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addPeer(PeerConfig peer) {
        configs.add(peer);
        ScheduledExecutorService p = probes;
        if (p != null) {
            p.execute(() -> probe(peer.peer()));
        }
    }

    void removePeer(PeerConfig peer) {
        configs.remove(peer);
        reachability.remove(peer.peer().id());
    }

    @Activate
    void activate(Config config) {
        timeout = Duration.ofSeconds(Math.max(1, config.probeTimeoutSeconds()));
        http = HttpClient.newBuilder().connectTimeout(timeout).build();
        probes = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "scow-federation-probe");
            t.setDaemon(true);
            return t;
        });
        long every = Math.max(1, config.probeIntervalSeconds());
        probes.scheduleWithFixedDelay(this::probeAll, 0, every, TimeUnit.SECONDS);
    }

    @Deactivate
    void deactivate() {
        probes.shutdownNow();
    }

    @Override
    public Optional<Peer> peer(String id) {
        return configs.stream().map(PeerConfig::peer).filter(p -> p.id().equals(id)).findFirst();
    }

    @Override
    public List<Peer> peers() {
        return configs.stream().map(PeerConfig::peer).sorted(Comparator.comparing(Peer::id)).toList();
    }

    @Override
    public Reachability reachability(String id) {
        return reachability.get(id);
    }

    private void probeAll() {
        for (Peer p : peers()) {
            probe(p);
        }
    }

    private void probe(Peer peer) {
        String problem = null;
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(peer.url()
                    + "/api/v1/federation/center")).timeout(timeout).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                problem = "the center endpoint answered HTTP " + r.statusCode();
            } else {
                JsonNode center = JSON.readTree(r.body());
                if (!peer.id().equals(center.path("id").asText())) {
                    problem = "the peer says its id is '" + center.path("id").asText() + "'";
                } else if (!peer.publicKey().trim().equals(center.path("publicKey").asText())) {
                    problem = "the peer's public key differs from the configured one";
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (Exception e) {
            problem = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        }
        Reachability before = reachability.put(peer.id(), new Reachability(problem == null, clock.instant(), problem));
        if (before == null || before.reachable() != (problem == null)) {
            LOG.info("Peer {} is {}", peer.id(), problem == null ? "reachable" : "unreachable: " + problem);
        }
    }
}
