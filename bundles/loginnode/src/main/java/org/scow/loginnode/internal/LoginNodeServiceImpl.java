package org.scow.loginnode.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.List;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.keyverifier.AcceptAllServerKeyVerifier;
import org.apache.sshd.client.keyverifier.KnownHostsServerKeyVerifier;
import org.apache.sshd.client.keyverifier.RejectAllServerKeyVerifier;
import org.apache.sshd.client.keyverifier.ServerKeyVerifier;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.scow.api.cluster.ClusterRegistry;
import org.scow.api.scheduler.Names;
import org.scow.loginnode.LoginConnection;
import org.scow.loginnode.LoginNode;
import org.scow.loginnode.LoginNodeException;
import org.scow.loginnode.LoginNodeException.Reason;
import org.scow.loginnode.LoginNodeService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Login nodes of the configured clusters (property {@code loginNodes} of each cluster configuration, read from
 * Config Admin on every call so edits apply at once) and the pooled sessions to them.
 */
@Component(service = LoginNodeService.class, configurationPid = "org.scow.loginnode", immediate = true)
@Designate(ocd = LoginNodeConfig.class)
public class LoginNodeServiceImpl implements LoginNodeService {
    private static final Logger LOG = LoggerFactory.getLogger(LoginNodeServiceImpl.class);

    @Reference
    private ConfigurationAdmin configAdmin;

    private SshClient client;
    private SessionPool pool;

    @Activate
    void activate(LoginNodeConfig config) throws IOException, GeneralSecurityException {
        Path data = Path.of(System.getProperty("karaf.data", "data"), "scow", "ssh");
        Path keyFile = config.privateKey().isBlank() ? data.resolve("platform_ed25519") : Path.of(config.privateKey());
        Path knownHosts = config.knownHosts().isBlank() ? data.resolve("known_hosts") : Path.of(config.knownHosts());
        var key = PlatformKey.loadOrCreate(keyFile);
        client = SshClient.setUpDefaultClient();
        client.setServerKeyVerifier(verifier(config.hostKeyPolicy(), knownHosts));
        client.start();
        pool = new SessionPool(client, key, Duration.ofSeconds(config.connectTimeoutSeconds()),
                Duration.ofSeconds(config.authTimeoutSeconds()), Duration.ofSeconds(config.idleCloseSeconds()),
                config.keyInstallerUser());
        LOG.info("Login node access ready; platform key {} ({}), host keys: {}", keyFile, pool.publicKey(),
                config.hostKeyPolicy());
    }

    static ServerKeyVerifier verifier(String policy, Path knownHosts) {
        return switch (policy.trim()) {
            case "accept-all" -> AcceptAllServerKeyVerifier.INSTANCE;
            case "strict" -> new KnownHostsServerKeyVerifier(RejectAllServerKeyVerifier.INSTANCE, knownHosts);
            case "accept-new" -> new KnownHostsServerKeyVerifier(AcceptAllServerKeyVerifier.INSTANCE, knownHosts);
            default -> throw new IllegalArgumentException("hostKeyPolicy must be accept-new, strict or accept-all, was '"
                    + policy + "'");
        };
    }

    @Deactivate
    void deactivate() throws IOException {
        if (pool != null) {
            pool.close();
        }
        if (client != null) {
            client.stop();
        }
    }

    @Override
    public List<LoginNode> nodes(String cluster) throws LoginNodeException {
        if (!Names.isValid(cluster)) {
            throw new LoginNodeException(Reason.UNKNOWN_CLUSTER, "no cluster '" + cluster + "'");
        }
        Configuration[] configs;
        try {
            configs = configAdmin.listConfigurations("(&(service.factoryPid=" + ClusterRegistry.FACTORY_PID + ")(id="
                    + cluster + "))");
        } catch (IOException | InvalidSyntaxException e) {
            throw new LoginNodeException(Reason.UNKNOWN_CLUSTER, "cannot read the configuration of '" + cluster + "'", e);
        }
        if (configs == null || configs.length == 0) {
            throw new LoginNodeException(Reason.UNKNOWN_CLUSTER, "no cluster '" + cluster + "'");
        }
        Object value = configs[0].getProperties() == null ? null : configs[0].getProperties().get(LoginNodesProperty.KEY);
        List<LoginNode> nodes;
        try {
            nodes = LoginNodesProperty.parse(value == null ? null : String.valueOf(value));
        } catch (IllegalArgumentException e) {
            throw new LoginNodeException(Reason.NOT_CONFIGURED, "cluster '" + cluster + "': " + e.getMessage()
                    + " (etc/org.scow.cluster-" + cluster + ".cfg)");
        }
        if (nodes.isEmpty()) {
            throw new LoginNodeException(Reason.NOT_CONFIGURED, "cluster '" + cluster + "' has no login node: an "
                    + "administrator must set 'loginNodes' (e.g. loginNodes = login0=10.0.0.5:22) in its configuration");
        }
        return nodes;
    }

    @Override
    public LoginConnection connect(String cluster, String node, String user) throws LoginNodeException {
        List<LoginNode> nodes = nodes(cluster);
        LoginNode target = node == null || node.isBlank() ? nodes.get(0)
                : nodes.stream().filter(n -> n.name().equals(node)).findFirst().orElseThrow(
                        () -> new LoginNodeException(Reason.UNKNOWN_NODE, "cluster '" + cluster
                                + "' has no login node '" + node + "'"));
        return pool.lease(target, user);
    }

    @Override
    public String publicKey() {
        return pool.publicKey();
    }
}
