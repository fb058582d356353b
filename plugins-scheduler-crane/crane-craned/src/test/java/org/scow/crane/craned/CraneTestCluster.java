package org.scow.crane.craned;

import static org.junit.Assert.fail;

import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.scow.crane.ctld.Clock;
import org.scow.crane.ctld.CtldConfig;
import org.scow.crane.protocol.Channels;
import org.scow.crane.protocol.Credential;
import org.scow.crane.protocol.TestCertificates;
import org.scow.crane.protocol.CredentialFiles;
import org.scow.crane.protocol.Wire;
import org.scow.crane.protocol.v1.AccountOpRequest;
import org.scow.crane.protocol.v1.AddAccount;
import org.scow.crane.protocol.v1.AddUser;
import org.scow.crane.protocol.v1.CraneGrpc;
import org.scow.crane.protocol.v1.Empty;
import org.scow.crane.protocol.v1.Job;
import org.scow.crane.protocol.v1.JobRef;
import org.scow.crane.protocol.v1.Node;
import org.scow.crane.protocol.v1.NodeQuery;
import org.scow.crane.server.CraneServer;
import org.scow.crane.server.ServerMain;

/**
 * A cranectld with {@code NodeDaemons=true} on a free loopback port, and craned daemons for its nodes, in this JVM
 * or as child JVMs (real processes that can be killed). Every job of the tests runs as the user running the tests.
 */
final class CraneTestCluster implements AutoCloseable {
    static final byte[] KEY = new byte[32];

    static {
        Arrays.fill(KEY, (byte) 7);
    }

    final Path dir;
    final Path work;
    /** The in-process controller, or null when it runs as a child JVM ({@link #withControllerProcess}). */
    final CraneServer server;
    /** The controller's port: fixed for a child controller, so a restarted one is found where the daemons look. */
    final int port;
    final int cpusPerNode;
    final ManagedChannel channel;
    final List<NodeDaemon> daemons = new ArrayList<>();
    final List<Process> children = new ArrayList<>();
    /** The controller's certificate when it serves TLS, else null. */
    private Path tlsTrust;
    /** The child controller's configuration file and its current process (null while it is down). */
    private final Path controllerConf;
    private Process controller;

    CraneTestCluster(String nodes, int nodeTimeoutSec) throws IOException {
        this(nodes, nodeTimeoutSec, false);
    }

    /** With {@code tls}, the controller serves TLS with a fresh self-signed certificate that the daemons trust. */
    CraneTestCluster(String nodes, int nodeTimeoutSec, boolean tls) throws IOException {
        dir = newTestDir();
        work = workDir(dir);
        cpusPerNode = 2;
        controllerConf = null;
        CtldConfig cfg = CtldConfig.parse(layout(nodes, cpusPerNode));
        cfg.stateDir = dir.resolve("state");
        cfg.listenPort = 0;
        cfg.schedulerIntervalMs = 200;
        cfg.minPassGapMs = 0;
        cfg.nodeDaemons = true;
        cfg.nodeTimeoutSec = nodeTimeoutSec;
        cfg.allowRootJobs = true; // jobs run as the test's own user (root): an explicit opt-in, controller and craned
        tlsTrust = tls ? selfSignedCertificate(cfg) : null;
        server = CraneServer.start(cfg, Clock.SYSTEM, KEY);
        port = server.port();
        channel = Channels.open("127.0.0.1", port, tlsTrust);
        addSubmitterAccount();
    }

    /** cranectld ({@code ServerMain serve}) as a child JVM on a fixed free port, with its key in {@code dir/auth.key}. */
    private CraneTestCluster(String nodes, int cpusPerNode, int nodeTimeoutSec) throws IOException, InterruptedException {
        dir = newTestDir();
        work = workDir(dir);
        this.cpusPerNode = cpusPerNode;
        server = null;
        port = freePort();
        Path key = dir.resolve("auth.key");
        Files.write(key, KEY);
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
        controllerConf = dir.resolve("cranectld.conf");
        Files.writeString(controllerConf, layout(nodes, cpusPerNode) + "StateDir=" + dir.resolve("state")
                + "\nListenAddress=127.0.0.1\nListenPort=" + port + "\nAuthKeyFile=" + key
                + "\nSchedulerIntervalMs=200\nMinPassGapMs=0\nNodeDaemons=true\nNodeTimeout=" + nodeTimeoutSec
                + "\nAllowRootJobs=true\n");
        channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
        try {
            startController();
            addSubmitterAccount();
        } catch (IOException | InterruptedException | RuntimeException | AssertionError e) {
            close(); // the caller gets no cluster to close: do not leave the child controller behind
            throw e;
        }
    }

