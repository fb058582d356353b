package org.scow.federation.internal;

import java.nio.file.Path;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.Designate;
import org.scow.api.scheduler.util.Names;
import org.scow.federation.CenterIdentity;

/**
 * This center's identity from PID {@code org.scow.federation} and its key file (default
 * {@code ${karaf.data}/federation/center-ed25519.key}, created on first start).
 */
@Component(service = CenterIdentity.class, configurationPid = "org.scow.federation", immediate = true)
@Designate(ocd = FederationConfig.class)
public class CenterIdentityComponent implements CenterIdentity {
    /** Configuration of PID {@code org.scow.federation}. */
    public @interface Config {
        /** Federation-wide id of this center (a scheduler-safe name). */
        String centerId() default "center";

        String centerName() default "SCOW center";

        /** Base URL peers use to reach this center's REST API. */
        String url() default "";

        /** Key file; relative paths are under the Karaf data directory. */
        String keyFile() default "federation/center-ed25519.key";
    }

    private final String id;
    private final String name;
    private final String url;
    private final CenterKeys keys;

    @Activate
    public CenterIdentityComponent(Config config) throws Exception {
        if (!Names.isValid(config.centerId())) {
            throw new IllegalArgumentException("org.scow.federation centerId: " + Names.RULE);
        }
        this.id = config.centerId();
        this.name = config.centerName();
        this.url = config.url();
        Path file = Path.of(config.keyFile());
        if (!file.isAbsolute()) {
            file = Path.of(System.getProperty("karaf.data", "data")).resolve(file);
        }
        this.keys = CenterKeys.loadOrCreate(file);
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String url() {
        return url;
    }

    @Override
    public String publicKey() {
        return keys.publicKeyBase64();
    }

    @Override
    public String sign(byte[] data) {
        return keys.sign(data);
    }
}
