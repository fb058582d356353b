package org.scow.crane.cli;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.InputStream;
import java.lang.reflect.Method;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.util.Map;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.scow.crane.ctld.util.TimeSpec;
import org.scow.crane.protocol.TestCertificates;
import org.scow.crane.protocol.Wire;
import org.scow.crane.protocol.v1.CraneGrpc;
import org.scow.crane.protocol.v1.Empty;
import org.scow.crane.protocol.v1.Identity;
import org.scow.crane.protocol.v1.JobList;
import org.scow.crane.protocol.v1.JobQuery;

/**
 * The commands' own gRPC client against the real server (grpc-java with Netty): requests and replies larger than
 * the HTTP/2 windows and frames, many calls on one connection, the server's errors; and against sockets that
 * misbehave: nobody listening, no answer before the deadline, a connection closed in the middle of a call.
 */
public class GrpcConnectionTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();
    private Cluster c;

    @Before
    public void start() throws Exception {
        c = new Cluster(tmp.getRoot().toPath());
        c.ok("root", "cacctmgr", "add", "account", "phys");
        c.ok("root", "cacctmgr", "add", "user", "alice", "Account=phys");
    }

    @After
    public void stop() {
        c.close();
    }

    private GrpcConnection connection() {
        return new GrpcConnection("127.0.0.1", c.server.port(), CraneClient.MAX_MESSAGE_BYTES);
    }

    private Map<String, String> credential(String user) throws Exception {
        return Map.of(CraneClient.CREDENTIAL_HEADER, Files.readString(c.credential(user)).strip());
    }

    @Test
    public void largeRequestsAndRepliesAndManyCallsOnOneConnection() throws Exception {
        // a script near the controller's 1 MiB limit: 16 DATA frames, more than the 64 KiB initial windows
        String script = "#!/bin/sh\n" + ("# " + "x".repeat(1000) + "\n").repeat(1000) + "sleep 1000\n";
        c.script("big.sh", script);
        c.ok("alice", "cbatch", "-H", "--comment", "c".repeat(1000), "--array", "1-1100", "big.sh");
        try (GrpcConnection conn = connection()) {
            Map<String, String> md = credential("alice");
            // 1100 jobs with 1 KB comments: a reply of more than 1 MB in many frames
            JobList all = conn.call(CraneGrpc.SERVICE_NAME + "/QueryJobs", JobQuery.getDefaultInstance(), JobList.parser(), md, 30_000);
            assertEquals(1100, all.getJobsCount());
            assertTrue(all.getSerializedSize() > 1_000_000);
            for (int i = 0; i < 200; i++) {
                Identity me = conn.call(CraneGrpc.SERVICE_NAME + "/WhoAmI", Empty.getDefaultInstance(), Identity.parser(), md, 30_000);
                assertEquals("alice", me.getActor());
            }
        }
    }

    @Test
    public void theServersRefusalsArriveWithTheirTrailers() throws Exception {
        try (GrpcConnection conn = connection()) {
            try {
                conn.call(CraneGrpc.SERVICE_NAME + "/WhoAmI", Empty.getDefaultInstance(), Identity.parser(),
                        Map.of(CraneClient.CREDENTIAL_HEADER, "crane1:user:alice:9999999999:AAAA"), 30_000);
                fail("a forged credential was accepted");
            } catch (GrpcConnection.CallFailure e) {
                assertEquals("UNAUTHENTICATED", e.code);
                assertEquals(Wire.UNAUTHENTICATED, e.trailers.get(CraneClient.ERROR_CODE_TRAILER));
            }
            // the same connection still works
            assertEquals("alice", conn.call(CraneGrpc.SERVICE_NAME + "/WhoAmI", Empty.getDefaultInstance(),
                    Identity.parser(), credential("alice"), 30_000).getActor());
            try {
                conn.call("crane.v1.Crane/NoSuchMethod", Empty.getDefaultInstance(), Identity.parser(), credential("alice"), 30_000);
                fail();
            } catch (GrpcConnection.CallFailure e) {
                assertEquals("UNIMPLEMENTED", e.code);
            }
        }
    }

    @Test
    public void socketsThatMisbehaveGiveAClearStatus() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        try (GrpcConnection conn = new GrpcConnection("127.0.0.1", closed, 1 << 20)) {
            conn.call("a/B", Empty.getDefaultInstance(), Empty.parser(), Map.of(), 5_000);
            fail();
        } catch (GrpcConnection.CallFailure e) {
            assertEquals("UNAVAILABLE", e.code);
        }
        try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             GrpcConnection conn = new GrpcConnection("127.0.0.1", silent.getLocalPort(), 1 << 20)) {
            // accepted by the kernel, never answered
            long t0 = System.nanoTime();
            conn.call("a/B", Empty.getDefaultInstance(), Empty.parser(), Map.of(), 300);
            fail("answered after " + (System.nanoTime() - t0) / 1_000_000 + " ms");
        } catch (GrpcConnection.CallFailure e) {
            assertEquals("DEADLINE_EXCEEDED", e.code);
        }
        try (ServerSocket rude = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             GrpcConnection conn = new GrpcConnection("127.0.0.1", rude.getLocalPort(), 1 << 20)) {
            Thread t = new Thread(() -> {
                try (Socket s = rude.accept(); InputStream in = s.getInputStream()) {
                    in.readNBytes(30); // part of the preface, then hang up
                } catch (Exception e) {
                    // the test fails on the client side if this did not happen
                }
            });
            t.start();
            conn.call("a/B", Empty.getDefaultInstance(), Empty.parser(), Map.of(), 30_000);
            fail();
        } catch (GrpcConnection.CallFailure e) {
            assertEquals("UNAVAILABLE", e.code);
        }
    }

    /** A call the server did not take (GOAWAY before its stream) is made again on a new connection. */
    @Test
    public void aCallTheServerDidNotTakeIsRepeatedOnANewConnection() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
             GrpcConnection conn = new GrpcConnection("127.0.0.1", server.getLocalPort(), 1 << 20)) {
            Thread t = new Thread(() -> {
                try {
                    try (Socket first = server.accept()) {
                        first.getInputStream().readNBytes(24); // the preface
                        // GOAWAY, last stream 0, NO_ERROR: the client's stream 1 was not processed
                        first.getOutputStream().write(new byte[] {0, 0, 8, 7, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0});
                        first.getOutputStream().flush();
                        first.getInputStream().readNBytes(1 << 16);
                    }
                    try (Socket second = server.accept()) {
                        CdsWarmup.answer(second);
                    }
                } catch (Exception e) {
                    // the client then fails the test
                }
            });
            t.setDaemon(true);
            t.start();
            Identity me = conn.call(CraneGrpc.SERVICE_NAME + "/WhoAmI", Empty.getDefaultInstance(), Identity.parser(), Map.of(), 30_000);
            assertEquals("nobody", me.getActor());
        }
    }

    /** The client's copies of crane-protocol constants, and its calls, match the protocol. */
    @Test
    public void theClientMatchesTheProtocol() throws Exception {
        assertEquals(Wire.CREDENTIAL.name(), CraneClient.CREDENTIAL_HEADER);
        assertEquals(Wire.ERROR_CODE.name(), CraneClient.ERROR_CODE_TRAILER);
        assertEquals(Wire.UNAUTHENTICATED, CraneClient.UNAUTHENTICATED);
        assertEquals(Wire.MAX_MESSAGE_BYTES, CraneClient.MAX_MESSAGE_BYTES);
        for (Method m : CraneClient.Stub.class.getDeclaredMethods()) {
            if (m.getName().equals("unary") || m.getName().equals("steps") || m.isSynthetic()) continue;
            String grpcName = Character.toUpperCase(m.getName().charAt(0)) + m.getName().substring(1);
            // the job-step calls belong to the CraneSteps service
            Class<?> service = m.getName().toLowerCase().contains("step")
                    ? org.scow.crane.protocol.v1.CraneStepsGrpc.class : CraneGrpc.class;
            io.grpc.MethodDescriptor<?, ?> d = (io.grpc.MethodDescriptor<?, ?>) service
                    .getMethod("get" + grpcName + "Method").invoke(null);
            Object req = ((io.grpc.MethodDescriptor.PrototypeMarshaller<?>) d.getRequestMarshaller()).getMessagePrototype();
            Object rep = ((io.grpc.MethodDescriptor.PrototypeMarshaller<?>) d.getResponseMarshaller()).getMessagePrototype();
            assertEquals(m.getName(), req.getClass(), m.getParameterTypes()[0]);
            assertEquals(m.getName(), rep.getClass(), m.getReturnType());
        }
        for (long s : new long[] {0, 1, 59, 60, 3599, 3600, 86399, 86400, 90061, 99 * 86400 + 1, TimeSpec.MAX_SECONDS}) {
            assertEquals(TimeSpec.formatDuration(s), Times.duration(s));
        }
    }

    @Test
    public void commandsSpeakTlsToAControllerThatServesItAndRefuseOtherwise() throws Exception {
        try (Cluster t = new Cluster(tmp.newFolder().toPath(), true)) {
            t.ok("root", "cacctmgr", "add", "account", "phys");
            t.ok("root", "cacctmgr", "add", "user", "alice", "Account=phys");
            t.script("hold.sh", "#!/bin/sh\nsleep 100\n");
            String id = t.ok("alice", "cbatch", "-H", "--parsable", "hold.sh").out().strip();
            assertTrue(t.ok("alice", "cqueue").out().contains(id));
            // the same command speaking plaintext to the TLS port: a clear error, no stack trace
            Map<String, String> plain = t.env("alice");
            plain.remove("CRANE_TLS_TRUST");
            Cluster.Result r = t.run(plain, "", "cqueue");
            assertTrue(r.toString(), r.exit() != 0 && !r.err().isBlank() && !r.err().contains("\tat "));
            // trusting another certificate: refused in the handshake
            Map<String, String> other = t.env("alice");
            other.put("CRANE_TLS_TRUST", TestCertificates.selfSigned(tmp.newFolder().toPath(), "other").toString());
            r = t.run(other, "", "cqueue");
            assertTrue(r.toString(), r.exit() != 0 && !r.err().isBlank() && !r.err().contains("\tat "));
        }
    }
}
