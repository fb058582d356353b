package org.scow.loginnode.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Hashtable;
import java.util.List;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.keyverifier.AcceptAllServerKeyVerifier;
import org.apache.sshd.client.keyverifier.KnownHostsServerKeyVerifier;
import org.apache.sshd.client.keyverifier.RejectAllServerKeyVerifier;
import org.apache.sshd.client.keyverifier.ServerKeyVerifier;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.scow.api.auth.AuthBackend;
import org.scow.api.auth.AuthException;
import org.scow.api.cluster.ClusterRegistry;
import org.scow.api.scheduler.util.Names;
import org.scow.loginnode.LoginConnection;
import org.scow.loginnode.LoginNode;
import org.scow.loginnode.LoginNodeException;
import org.scow.loginnode.LoginNodeException.Reason;
import org.scow.loginnode.LoginNodeService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Login nodes of the configured clusters (property {@code loginNodes} of each cluster configuration, read from
 * Config Admin on every call so edits apply at once) and the pooled sessions to them. When the platform runs as root
 * and the cluster {@code localLoginNodeCluster} has no login nodes, this machine is that cluster's login node through
 * the platform's private sshd ({@link LocalSshd}), and Unix users may sign in with their Unix password
 * ({@link UnixAuthBackend}).
 */
@Component(service = LoginNodeService.class, configurationPid = "org.scow.loginnode", immediate = true)
@Designate(ocd = LoginNodeConfig.class)
public class LoginNodeServiceImpl implements LoginNodeService {
    private static final Logger LOG = LoggerFactory.getLogger(LoginNodeServiceImpl.class);

    @Reference
    private ConfigurationAdmin configAdmin;

    private SshClient client;
    private SessionPool pool;
    private String localCluster;
    private long minUid;
    /** The private login node, or null. */
    private LocalSshd local;
    /** Why there is no private login node, or null. */
    private String localUnavailable;
    private ServiceRegistration<AuthBackend> unixBackend;

    @Activate
    void activate(BundleContext context, LoginNodeConfig config) throws IOException, GeneralSecurityException {
        Path data = Path.of(System.getProperty("karaf.data", "data"), "scow", "ssh");
        Path keyFile = config.privateKey().isBlank() ? data.resolve("platform_ed25519") : Path.of(config.privateKey());
        Path knownHosts = config.knownHosts().isBlank() ? data.resolve("known_hosts") : Path.of(config.knownHosts());
        var key = PlatformKey.loadOrCreate(keyFile);
        localCluster = config.localLoginNodeCluster().trim();
        minUid = config.minUid();
        startLocal(config, PlatformKey.authorizedKeysLine(key));
        client = SshClient.setUpDefaultClient();
        client.setServerKeyVerifier(localFirst(verifier(config.hostKeyPolicy(), knownHosts)));
        client.start();
        pool = new SessionPool(client, key, Duration.ofSeconds(config.connectTimeoutSeconds()),
                Duration.ofSeconds(config.authTimeoutSeconds()), Duration.ofSeconds(config.idleCloseSeconds()),
                config.keyInstallerUser());
        LOG.info("Login node access ready; platform key {} ({}), host keys: {}", keyFile, pool.publicKey(),
                config.hostKeyPolicy());
        if (local != null && config.unixSignIn()) {
            UnixAuthBackend unix = new UnixAuthBackend(client, local, minUid,
                    Duration.ofSeconds(config.authTimeoutSeconds()), user -> builtinKnows(context, user));
            Hashtable<String, Object> props = new Hashtable<>();
            props.put(AuthBackend.BACKEND_TYPE, UnixAuthBackend.TYPE);
            unixBackend = context.registerService(AuthBackend.class, unix, props);
            LOG.info("Unix users of this machine (uid >= {}) may sign in with their Unix password (auth backend '{}')",
                    minUid, UnixAuthBackend.TYPE);
        }
    }

    /** Starts the private login node if it is wanted and possible, else says why not. */
    private void startLocal(LoginNodeConfig config, String platformKeyLine) throws IOException {
        String mode = config.localLoginNode().trim();
        if (mode.equals("off")) {
            localUnavailable = "the platform's own login node is off (localLoginNode = off in etc/org.scow.loginnode.cfg)";
            return;
        }
        if (!mode.equals("auto")) {
            throw new IllegalArgumentException("localLoginNode must be auto or off, was '" + mode + "'");
        }
        if (!configured(localCluster).isEmpty()) {
            return; // the cluster has its login nodes
        }
        Path sshd = Path.of(config.sshdPath());
        Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        if (!Integer.valueOf(0).equals(uid)) {
            localUnavailable = "the platform does not run as root, so it cannot open sessions as each user on this "
                    + "machine; start it as root or configure loginNodes";
        } else if (!Files.isExecutable(sshd)) {
            localUnavailable = "OpenSSH's sshd (" + sshd + ") is not installed; install it (Debian: apt-get install "
                    + "openssh-server) and restart the platform";
        } else {
            try {
                local = new LocalSshd(sshd, Path.of(System.getProperty("karaf.data", "data"), "scow", "sshd"),
                        config.localLoginNodePort(), platformKeyLine, config.unixSignIn(), minUid);
                LOG.info("This machine is the login node of cluster '{}': private sshd on 127.0.0.1:{} (files and "
                        + "shell as each user; root and uid < {} refused)", localCluster, local.port(), minUid);
                return;
            } catch (IOException | GeneralSecurityException e) {
                localUnavailable = "the platform's own login node could not start: " + e.getMessage();
            }
        }
        LOG.warn("Cluster '{}' has no login node, so Files and Shell are off for it: {}", localCluster, localUnavailable);
    }

