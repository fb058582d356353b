package org.scow.crane.server;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.fail;

import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.function.Consumer;
import org.scow.crane.ctld.Clock;
import org.scow.crane.ctld.CtldConfig;
import org.scow.crane.protocol.Credential;
import org.scow.crane.protocol.Wire;
import org.scow.crane.protocol.v1.CraneGrpc;
import org.scow.crane.protocol.v1.Job;
import org.scow.crane.protocol.v1.JobRef;

/** A cranectld on a free loopback port with a fixed test key, and stubs that carry credentials. */
final class TestServer implements AutoCloseable {
    static final byte[] KEY = new byte[32];

    static {
        Arrays.fill(KEY, (byte) 42);
    }

    final CraneServer server;
    final ManagedChannel channel;

    TestServer(Path state, Consumer<CtldConfig> tweak) throws IOException {
        CtldConfig cfg = CtldConfig.parse("""
                ClusterName=test
                Node name=cn[1-2] cpus=4 mem=8G
                Node name=g1 cpus=8 mem=32G gres=gpu:a100:2
                Partition name=cpu nodes=cn[1-2] default=yes priority=1 maxtime=1-0
                Partition name=gpu nodes=g1 priority=1 maxtime=1-0
                """);
        cfg.stateDir = state;
        cfg.listenPort = 0;
        // passes only when poked, so tests decide when scheduling happens
        cfg.schedulerIntervalMs = 3_600_000;
        cfg.minPassGapMs = 0;
        if (tweak != null) tweak.accept(cfg);
        server = CraneServer.start(cfg, Clock.SYSTEM, KEY);
        channel = NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
    }

    /** A stub that presents {@code credential} (and acts for {@code onBehalfOf} when not null). */
    CraneGrpc.CraneBlockingStub stub(String credential, String onBehalfOf) {
        Metadata md = new Metadata();
        if (credential != null) md.put(Wire.CREDENTIAL, credential);
        if (onBehalfOf != null) md.put(Wire.ON_BEHALF_OF, onBehalfOf);
        return CraneGrpc.newBlockingStub(channel).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(md))
                .withDeadlineAfter(30, java.util.concurrent.TimeUnit.SECONDS);
    }

    CraneGrpc.CraneBlockingStub as(String user) {
        return stub(server.issue(Credential.Scope.USER, user, Duration.ofHours(1)), null);
    }

    CraneGrpc.CraneBlockingStub root() {
        return as("root");
    }

    /** Polls a job until it reaches {@code state}. */
    Job await(long id, String state) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        Job j;
        while (!(j = root().getJob(JobRef.newBuilder().setJobId(id).build())).getState().equals(state)) {
            if (System.nanoTime() > deadline) fail("job " + id + " did not become " + state + ": " + j);
            Thread.sleep(20);
        }
        return j;
    }

    /** Runs {@code call}, which must fail with the controller code {@code code} (and {@code field} when not null). */
    static StatusRuntimeException expect(String code, String field, Runnable call) {
        try {
            call.run();
        } catch (StatusRuntimeException e) {
            Metadata t = e.getTrailers();
            assertEquals(e.getStatus() + " " + e.getStatus().getDescription(), code,
                    t == null ? null : t.get(Wire.ERROR_CODE));
            if (field != null) assertEquals(e.getStatus().getDescription(), field, t.get(Wire.ERROR_FIELD));
            return e;
        }
        fail("expected " + code + (field == null ? "" : " on " + field) + " but the call succeeded");
        return null;
    }

    @Override
    public void close() {
        channel.shutdownNow();
        server.close();
    }
}
