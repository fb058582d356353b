package org.scow.crane.server;

import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallExecutorSupplier;
import io.grpc.ServerInterceptors;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.scow.crane.ctld.Clock;
import org.scow.crane.ctld.Controller;
import org.scow.crane.ctld.CtldConfig;
import org.scow.crane.ctld.CtldException;
import org.scow.crane.executor.Cgroups;
import org.scow.crane.executor.ExecutorConfig;
import org.scow.crane.protocol.Channels;
import org.scow.crane.protocol.Credential;
import org.scow.crane.protocol.CredentialFiles;
import org.scow.crane.protocol.Wire;
import org.scow.crane.protocol.v1.CraneGrpc;

/**
 * cranectld as a network service: the controller, its scheduler loop, optionally a local executor (a single-machine
 * cluster that runs real jobs, {@code LocalExecutor=true}) or the simulated nodes, and the gRPC server in front. Used by the standalone daemon ({@link ServerMain}), the Karaf component and tests.
 */
public final class CraneServer implements AutoCloseable {
    private static final java.util.logging.Logger LOG = java.util.logging.Logger.getLogger(CraneServer.class.getName());
    /** Handler threads: enough that concurrent submitters share WAL flushes (group commit), few enough for 2 cores. */
    private static final int HANDLER_THREADS = 32;

    private final Controller ctl;
    private final byte[] key;
    private final SchedulerLoop loop;
    private final SimulatedNodeLauncher simulator;
    /** The real executor of a single-machine cluster, or null. */
    private final LocalLauncher local;
    /** Remote node daemons ({@code NodeDaemons=true}), or null. */
    private final NodeManager nodeManager;
    /** Job steps (crun); they need {@link #nodeManager}. */
    private final StepService steps;
    /** Steps on this machine ({@code LocalExecutor=true}), or null. */
    private final LocalSteps localSteps;
    private final ExecutorService handlers;
    private final Server server;
    private boolean closed;
    private CredentialService credentials;

