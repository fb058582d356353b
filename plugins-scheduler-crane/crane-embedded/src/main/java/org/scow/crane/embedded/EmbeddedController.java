package org.scow.crane.embedded;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.logging.Logger;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;
import org.scow.crane.ctld.Clock;
import org.scow.crane.ctld.CtldConfig;
import org.scow.crane.ctld.util.TimeSpec;
import org.scow.crane.executor.Gpus;
import org.scow.crane.protocol.Credential;
import org.scow.crane.protocol.CredentialFiles;
import org.scow.crane.server.CraneServer;

/**
 * The platform's default Crane cluster: cranectld with a local executor in the Karaf process. One node (this
 * machine), one partition; jobs run as real processes. State (WAL, snapshots, key) lives in the state directory and
 * survives restarts; jobs still running when the component stops keep running and are re-adopted when it starts.
 *
 * <p>Local users get their credentials from the credential service on {@code <stateDir>/auth.sock} (crane-server
 * {@code CredentialService}: the kernel says who connects), which the distribution's commands ask; no root step.
 *
 * <p>On activation it also writes {@code <stateDir>/platform.cred}, a proxy credential for the platform driver, so
 * the cluster configuration {@code driver.credentialFile = ${karaf.data}/crane/platform.cred} works out of the box.
 * A configuration change restarts the controller (no {@code @Modified}: every setting shapes the controller).
 */
@Component(name = "org.scow.crane.ctld", configurationPid = "org.scow.crane.ctld",
        configurationPolicy = ConfigurationPolicy.OPTIONAL, immediate = true, service = {})
@Designate(ocd = ControllerConfig.class)
public class EmbeddedController {
    private static final Logger LOG = Logger.getLogger(EmbeddedController.class.getName());
    /** The platform credential is re-issued at every start; a year covers any uptime. */
    static final Duration CREDENTIAL_TTL = Duration.ofDays(365);

    private CraneServer server;

    @Activate
    void activate(ControllerConfig c) throws IOException {
        CtldConfig cfg = toCtldConfig(c, System.getProperty("karaf.data"));
        long t0 = System.nanoTime();
        server = CraneServer.start(cfg, Clock.SYSTEM);
        Path cred = cfg.stateDir.resolve("platform.cred");
        CredentialFiles.writeCredential(cred, server.issue(Credential.Scope.PROXY, c.platformPrincipal(), CREDENTIAL_TTL), null);
        var exec = server.localLauncher().executor();
        LOG.info(String.format("cranectld (embedded) on %s:%d, state %s, recovered %d live jobs in %d ms; jobs %s, cgroups %s"
                        + ", credential service %s",
                cfg.listenAddress, server.port(), cfg.stateDir, server.controller().liveCount(),
                (System.nanoTime() - t0) / 1_000_000,
                exec.runsJobsAsTheirUsers() ? "run as their users" : "single-user mode (" + System.getProperty("user.name") + " only)",
                exec.cgroupsActive() ? "on" : "off (" + exec.cgroupsProblem() + ")",
                server.credentialSocket() == null ? "off" : server.credentialSocket()));
    }

    @Deactivate
    void deactivate() {
        if (server != null) server.close(); // flushes and closes the WAL; running jobs keep running
        server = null;
    }

    /** The controller configuration for one machine: node and partition from the settings or the machine. */
    static CtldConfig toCtldConfig(ControllerConfig c, String karafData) {
        Path state;
        if (!c.stateDir().isBlank()) {
            state = Path.of(c.stateDir());
        } else if (karafData != null) {
            state = Path.of(karafData, "crane");
        } else {
            throw new IllegalArgumentException("stateDir is not set and karaf.data is unknown");
        }
        CtldConfig cfg = new CtldConfig();
        cfg.clusterName = "local";
        cfg.stateDir = state;
        cfg.listenAddress = c.bindAddress();
        cfg.listenPort = c.port();
        cfg.tlsCertFile = c.tlsCertFile().isBlank() ? null : Path.of(c.tlsCertFile().strip());
        cfg.tlsKeyFile = c.tlsKeyFile().isBlank() ? null : Path.of(c.tlsKeyFile().strip());
        cfg.localExecutor = true;
        cfg.runJobsAsUser = c.runJobsAsUser();
        cfg.cgroups = c.cgroups();
        cfg.killWaitSec = c.killWaitSeconds();
        cfg.slurmCompatibleEnv = c.slurmCompatibleEnv();
        if (c.minJobUid() < 0) throw new IllegalArgumentException("minJobUid must not be negative");
        cfg.minJobUid = c.minJobUid();
        cfg.deniedJobUsers = CtldConfig.names(c.deniedJobUsers());
        cfg.allowedSystemUsers = CtldConfig.names(c.allowedSystemUsers());
        cfg.allowRootJobs = c.allowRootJobs();
        String socket = c.credentialSocket().strip();
        cfg.credentialSocket = socket.equalsIgnoreCase("off") ? null
                : socket.isEmpty() ? state.resolve("auth.sock") : Path.of(socket);
        cfg.credentialTtlSec = TimeSpec.parseDuration("credentialTtl", c.credentialTtl().strip());
        if (cfg.credentialTtlSec <= 0) throw new IllegalArgumentException("credentialTtl must be positive");
        cfg.credentialDefaultAccount = c.userAccount().isBlank() ? null : c.userAccount().strip();
        // the controller allocates GPU counts and the executor hands out device indices: both must see the same number
        int gpus = c.gpus() >= 0 ? c.gpus() : Gpus.discover();
        cfg.nodeGpus = gpus;
        String node = c.nodeName().isBlank() ? LocalMachine.nodeName() : c.nodeName();
        int cpus = c.cpus() > 0 ? c.cpus() : LocalMachine.cpus();
        long memMb = c.memory().isBlank() ? LocalMachine.memoryMb() : TimeSpec.parseMemMb("memory", c.memory());
        cfg.nodeDefs.add(new CtldConfig.NodeDef(node, cpus, memMb, gpus > 0 ? "gpu:a100:" + gpus : null, Set.of()));
        cfg.partitionDefs.add(new CtldConfig.PartitionDef(c.partition(), node, true, 1, 0, 0));
        return cfg;
    }
}
