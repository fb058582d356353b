package org.scow.crane.craned.bench;

import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.scow.crane.ctld.Clock;
import org.scow.crane.ctld.CtldConfig;
import org.scow.crane.craned.CranedConfig;
import org.scow.crane.craned.NodeDaemon;
import org.scow.crane.protocol.Credential;
import org.scow.crane.protocol.Wire;
import org.scow.crane.protocol.v1.AccountOpRequest;
import org.scow.crane.protocol.v1.AddAccount;
import org.scow.crane.protocol.v1.AddUser;
import org.scow.crane.protocol.v1.CraneGrpc;
import org.scow.crane.protocol.v1.JobRequest;
import org.scow.crane.protocol.v1.SubmitBatchRequest;
import org.scow.crane.server.CraneServer;

/**
 * End-to-end throughput of real trivial jobs, run by hand (no assertions, not a test):
 * <pre>
 *   cd plugins-scheduler-crane/crane-craned
 *   mvn -o -q dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
 *   java -Xmx1g -cp "target/classes:target/test-classes:$(cat target/cp.txt)" \
 *        org.scow.crane.craned.bench.EndToEndBench MODE N [NODES] [THREADS]
 *     MODE: loop (N single SubmitJob calls, one after another) | par (THREADS submit loops) |
 *           array (one SubmitJob with --array=1-N) | batch (one SubmitBatch of N)
 * </pre>
 * A cranectld with {@code NodeDaemons=true} (WAL with real fsync) and NODES craned daemons (default 4, 4 CPUs
 * each, like slurm-up.sh's defaults) in this JVM, talking gRPC over loopback. Every job is
 * {@code #!/bin/sh\ntrue} with output to /dev/null, 1 CPU, as the user running the harness: a real process launched
 * by the real executor (cgroups when writable), its end reported through {@code ReportJobsFinished}. Prints the
 * same line as {@code slurm-bench.sh}: submit time and rate, and the time from the first submission until the
 * controller has no live job (the queue drained), with its rate.
 */
public final class EndToEndBench {
    private EndToEndBench() {
    }

    public static void main(String[] args) throws Exception {
        String mode = args.length > 0 ? args[0] : "loop";
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        int nodes = args.length > 2 ? Integer.parseInt(args[2]) : 4;
        int threads = args.length > 3 ? Integer.parseInt(args[3]) : 4;
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "crane-e2e");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        CtldConfig cfg = CtldConfig.parse("ClusterName=bench\nNode name=b[1-" + nodes + "] cpus=4 mem=4000M\n"
                + "Partition name=debug nodes=b[1-" + nodes + "] default=yes maxtime=1-0\n");
        cfg.stateDir = dir.resolve("state");
        cfg.listenPort = 0;
        cfg.schedulerIntervalMs = 1000;
        cfg.minPassGapMs = 20;
        cfg.nodeDaemons = true;
        cfg.maxArraySize = Math.max(cfg.maxArraySize, n);
        String user = System.getProperty("user.name");
        List<NodeDaemon> daemons = new ArrayList<>();
        try (CraneServer server = CraneServer.start(cfg, Clock.SYSTEM)) {
            for (int i = 1; i <= nodes; i++) {
                CranedConfig c = new CranedConfig();
                c.nodeName = "b" + i;
                c.controllerPort = server.port();
                c.credential = server.issue(Credential.Scope.NODE, c.nodeName, Duration.ofHours(1));
                c.spoolDir = dir.resolve("spool-" + c.nodeName).toString();
                c.cpus = 4;
                c.memMb = 4000;
                c.gpus = 0;
                c.heartbeatMs = 1000;
                daemons.add(NodeDaemon.start(c));
            }
            for (NodeDaemon d : daemons) d.awaitReconciled(30, TimeUnit.SECONDS);
            ManagedChannel ch = NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext()
                    .maxInboundMessageSize(Wire.MAX_MESSAGE_BYTES).build();
            stub(ch, server, "root").accountOp(AccountOpRequest.newBuilder().setAddAccount(AddAccount.newBuilder().setName("bench")).build());
            stub(ch, server, "root").accountOp(AccountOpRequest.newBuilder().setAddUser(AddUser.newBuilder().setUser(user).setAccount("bench")).build());
            CraneGrpc.CraneBlockingStub u = stub(ch, server, user);
            JobRequest job = JobRequest.newBuilder().setName("bench").setAccount("bench").setTimeLimit("10")
                    .setWorkDir("/tmp").setCpusPerTask(1).setMem("100M").setStdout("/dev/null")
                    .setScript("#!/bin/sh\ntrue\n").build();
            Thread.sleep(500); // nodes IDLE after their registration
            long t0 = System.nanoTime();
            switch (mode) {
                case "loop" -> {
                    for (int i = 0; i < n; i++) u.submitJob(job);
                }
                case "par" -> {
                    List<Thread> ts = new ArrayList<>();
                    int per = n / threads;
                    n = per * threads;
                    for (int t = 0; t < threads; t++) {
                        Thread th = new Thread(() -> {
                            for (int i = 0; i < per; i++) u.submitJob(job);
                        });
                        th.start();
                        ts.add(th);
                    }
                    for (Thread th : ts) th.join();
                }
                case "array" -> u.submitJob(job.toBuilder().setArray("1-" + n).build());
                case "batch" -> {
                    SubmitBatchRequest.Builder b = SubmitBatchRequest.newBuilder();
                    for (int i = 0; i < n; i++) b.addJobs(job);
                    u.submitBatch(b.build());
                }
                default -> throw new IllegalArgumentException("mode: loop | par | array | batch");
            }
            long t1 = System.nanoTime();
            long deadline = t1 + TimeUnit.MINUTES.toNanos(30);
            while (server.controller().liveCount() > 0) {
                if (System.nanoTime() > deadline) throw new IllegalStateException("timeout: " + server.controller().liveCount() + " live");
                Thread.sleep(50);
            }
            long t2 = System.nanoTime();
            double sub = (t1 - t0) / 1e9;
            double drain = (t2 - t0) / 1e9;
            long failed = server.controller().history(0, Long.MAX_VALUE, 0, Integer.MAX_VALUE).stream()
                    .filter(v -> v.state() != org.scow.crane.protocol.JobState.COMPLETED)
                    .peek(v -> System.out.println("not completed: " + v.id() + " " + v.state() + " exit " + v.exitCode()))
                    .count();
            System.out.printf("crane %s N=%d nodes=%d submit=%.2fs (%.1f jobs/s) drain=%.2fs (%.1f jobs/s)%s%n",
                    mode, n, nodes, sub, n / sub, drain, n / drain, failed > 0 ? "  [" + failed + " not COMPLETED]" : "");
            ch.shutdownNow();
        } finally {
            for (NodeDaemon d : daemons) d.close();
        }
    }

    private static CraneGrpc.CraneBlockingStub stub(ManagedChannel ch, CraneServer server, String user) {
        Metadata md = new Metadata();
        md.put(Wire.CREDENTIAL, server.issue(Credential.Scope.USER, user, Duration.ofHours(1)));
        return CraneGrpc.newBlockingStub(ch).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(md));
    }
}