    /** The private login node's host key is known exactly; other nodes go by the policy. */
    private ServerKeyVerifier localFirst(ServerKeyVerifier policy) {
        LocalSshd l = local;
        if (l == null) {
            return policy;
        }
        return (session, remote, serverKey) -> {
            if (remote instanceof InetSocketAddress a && a.getPort() == l.port() && a.getAddress() != null
                    && a.getAddress().isLoopbackAddress()) {
                return KeyUtils.compareKeys(l.hostKey(), serverKey);
            }
            return policy.verifyServerKey(session, remote, serverKey);
        };
    }

    /** Whether the built-in store has the user; true when that cannot be told, so the Unix backend refuses. */
    private static boolean builtinKnows(BundleContext context, String user) {
        try {
            var refs = context.getServiceReferences(AuthBackend.class,
                    "(" + AuthBackend.BACKEND_TYPE + "=builtin)");
            if (refs.isEmpty()) {
                return true;
            }
            ServiceReference<AuthBackend> ref = refs.iterator().next();
            AuthBackend builtin = context.getService(ref);
            try {
                return builtin == null || builtin.getUser(user).isPresent();
            } finally {
                context.ungetService(ref);
            }
        } catch (InvalidSyntaxException | AuthException | RuntimeException e) {
            return true;
        }
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
        if (unixBackend != null) {
            try {
                unixBackend.unregister();
            } catch (IllegalStateException e) {
                // already gone with the bundle
            }
        }
        if (local != null) {
            local.close();
        }
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
        Configuration config = clusterConfig(cluster);
        if (config == null) {
            throw new LoginNodeException(Reason.UNKNOWN_CLUSTER, "no cluster '" + cluster + "'");
        }
        Object value = config.getProperties() == null ? null : config.getProperties().get(LoginNodesProperty.KEY);
        List<LoginNode> nodes;
        try {
            nodes = LoginNodesProperty.parse(value == null ? null : String.valueOf(value));
        } catch (IllegalArgumentException e) {
            throw new LoginNodeException(Reason.NOT_CONFIGURED, "cluster '" + cluster + "': " + e.getMessage()
                    + " (etc/org.scow.cluster-" + cluster + ".cfg)");
        }
        if (nodes.isEmpty() && cluster.equals(localCluster)) {
            if (local != null) {
                return List.of(local.node());
            }
        }
        if (nodes.isEmpty()) {
            throw new LoginNodeException(Reason.NOT_CONFIGURED, "cluster '" + cluster + "' has no login node: an "
                    + "administrator must set 'loginNodes' (e.g. loginNodes = login0=10.0.0.5:22) in its configuration"
                    + (cluster.equals(localCluster) && localUnavailable != null ? "; " + localUnavailable : ""));
        }
        return nodes;
    }

    /** The cluster's configured login nodes; empty when there are none, the cluster is unknown or the list is bad. */
    private List<LoginNode> configured(String cluster) {
        try {
            Configuration config = clusterConfig(cluster);
            Object value = config == null || config.getProperties() == null ? null
                    : config.getProperties().get(LoginNodesProperty.KEY);
            return LoginNodesProperty.parse(value == null ? null : String.valueOf(value));
        } catch (LoginNodeException | IllegalArgumentException e) {
            return List.of();
        }
    }

    private Configuration clusterConfig(String cluster) throws LoginNodeException {
        if (!Names.isValid(cluster)) {
            return null;
        }
        Configuration[] configs;
        try {
            configs = configAdmin.listConfigurations("(&(service.factoryPid=" + ClusterRegistry.FACTORY_PID + ")(id="
                    + cluster + "))");
        } catch (IOException | InvalidSyntaxException e) {
            throw new LoginNodeException(Reason.UNKNOWN_CLUSTER, "cannot read the configuration of '" + cluster + "'", e);
        }
        return configs == null || configs.length == 0 ? null : configs[0];
    }

    @Override
    public LoginConnection connect(String cluster, String node, String user) throws LoginNodeException {
        List<LoginNode> nodes = nodes(cluster);
        LoginNode target = node == null || node.isBlank() ? nodes.get(0)
                : nodes.stream().filter(n -> n.name().equals(node)).findFirst().orElseThrow(
                        () -> new LoginNodeException(Reason.UNKNOWN_NODE, "cluster '" + cluster
                                + "' has no login node '" + node + "'"));
        LocalSshd l = local;
        if (l != null && target.equals(l.node())) {
            checkLocalUser(user);
        }
        return pool.lease(target, user);
    }

    /** On this machine the platform key opens sessions only for people: not root, system accounts or nobody. */
    private void checkLocalUser(String user) throws LoginNodeException {
        if (!UnixUsers.isValid(user)) {
            throw new LoginNodeException(Reason.INVALID_USER, "'" + user + "' is not a valid Unix user name");
        }
        UnixUsers.Account account;
        try {
            account = UnixUsers.lookup(user).orElseThrow(() -> new LoginNodeException(Reason.INVALID_USER,
                    "there is no Unix user '" + user + "' on this machine"));
        } catch (IOException e) {
            throw new LoginNodeException(Reason.UNREACHABLE, "cannot look up Unix user '" + user + "': "
                    + e.getMessage(), e);
        }
        if (!UnixUsers.isPerson(account, minUid)) {
            throw new LoginNodeException(Reason.INVALID_USER, "Unix user '" + user + "' is root or a system account "
                    + "(uid " + account.uid() + "): the platform opens no sessions for it");
        }
    }

    @Override
    public String publicKey() {
        return pool.publicKey();
    }
}