    private CraneServer(CtldConfig cfg, Clock clock, byte[] key) throws IOException {
        checkTransport(cfg);
        SslContext tls = cfg.tlsCertFile == null ? null : Channels.serverTls(cfg.tlsCertFile, cfg.tlsKeyFile);
        this.key = key.clone();
        this.ctl = new Controller(cfg, clock);
        this.loop = new SchedulerLoop(ctl, cfg.schedulerIntervalMs, cfg.minPassGapMs);
        if ((cfg.simulatedNodes ? 1 : 0) + (cfg.localExecutor ? 1 : 0) + (cfg.nodeDaemons ? 1 : 0) > 1) {
            ctl.close();
            throw new IllegalArgumentException("SimulatedNodes, LocalExecutor and NodeDaemons exclude each other");
        }
        simulator = cfg.simulatedNodes ? new SimulatedNodeLauncher(ctl, loop::poke) : null;
        if (simulator != null) ctl.setLauncher(simulator);
        try {
            local = cfg.localExecutor ? LocalLauncher.install(ctl, executorConfig(cfg), loop::poke) : null;
        } catch (IOException | RuntimeException e) {
            ctl.close();
            throw e;
        }
        nodeManager = cfg.nodeDaemons ? new NodeManager(ctl, cfg, loop::poke) : null;
        if (nodeManager != null) ctl.setLauncher(nodeManager);
        try {
            localSteps = local != null ? new LocalSteps(executorConfig(cfg)) : null;
        } catch (IOException | RuntimeException e) {
            if (local != null) local.close();
            if (nodeManager != null) nodeManager.close();
            ctl.close();
            throw e;
        }
        steps = new StepService(ctl, nodeManager != null ? nodeManager : localSteps);
        if (localSteps != null) localSteps.bind(steps);
        AtomicInteger n = new AtomicInteger();
        handlers = Executors.newFixedThreadPool(HANDLER_THREADS, r -> {
            Thread t = new Thread(r, "crane-rpc-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        NettyServerBuilder builder = NettyServerBuilder.forAddress(new InetSocketAddress(cfg.listenAddress, cfg.listenPort));
        if (tls != null) builder.sslContext(tls);
        server = builder
                .executor(handlers)
                .callExecutor(new ServerCallExecutorSupplier() {
                    @Override
                    public <Q, R> Executor getExecutor(ServerCall<Q, R> call, Metadata headers) {
                        // SubmitJob never waits for the disk (the WAL writer answers it), so it runs on the transport
                        // thread: one thread hand-off less per submission; everything else may wait, so it may not
                        return call.getMethodDescriptor() == CraneGrpc.getSubmitJobMethod() ? Runnable::run : null;
                    }
                })
                .maxInboundMessageSize(Wire.MAX_MESSAGE_BYTES)
                .addService(ServerInterceptors.intercept(new CraneService(ctl, loop::poke),
                        new AuthInterceptor(key, clock)))
                .addService(ServerInterceptors.intercept(new NodeService(ctl, nodeManager, steps),
                        new AuthInterceptor(key, clock)))
                .addService(ServerInterceptors.intercept(steps, new AuthInterceptor(key, clock)))
                .build();
    }

    /**
     * Credentials are bearer tokens: off loopback they must travel under TLS, unless the configuration says
     * otherwise in so many words. Checked before anything is opened.
     */
    static void checkTransport(CtldConfig cfg) {
        if ((cfg.tlsCertFile == null) != (cfg.tlsKeyFile == null)) {
            throw new IllegalArgumentException("TlsCertFile and TlsKeyFile must be set together");
        }
        if (cfg.tlsCertFile != null || cfg.allowPlaintext) return;
        boolean loopback;
        try {
            loopback = InetAddress.getByName(cfg.listenAddress).isLoopbackAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("ListenAddress '" + cfg.listenAddress + "' is not a known address");
        }
        if (!loopback) {
            throw new IllegalArgumentException("ListenAddress " + cfg.listenAddress + " is not loopback: set "
                    + "TlsCertFile and TlsKeyFile (credentials are bearer tokens), or AllowPlaintext=true on a trusted network");
        }
    }

    /** The executor settings of a single-machine cluster, from the controller's configuration. */
    static ExecutorConfig executorConfig(CtldConfig cfg) {
        Path spool = cfg.spoolDir != null ? cfg.spoolDir : cfg.stateDir != null ? cfg.stateDir.resolve("spool") : null;
        if (spool == null) throw new IllegalArgumentException("LocalExecutor needs SpoolDir or StateDir");
        return new ExecutorConfig().spoolDir(spool).runAsUser(cfg.runJobsAsUser)
                .cgroups(Cgroups.Mode.valueOf(cfg.cgroups.toUpperCase(java.util.Locale.ROOT)))
                .killWaitMs(cfg.killWaitSec * 1000).slurmCompatibleEnv(cfg.slurmCompatibleEnv).gpus(cfg.nodeGpus)
                .clusterName(cfg.clusterName).minJobUid(cfg.minJobUid).deniedJobUsers(cfg.deniedJobUsers)
                .allowedSystemUsers(cfg.allowedSystemUsers).allowRootJobs(cfg.allowRootJobs);
    }

    /** The local executor (single-machine cluster), or null. */
    public LocalLauncher localLauncher() {
        return local;
    }

    /**
     * Recovers the controller from {@code cfg.stateDir} (if set), binds {@code listenAddress:listenPort} (port 0
     * picks a free one) and starts scheduling. The key comes from {@code AuthKeyFile}, else
     * {@code StateDir/auth.key}; it is created on first start.
     */
    public static CraneServer start(CtldConfig cfg, Clock clock) throws IOException {
        Path keyFile = cfg.authKeyFile != null ? cfg.authKeyFile
                : cfg.stateDir != null ? cfg.stateDir.resolve("auth.key") : null;
        if (keyFile == null) throw new IllegalArgumentException("AuthKeyFile or StateDir is required");
        return start(cfg, clock, CredentialFiles.loadOrCreateKey(keyFile));
    }

    /** As {@link #start(CtldConfig, Clock)} with a key given directly (tests, embedded use). */
    public static CraneServer start(CtldConfig cfg, Clock clock, byte[] key) throws IOException {
        CraneServer s = new CraneServer(cfg, clock, key);
        try {
            s.server.start();
        } catch (IOException e) {
            s.close();
            throw new IOException("cannot listen on " + cfg.listenAddress + ":" + cfg.listenPort + ": " + e.getMessage(), e);
        }
        s.loop.start();
        if (cfg.credentialSocket != null) {
            try {
                s.credentials = CredentialService.start(cfg.credentialSocket, cfg.jobUserPolicy(),
                        Duration.ofSeconds(cfg.credentialTtlSec), (user, ttl) -> {
                            s.enrol(user, cfg.credentialDefaultAccount);
                            return s.issue(Credential.Scope.USER, user, ttl);
                        });
            } catch (IOException e) {
                s.close();
                throw e;
            }
        }
        return s;
    }

    /** The bound port (the real one when configured as 0). */
    public int port() {
        return server.getPort();
    }

    public Controller controller() {
        return ctl;
    }

    /** Mints a credential with this server's key, valid for {@code ttl}. */
    public String issue(Credential.Scope scope, String principal, Duration ttl) {
        return new Credential(scope, principal, System.currentTimeMillis() / 1000 + ttl.toSeconds()).sign(key);
    }

    /** The local credential service's socket, or null when there is none ({@code CredentialSocket=}). */
    public Path credentialSocket() {
        return credentials == null ? null : credentials.path();
    }

    /**
     * Makes {@code user} a member of {@code account} (creating it under root) when they belong to no account yet:
     * the credential service's first answer to a user of a single-machine cluster. Logged like any account op, as
     * the administrator root. A failure is logged and the user simply gets a credential without a membership.
     */
    void enrol(String user, String account) {
        if (account == null) return;
        try {
            boolean member = ctl.withAccounts(a -> a.user(user) != null && !a.user(user).memberships.isEmpty());
            if (member) return;
            if (ctl.withAccounts(a -> a.account(account) == null)) {
                try {
                    ctl.addAccount("root", account, "root", null, null);
                } catch (CtldException e) {
                    if (e.code() != CtldException.Code.ALREADY_EXISTS) throw e; // a concurrent first call made it
                }
            }
            ctl.addUser("root", user, account);
            LOG.info("credential service: user '" + user + "' had no account; added to '" + account + "'");
        } catch (CtldException e) {
            if (e.code() != CtldException.Code.ALREADY_EXISTS) {
                LOG.warning("credential service: cannot add user '" + user + "' to account '" + account + "': "
                        + e.getMessage());
            }
        }
    }

    /** Wakes the scheduler now (after changes made directly on the controller). */
    public void poke() {
        loop.poke();
    }

    /** Stops accepting calls, lets running ones finish briefly, stops scheduling and closes the WAL. */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        if (credentials != null) credentials.close();
        steps.close();
        if (localSteps != null) localSteps.close();
        if (nodeManager != null) nodeManager.close(); // ends the nodes' Register streams, which would hold shutdown
        server.shutdown();
        try {
            if (!server.awaitTermination(5, TimeUnit.SECONDS)) server.shutdownNow();
        } catch (InterruptedException e) {
            server.shutdownNow();
            Thread.currentThread().interrupt();
        }
        loop.close();
        if (simulator != null) simulator.close();
        if (local != null) local.close(); // running jobs keep running; the next start re-adopts them
        handlers.shutdownNow();
        ctl.close();
    }
}