    /**
     * A cluster whose controller is a real child process that can be killed with SIGKILL ({@link #killController})
     * and started again on the same port and state directory ({@link #startController}).
     */
    static CraneTestCluster withControllerProcess(String nodes, int cpusPerNode, int nodeTimeoutSec)
            throws IOException, InterruptedException {
        return new CraneTestCluster(nodes, cpusPerNode, nodeTimeoutSec);
    }

    private static Path newTestDir() throws IOException {
        Path d = Files.createTempDirectory(Path.of("/tmp"), "crane-node-test");
        Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwxr-xr-x"));
        return d;
    }

    private static Path workDir(Path dir) throws IOException {
        Path w = Files.createDirectories(dir.resolve("work"));
        Files.setPosixFilePermissions(w, PosixFilePermissions.fromString("rwxrwxrwx"));
        return w;
    }

    private static String layout(String nodes, int cpus) {
        return "ClusterName=test\n"
                + "Node name=" + nodes + " cpus=" + cpus + " mem=1G\n"
                + "Partition name=debug nodes=" + nodes + " default=yes priority=1 maxtime=1-0\n";
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private void addSubmitterAccount() {
        CraneGrpc.CraneBlockingStub root = root();
        root.accountOp(AccountOpRequest.newBuilder().setAddAccount(AddAccount.newBuilder().setName("phys")).build());
        root.accountOp(AccountOpRequest.newBuilder().setAddUser(AddUser.newBuilder().setUser(user()).setAccount("phys")).build());
    }

    /** Starts the child controller (log appended to {@code dir/cranectld.log}) and waits until it answers calls. */
    void startController() throws IOException, InterruptedException {
        if (controllerConf == null) throw new IllegalStateException("the controller runs in this JVM");
        if (controller != null && controller.isAlive()) throw new IllegalStateException("the controller is running");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx256m", "-XX:+UseSerialGC", "-cp",
                System.getProperty("java.class.path"), ServerMain.class.getName(), "serve", "--config",
                controllerConf.toString());
        pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("cranectld.log").toFile()));
        controller = pb.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            if (!controller.isAlive()) fail("cranectld exited with " + controller.exitValue() + ":\n" + controllerLog());
            // the channel backs off after the refused connections of the outage: make it try again at once
            channel.resetConnectBackoff();
            try {
                root().withDeadlineAfter(5, TimeUnit.SECONDS).whoAmI(Empty.getDefaultInstance());
                return;
            } catch (StatusRuntimeException e) {
                if (e.getStatus().getCode() != Status.Code.UNAVAILABLE && e.getStatus().getCode() != Status.Code.DEADLINE_EXCEEDED) throw e;
            }
            if (System.nanoTime() > deadline) fail("cranectld did not answer within 60 s:\n" + controllerLog());
            Thread.sleep(100);
        }
    }

    /** {@code kill -9} of the child controller (destroyForcibly is SIGKILL on Linux); returns once it is gone. */
    void killController() throws InterruptedException {
        if (controller == null) throw new IllegalStateException("no controller process");
        if (!controller.destroyForcibly().waitFor(30, TimeUnit.SECONDS)) fail("cranectld survived SIGKILL");
    }

    String controllerLog() {
        try {
            Path l = dir.resolve("cranectld.log");
            return Files.exists(l) ? Files.readString(l) : "";
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    static String user() {
        return System.getProperty("user.name");
    }

    CraneGrpc.CraneBlockingStub stub(String credential) {
        Metadata md = new Metadata();
        md.put(Wire.CREDENTIAL, credential);
        return CraneGrpc.newBlockingStub(channel).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(md))
                .withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    CraneGrpc.CraneBlockingStub root() {
        return stub(issue(Credential.Scope.USER, "root"));
    }

    /** The user who submits (the test's own user: jobs run as it). */
    CraneGrpc.CraneBlockingStub submitter() {
        return stub(issue(Credential.Scope.USER, user()));
    }

    String nodeCredential(String node) {
        return issue(Credential.Scope.NODE, node);
    }

    /** A credential signed with {@link #KEY}, the key of both kinds of controller. */
    static String issue(Credential.Scope scope, String principal) {
        return new Credential(scope, principal, System.currentTimeMillis() / 1000 + Duration.ofHours(1).toSeconds()).sign(KEY);
    }

    /** A fresh self-signed certificate for 127.0.0.1, set as the controller's. */
    private Path selfSignedCertificate(CtldConfig cfg) throws IOException {
        Path cert = TestCertificates.selfSigned(dir, "ctld");
        cfg.tlsCertFile = cert;
        cfg.tlsKeyFile = TestCertificates.key(cert);
        return cert;
    }

    Path spool(String node) {
        return dir.resolve("spool-" + node);
    }

    CranedConfig cranedConfig(String node) {
        CranedConfig c = new CranedConfig();
        c.nodeName = node;
        c.controllerPort = port;
        c.controllerTlsTrustFile = tlsTrust == null ? null : tlsTrust.toString();
        c.credential = nodeCredential(node);
        c.spoolDir = spool(node).toString();
        c.cpus = cpusPerNode;
        c.memMb = 1024;
        c.gpus = 0;
        c.heartbeatMs = 200;
        c.killWaitMs = 1000;
        c.allowRootJobs = true;
        return c;
    }

    NodeDaemon startInProcess(String node) throws IOException {
        NodeDaemon d = NodeDaemon.start(cranedConfig(node));
        daemons.add(d);
        return d;
    }

    /** craned as a child JVM ({@link CranedMain} with a craned.conf), log in {@code dir/craned-<node>.log}. */
    Process startChild(String node) throws IOException {
        Path cred = dir.resolve(node + ".cred");
        if (!Files.exists(cred)) CredentialFiles.writeCredential(cred, nodeCredential(node), null);
        Path conf = dir.resolve("craned-" + node + ".conf");
        Files.writeString(conf, "NodeName=" + node + "\nControllerAddress=127.0.0.1\nControllerPort=" + port
                + "\nCredentialFile=" + dir.resolve("%n.cred") + "\nSpoolDir=" + dir.resolve("spool-%n")
                + "\nCPUs=" + cpusPerNode + "\nMemory=1G\nGpus=0\nHeartbeatInterval=0.2\nKillWait=1\nAllowRootJobs=true\n");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), CranedMain.class.getName(), "--config", conf.toString(),
                "--pid", dir.resolve("craned-" + node + ".pid").toString());
        pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("craned-" + node + ".log").toFile()));
        Process p = pb.start();
        children.add(p);
        return p;
    }

    String log(String node) throws IOException {
        Path l = dir.resolve("craned-" + node + ".log");
        return Files.exists(l) ? Files.readString(l) : "";
    }

    Job job(long id) {
        return root().getJob(JobRef.newBuilder().setJobId(id).build());
    }

    Node node(String name) {
        return root().queryNodes(NodeQuery.newBuilder().addNames(name).build()).getNodes(0);
    }

    Job awaitJob(long id, Predicate<Job> p, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        Job j;
        while (!p.test(j = job(id))) {
            if (System.nanoTime() > deadline) fail("job " + id + " did not become " + what + ": " + j);
            Thread.sleep(50);
        }
        return j;
    }

    Job awaitState(long id, String state) throws InterruptedException {
        return awaitJob(id, j -> j.getState().equals(state), state);
    }

    Node awaitNode(String name, String state) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        Node n;
        while (!(n = node(name)).getState().equals(state)) {
            if (System.nanoTime() > deadline) fail("node " + name + " did not become " + state + ": " + n);
            Thread.sleep(50);
        }
        return n;
    }

    static void await(String what, java.util.function.BooleanSupplier cond) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > deadline) fail("timed out waiting for " + what);
            Thread.sleep(50);
        }
    }

    @Override
    public void close() {
        for (NodeDaemon d : daemons) d.close();
        for (Process p : children) {
            p.destroy();
            try {
                if (!p.waitFor(10, TimeUnit.SECONDS)) p.destroyForcibly();
            } catch (InterruptedException e) {
                p.destroyForcibly();
            }
        }
        channel.shutdownNow();
        if (server != null) server.close();
        if (controller != null) {
            controller.destroy();
            try {
                if (!controller.waitFor(10, TimeUnit.SECONDS)) controller.destroyForcibly();
            } catch (InterruptedException e) {
                controller.destroyForcibly();
            }
        }
        // jobs outlive their daemons by design: end whatever a failed test left behind (by recorded pid)
        try (var spools = Files.list(dir)) {
            for (Path sp : (Iterable<Path>) spools::iterator) {
                if (!sp.getFileName().toString().startsWith("spool-")) continue;
                try (var jobs = Files.list(sp)) {
                    for (Path j : (Iterable<Path>) jobs::iterator) {
                        Path pid = j.resolve("pid");
                        if (!Files.exists(pid)) continue;
                        ProcessHandle.of(Long.parseLong(Files.readString(pid).trim().split(" ")[0])).ifPresent(h -> {
                            h.descendants().forEach(ProcessHandle::destroyForcibly);
                            h.destroyForcibly();
                        });
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // best effort
        }
    }

    /** The pid the node's spool recorded for a job's first process, or -1. */
    long jobPid(String node, long id) {
        try {
            return Long.parseLong(Files.readString(spool(node).resolve("job-" + id).resolve("pid")).trim().split(" ")[0]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
