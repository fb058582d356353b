package org.scow.federation.internal;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.scow.federation.Peer;

/**
 * One peer, from a factory configuration {@code etc/org.scow.federation.peer-<name>.cfg} with {@code id}, {@code name},
 * {@code url} and {@code publicKey}. A bad entry fails to activate and the log names the field; the peer then does
 * not exist, so its calls are refused.
 */
@Component(service = PeerConfig.class, configurationPid = "org.scow.federation.peer",
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = PeerConfig.Config.class, factory = true)
public class PeerConfig {
    /** Configuration of one peer: {@code etc/org.scow.federation.peer-<id>.cfg}. */
    @ObjectClassDefinition(name = "SCOW federation: a peer center",
            description = "A center this one trusts; the peer configures this center the same way")
    public @interface Config {
        @AttributeDefinition(description = "The peer's center id (its centerId)")
        String id();

        @AttributeDefinition(description = "The peer's name as shown here")
        String name() default "";

        @AttributeDefinition(description = "Base URL of the peer's REST API")
        String url();

        @AttributeDefinition(description = "The peer's Ed25519 public key (Base64 X.509, from scow:center on the peer)")
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
