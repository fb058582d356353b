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

    @AttributeDefinition(description = "The platform's private login node on this machine: when the platform runs as "
            + "root and the cluster localLoginNodeCluster has no loginNodes, it starts OpenSSH's sshd (sshdPath) on "
            + "127.0.0.1:localLoginNodePort with a generated configuration under ${karaf.data}/scow/sshd, accepting "
            + "only the platform key (and, with unixSignIn, Unix passwords through PAM) and refusing root and system "
            + "accounts, and serves it as that cluster's login node. auto | off")
    String localLoginNode() default "auto";

    @AttributeDefinition(description = "The cluster the private login node serves")
    String localLoginNodeCluster() default "local";

    @AttributeDefinition(description = "The private login node's port on 127.0.0.1")
    int localLoginNodePort() default 8022;

    @AttributeDefinition(description = "OpenSSH server binary for the private login node (Debian: openssh-server)")
    String sshdPath() default "/usr/sbin/sshd";

    @AttributeDefinition(description = "Users below this uid (system accounts), root and nobody never get a session on "
            + "the private login node and cannot sign in with their Unix password")
    long minUid() default 1000;

    @AttributeDefinition(description = "While the private login node runs, Unix users of this machine may sign in to "
            + "the platform with their Unix password (auth backend 'unix', listed in backendOrder of org.scow.auth)")
    boolean unixSignIn() default true;
}
