package org.scow.federation.internal;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.scow.federation.Peer;

/**
 * One peer, from a factory configuration {@code etc/org.scow.federation.peer-<name>.cfg} with {@code id}, {@code name},
 * {@code url} and {@code publicKey}. A bad entry fails to activate and the log names the field; the peer then does
 * not exist, so its calls are refused.
 */
@Component(service = PeerConfig.class, configurationPid = "org.scow.federation.peer",
        configurationPolicy = ConfigurationPolicy.REQUIRE)
public class PeerConfig {
    /** Configuration of one peer. */
    public @interface Config {
        String id();

        String name() default "";

        String url();

        String publicKey();
    }

    private final Peer peer;

    @Activate
    public PeerConfig(Config config) {
        try {
            this.peer = new Peer(config.id(), config.name(), config.url(), config.publicKey());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("org.scow.federation.peer " + e.getMessage(), e);
        }
    }

    public Peer peer() {
        return peer;
    }
}
