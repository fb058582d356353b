package org.scow.crane.node;

import static org.junit.Assert.fail;

import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import java.io.IOException;
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
import org.scow.crane.protocol.Credential;
import org.scow.crane.protocol.CredentialFiles;
import org.scow.crane.protocol.Wire;
import org.scow.crane.protocol.v1.AccountOpRequest;
import org.scow.crane.protocol.v1.AddAccount;
import org.scow.crane.protocol.v1.AddUser;
import org.scow.crane.protocol.v1.CraneGrpc;
import org.scow.crane.protocol.v1.Job;
import org.scow.crane.protocol.v1.JobRef;
import org.scow.crane.protocol.v1.Node;
import org.scow.crane.protocol.v1.NodeQuery;
import org.scow.crane.server.CraneServer;

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
    final CraneServer server;
    final ManagedChannel channel;
    final List<NodeDaemon> daemons = new ArrayList<>();
    final List<Process> children = new ArrayList<>();

    CraneTestCluster(String nodes, int nodeTimeoutSec) throws IOException {
        dir = Files.createTempDirectory(Path.of("/tmp"), "crane-node-test");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        work = Files.createDirectories(dir.resolve("work"));
        Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxrwxrwx"));
        CtldConfig cfg = CtldConfig.parse("ClusterName=test\n"
                + "Node name=" + nodes + " cpus=2 mem=1G\n"
                + "Partition name=debug nodes=" + nodes + " default=yes priority=1 maxtime=1-0\n");
        cfg.stateDir = dir.resolve("state");
        cfg.listenPort = 0;
        cfg.schedulerIntervalMs = 200;
        cfg.minPassGapMs = 0;
        cfg.nodeDaemons = true;
        cfg.nodeTimeoutSec = nodeTimeoutSec;
        server = CraneServer.start(cfg, Clock.SYSTEM, KEY);
        channel = NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
        CraneGrpc.CraneBlockingStub root = root();
        root.accountOp(AccountOpRequest.newBuilder().setAddAccount(AddAccount.newBuilder().setName("phys")).build());
        root.accountOp(AccountOpRequest.newBuilder().setAddUser(AddUser.newBuilder().setUser(user()).setAccount("phys")).build());
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
        return stub(server.issue(Credential.Scope.USER, "root", Duration.ofHours(1)));
    }

    /** The user who submits (the test's own user: jobs run as it). */
    CraneGrpc.CraneBlockingStub submitter() {
        return stub(server.issue(Credential.Scope.USER, user(), Duration.ofHours(1)));
    }

    String nodeCredential(String node) {
        return server.issue(Credential.Scope.NODE, node, Duration.ofHours(1));
    }

    Path spool(String node) {
        return dir.resolve("spool-" + node);
    }

    CranedConfig cranedConfig(String node) {
        CranedConfig c = new CranedConfig();
        c.nodeName = node;
        c.controllerPort = server.port();
        c.credential = nodeCredential(node);
        c.spoolDir = spool(node).toString();
        c.cpus = 2;
        c.memMb = 1024;
        c.gpus = 0;
        c.heartbeatMs = 200;
        c.killWaitMs = 1000;
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
        Files.writeString(conf, "NodeName=" + node + "\nControllerAddress=127.0.0.1\nControllerPort=" + server.port()
                + "\nCredentialFile=" + dir.resolve("%n.cred") + "\nSpoolDir=" + dir.resolve("spool-%n")
                + "\nCPUs=2\nMemory=1G\nGpus=0\nHeartbeatInterval=0.2\nKillWait=1\n");
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
        server.close();
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
