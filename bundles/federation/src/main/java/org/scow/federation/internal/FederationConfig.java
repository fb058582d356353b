package org.scow.federation.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The whole of PID {@code org.scow.federation} ({@code etc/org.scow.federation.cfg}) as one typed description for
 * the metatype service (Karaf's {@code config:} commands, the web console). Each component reads only its own keys
 * through its own {@code Config}; the defaults here are theirs.
 */
@ObjectClassDefinition(name = "SCOW federation: this center",
        description = "This center's identity in the federation, and how often peers are probed and settled")
public @interface FederationConfig {
    @AttributeDefinition(description = "Federation-wide id of this center (letters, digits, . _ -)")
    String centerId() default "center";

    @AttributeDefinition(description = "The center's name as peers show it")
    String centerName() default "SCOW center";

    @AttributeDefinition(description = "Base URL peers use to reach this center's REST API")
    String url() default "";

    @AttributeDefinition(description = "Ed25519 key file; relative paths are under the Karaf data directory "
            + "(created on first start)")
    String keyFile() default "federation/center-ed25519.key";

    @AttributeDefinition(description = "Seconds between reachability probes of each peer")
    long probeIntervalSeconds() default 30;

    @AttributeDefinition(description = "Seconds a probe may take")
    long probeTimeoutSeconds() default 5;

    @AttributeDefinition(description = "How far a peer's clock may be from ours, in seconds (nonces are "
            + "remembered twice as long)")
    long clockSkewSeconds() default 300;

    @AttributeDefinition(description = "Seconds between settlement passes (charges of peers' jobs, mirrors of "
            + "remote charges)")
    long settleIntervalSeconds() default 60;
}
