package org.scow.crane.embedded;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Config Admin pid {@code org.scow.crane.ctld} ({@code etc/org.scow.crane.ctld.cfg}); every value has a default. */
@ObjectClassDefinition(name = "Crane controller (embedded single-machine cluster)",
        description = "cranectld with a local executor inside the platform")
public @interface ControllerConfig {
    @AttributeDefinition(description = "WAL, snapshots, key, spool and platform.cred; empty: ${karaf.data}/crane")
    String stateDir() default "";

    @AttributeDefinition(description = "Address of the gRPC port. Credentials are bearer tokens: anything but loopback needs tlsCertFile/tlsKeyFile")
    String bindAddress() default "127.0.0.1";

    @AttributeDefinition(description = "PEM certificate chain of the gRPC port; with tlsKeyFile, the port speaks TLS (empty: plaintext)")
    String tlsCertFile() default "";

    @AttributeDefinition(description = "PKCS#8 PEM private key of tlsCertFile")
    String tlsKeyFile() default "";

    @AttributeDefinition(description = "gRPC port (the cluster config's driver.port)")
    int port() default 10011;

    @AttributeDefinition(description = "Name of this machine's node; empty: the host name")
    String nodeName() default "";

    @AttributeDefinition(description = "CPUs offered to jobs; 0: all processors of the machine")
    int cpus() default 0;

    @AttributeDefinition(description = "Memory offered to jobs, e.g. 16G; empty: the machine's total memory")
    String memory() default "";

    @AttributeDefinition(description = "GPUs offered to jobs (GRES gpu:a100:N); -1: count them with nvidia-smi (0 when absent)")
    int gpus() default -1;

    @AttributeDefinition(description = "The one partition, holding the node")
    String partition() default "debug";

    @AttributeDefinition(description = "Run jobs as their Unix users (needs root); false: single-user mode, only jobs of the platform's own user run")
    boolean runJobsAsUser() default true;

    @AttributeDefinition(description = "auto (use cgroups v1 when writable), off, or required")
    String cgroups() default "auto";

    @AttributeDefinition(description = "Seconds between SIGTERM and SIGKILL on cancel and time limit")
    int killWaitSeconds() default 10;

    @AttributeDefinition(description = "Also set SLURM_* aliases of the CRANE_* job variables")
    boolean slurmCompatibleEnv() default false;

    @AttributeDefinition(description = "Jobs of users with a uid below this are refused (system accounts); uid 0 always is, unless allowRootJobs")
    int minJobUid() default 1000;

    @AttributeDefinition(description = "Comma-separated user names that never run jobs, whatever their uid")
    String deniedJobUsers() default "root,nobody";

    @AttributeDefinition(description = "Comma-separated user names exempt from minJobUid (never from the uid-0 rule)")
    String allowedSystemUsers() default "";

    @AttributeDefinition(description = "Let uid 0 (root) run jobs: single-user test machines only")
    boolean allowRootJobs() default false;

    @AttributeDefinition(description = "Unix socket of the local credential service: every local user gets a short-lived"
            + " credential for the uid the kernel reports (the commands ask it); empty: ${stateDir}/auth.sock, 'off': none")
    String credentialSocket() default "";

    @AttributeDefinition(description = "Lifetime of the credentials the credential service issues (Slurm notation, e.g. 1:00:00)")
    String credentialTtl() default "1:00:00";

    @AttributeDefinition(description = "Account (created when missing) that a user with none joins when the credential"
            + " service first gives them a credential, so Unix users can submit with no administrator step; empty: none")
    String userAccount() default "users";

    @AttributeDefinition(description = "Controller user the platform acts as (must be a controller admin)")
    String platformPrincipal() default "root";
}
