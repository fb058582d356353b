package org.scow.crane.server.bench;

import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import org.scow.crane.ctld.Clock;
import org.scow.crane.ctld.CtldConfig;
import org.scow.crane.protocol.Credential;
import org.scow.crane.protocol.Wire;
import org.scow.crane.protocol.v1.AccountOpRequest;
import org.scow.crane.protocol.v1.AddAccount;
import org.scow.crane.protocol.v1.AddUser;
import org.scow.crane.protocol.v1.CraneGrpc;
import org.scow.crane.protocol.v1.JobRequest;
import org.scow.crane.protocol.v1.SubmitBatchRequest;
import org.scow.crane.protocol.v1.Submitted;
import org.scow.crane.server.CraneServer;

/**
 * Submission throughput through the gRPC protocol, run by hand (no assertions, not a test):
 * <pre>
 *   java -cp "target/classes:target/test-classes:$(cat cp.txt)" org.scow.crane.server.bench.ProtocolBench [seconds]
 * </pre>
 * One controller with a real WAL (fsync) in a temporary directory, loopback gRPC with credentials, durable
 * acknowledgements. Cases: single submissions from 1 and 8 client threads (blocking stubs), from 1 thread keeping 64 in flight
 * (async stub), then batches of 1000 from 1 thread.
 * Scheduling is off (interval and poked gap of an hour) so the figures measure the submission path only.
 */
public final class ProtocolBench {
    private ProtocolBench() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        CtldConfig cfg = CtldConfig.parse("""
                ListenPort=0
                SchedulerIntervalMs=3600000
                MinPassGapMs=3600000
                Node name=cn[1-100] cpus=64 mem=256G
                Partition name=cpu nodes=cn[1-100] default=yes
                """);
        cfg.stateDir = Files.createTempDirectory("crane-bench");
        try (CraneServer server = CraneServer.start(cfg, Clock.SYSTEM)) {
            ManagedChannel ch = NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext()
                    .maxInboundMessageSize(Wire.MAX_MESSAGE_BYTES).build();
            stub(ch, server, "root").accountOp(AccountOpRequest.newBuilder().setAddAccount(AddAccount.newBuilder().setName("a1")).build());
            stub(ch, server, "root").accountOp(AccountOpRequest.newBuilder().setAddUser(AddUser.newBuilder().setUser("u1").setAccount("a1")).build());
            CraneGrpc.CraneBlockingStub u1 = stub(ch, server, "u1");
            JobRequest job = JobRequest.newBuilder().setName("bench").setAccount("a1").setTimeLimit("10")
                    .setWorkDir("/tmp").setScript("#!/bin/sh\ntrue\n").build();
            single(u1, job, 1, 1); // warm-up
            System.out.printf("single, 1 thread : %,8.0f jobs/s%n", single(u1, job, 1, seconds));
            System.out.printf("single, 8 threads: %,8.0f jobs/s%n", single(u1, job, 8, seconds));
            System.out.printf("single, 1 thread, 64 in flight (async stub): %,8.0f jobs/s%n",
                    pipelined(asyncStub(ch, server, "u1"), job, 64, seconds));
            SubmitBatchRequest.Builder b = SubmitBatchRequest.newBuilder();
            for (int i = 0; i < 1000; i++) b.addJobs(job);
            SubmitBatchRequest batch = b.build();
            long n = 0;
            long t0 = System.nanoTime();
            while (System.nanoTime() - t0 < seconds * 1_000_000_000L) {
                n += u1.submitBatch(batch).getOutcomesCount();
            }
            System.out.printf("batch of 1000    : %,8.0f jobs/s%n", n / ((System.nanoTime() - t0) / 1e9));
            long[] wal = server.controller().walStats();
            System.out.printf("controller: %d live jobs; WAL %s%n", server.controller().liveCount(),
                    wal == null ? "-" : java.util.Arrays.toString(wal));
            ch.shutdownNow();
        }
    }

    private static CraneGrpc.CraneBlockingStub stub(ManagedChannel ch, CraneServer server, String user) {
        Metadata md = new Metadata();
        md.put(Wire.CREDENTIAL, server.issue(Credential.Scope.USER, user, Duration.ofHours(1)));
        return CraneGrpc.newBlockingStub(ch).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(md));
    }

    private static CraneGrpc.CraneStub asyncStub(ManagedChannel ch, CraneServer server, String user) {
        Metadata md = new Metadata();
        md.put(Wire.CREDENTIAL, server.issue(Credential.Scope.USER, user, Duration.ofHours(1)));
        return CraneGrpc.newStub(ch).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(md));
    }

    /** One thread keeps {@code inFlight} single-job calls outstanding: how a client that pipelines submits. */
    private static double pipelined(CraneGrpc.CraneStub stub, JobRequest job, int inFlight, int seconds)
            throws InterruptedException {
        Semaphore slots = new Semaphore(inFlight);
        AtomicLong n = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        long t0 = System.nanoTime();
        long end = t0 + seconds * 1_000_000_000L;
        while (System.nanoTime() < end) {
            slots.acquire();
            stub.submitJob(job, new StreamObserver<>() {
                @Override
                public void onNext(Submitted value) {
                    n.incrementAndGet();
                }

                @Override
                public void onError(Throwable t) {
                    failed.incrementAndGet();
                    slots.release();
                }

                @Override
                public void onCompleted() {
                    slots.release();
                }
            });
        }
        slots.acquire(inFlight);
        if (failed.get() > 0) System.out.println("  failed calls: " + failed.get());
        return n.get() / ((System.nanoTime() - t0) / 1e9);
    }

    private static double single(CraneGrpc.CraneBlockingStub stub, JobRequest job, int threads, int seconds)
            throws InterruptedException {
        AtomicLong n = new AtomicLong();
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        List<Thread> ts = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int i = 0; i < threads; i++) {
            Thread t = new Thread(() -> {
                while (System.nanoTime() < end) {
                    stub.submitJob(job);
                    n.incrementAndGet();
                }
            });
            ts.add(t);
            t.start();
        }
        for (Thread t : ts) t.join();
        return n.get() / ((System.nanoTime() - t0) / 1e9);
    }
}
