package org.scow.loginnode.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration PID {@code org.scow.loginnode} ({@code etc/org.scow.loginnode.cfg}). */
@ObjectClassDefinition(name = "SCOW login nodes", description = "SSH access to login nodes as the user")
public @interface LoginNodeConfig {
    @AttributeDefinition(description = "Platform private key (OpenSSH format); generated (ed25519, mode 0600) when "
            + "missing. Empty: ${karaf.data}/scow/ssh/platform_ed25519")
    String privateKey() default "";

    @AttributeDefinition(description = "Host keys of login nodes: accept-new (trust on first use, remember in "
            + "knownHosts, refuse changed keys), strict (only keys already in knownHosts) or accept-all (tests only)")
    String hostKeyPolicy() default "accept-new";

    @AttributeDefinition(description = "known_hosts file. Empty: ${karaf.data}/scow/ssh/known_hosts")
    String knownHosts() default "";

    @AttributeDefinition(description = "Seconds to wait for a login node to answer")
    int connectTimeoutSeconds() default 10;

    @AttributeDefinition(description = "Seconds to wait for authentication")
    int authTimeoutSeconds() default 15;

    @AttributeDefinition(description = "Seconds after which an unused pooled session is closed")
    int idleCloseSeconds() default 300;

    @AttributeDefinition(description = "Key installer: an admin user (usually root) that the platform key may log in "
            + "as; when a user's login is refused, the platform appends its public key to that user's "
            + "~/.ssh/authorized_keys over SFTP as this user. Empty: off")
    String keyInstallerUser() default "";
}
