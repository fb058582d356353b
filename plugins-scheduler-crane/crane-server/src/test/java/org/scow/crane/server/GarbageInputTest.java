package org.scow.crane.server;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.fail;

import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.scow.crane.protocol.Credential;
import org.scow.crane.protocol.Wire;
import org.scow.crane.protocol.v1.AccountOpRequest;
import org.scow.crane.protocol.v1.AddAccount;
import org.scow.crane.protocol.v1.AddUser;
import org.scow.crane.protocol.v1.CraneGrpc;
import org.scow.crane.protocol.v1.Empty;
import org.scow.crane.protocol.v1.JobQuery;
import org.scow.crane.protocol.v1.JobRef;
import org.scow.crane.protocol.v1.JobRequest;

/**
 * Garbage on the socket and undecodable messages get an error or a closed connection, never a crash or a change of
 * state; well-formed requests with bad values are refused with the field named, and leave no trace.
 */
public class GarbageInputTest {
    private TestServer ts;

    @Before
    public void start() throws Exception {
        ts = new TestServer(null, null);
        ts.root().accountOp(AccountOpRequest.newBuilder().setAddAccount(AddAccount.newBuilder().setName("phys")).build());
        ts.root().accountOp(AccountOpRequest.newBuilder().setAddUser(AddUser.newBuilder().setUser("alice")
                .setAccount("phys")).build());
    }

    @After
    public void stop() {
        ts.close();
    }

    private static JobRequest.Builder job() {
        return JobRequest.newBuilder().setName("ok").setAccount("phys").setTimeLimit("10").setWorkDir("/tmp")
                .setScript("#!/bin/sh\ntrue\n").setHold(true);
    }

    private String state() {
        return ts.root().queryJobs(JobQuery.newBuilder().setIncludeFinished(true).build()).toString()
                + ts.root().transactionLog(Empty.getDefaultInstance()).getEntriesList()
                + ts.root().queryAccounts(Empty.getDefaultInstance());
    }

    @Test
    public void garbageBytesOnTheSocketChangeNothing() throws Exception {
        long first = ts.as("alice").submitJob(job().build()).getJobId();
        // the answer comes once the job is durable; the pass its submission poked settles the reason a moment later
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!ts.root().getJob(JobRef.newBuilder().setJobId(first).build()).getReason().equals("JobHeldUser")) {
            if (System.nanoTime() > deadline) throw new AssertionError("the held job never got its reason");
            Thread.sleep(10);
        }
        String before = state();
        Random random = new Random(7);
        byte[] noise = new byte[64 * 1024];
        random.nextBytes(noise);
        byte[] preface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        byte[] prefaceThenNoise = new byte[preface.length + 4096];
        System.arraycopy(preface, 0, prefaceThenNoise, 0, preface.length);
        System.arraycopy(noise, 0, prefaceThenNoise, preface.length, 4096);
        // a frame header announcing a 16 MiB DATA frame on a stream that was never opened
        byte[] hugeFrame = {(byte) 0xff, (byte) 0xff, (byte) 0xff, 0, 0, 0, 0, 0, 1};
        byte[] prefaceThenHugeFrame = new byte[preface.length + hugeFrame.length];
        System.arraycopy(preface, 0, prefaceThenHugeFrame, 0, preface.length);
        System.arraycopy(hugeFrame, 0, prefaceThenHugeFrame, preface.length, hugeFrame.length);
        List<byte[]> attacks = List.of(noise, new byte[0],
                "GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII),
                prefaceThenNoise, prefaceThenHugeFrame);
        for (byte[] attack : attacks) {
            sendAndDrain(ts.server.port(), attack);
        }
        assertEquals("garbage changed the controller state", before, state());
        long next = ts.as("alice").submitJob(job().build()).getJobId();
        assertEquals("ids continue without a gap", first + 1, next);
    }

    @Test
    public void undecodableMessagesAreRefused() throws Exception {
        String before = state();
        Random random = new Random(11);
        for (int i = 0; i < 20; i++) {
            byte[] junk = new byte[1 + random.nextInt(2000)];
            random.nextBytes(junk);
            StatusRuntimeException e = callWithRawBytes(junk);
            // a buffer that happens to parse reaches the controller as an empty or odd request and is refused there
            assertNotEquals(Status.Code.OK, e.getStatus().getCode());
        }
        assertEquals(before, state());
        // a message that parses but carries nonsense is refused with the field named
        TestServer.expect("INVALID_ARGUMENT", "workDir", () -> ts.as("alice").submitJob(job().setWorkDir("").build()));
        TestServer.expect("INVALID_ARGUMENT", "script", () -> ts.as("alice").submitJob(job().setScript("").build()));
        TestServer.expect("INVALID_ARGUMENT", "timeLimit", () -> ts.as("alice").submitJob(job().setTimeLimit("1:xx").build()));
        TestServer.expect("INVALID_ARGUMENT", "timeLimit", () -> ts.as("alice").submitJob(job().setTimeLimit("-3").build()));
        TestServer.expect("INVALID_ARGUMENT", "nodes", () -> ts.as("alice").submitJob(job().setNodes(-1).build()));
        TestServer.expect("INVALID_ARGUMENT", "cpusPerTask", () -> ts.as("alice").submitJob(job().setCpusPerTask(0).build()));
        TestServer.expect("NOT_FOUND", "partition", () -> ts.as("alice").submitJob(job().setPartition("nope").build()));
        TestServer.expect("NOT_FOUND", "account", () -> ts.as("alice").submitJob(job().setAccount("nope").build()));
        TestServer.expect("INVALID_ARGUMENT", "array", () -> ts.as("alice").submitJob(job().setArray("1-99999999").build()));
        TestServer.expect("INVALID_ARGUMENT", "array", () -> ts.as("alice").submitJob(job().setArray("5-1").build()));
        TestServer.expect("INVALID_ARGUMENT", "name", () -> ts.as("alice").submitJob(job().setName("a\u0000b").build()));
        TestServer.expect("IMPOSSIBLE", "resources", () -> ts.as("alice").submitJob(job().setNodes(9).build()));
        assertEquals("refused requests left a trace", before, state());
        assertEquals(1, ts.as("alice").submitJob(job().build()).getJobId());
    }

    /** SubmitJob with an arbitrary payload in place of a JobRequest, through a real gRPC call. */
    private StatusRuntimeException callWithRawBytes(byte[] payload) {
        MethodDescriptor.Marshaller<byte[]> raw = new MethodDescriptor.Marshaller<>() {
            @Override
            public InputStream stream(byte[] value) {
                return new ByteArrayInputStream(value);
            }

            @Override
            public byte[] parse(InputStream stream) {
                try {
                    return stream.readAllBytes();
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }
        };
        MethodDescriptor<byte[], byte[]> method = CraneGrpc.getSubmitJobMethod().toBuilder(raw, raw).build();
        Metadata md = new Metadata();
        md.put(Wire.CREDENTIAL, ts.server.issue(Credential.Scope.USER, "alice", Duration.ofHours(1)));
        ClientCall<byte[], byte[]> call = io.grpc.ClientInterceptors.intercept(ts.channel,
                MetadataUtils.newAttachHeadersInterceptor(md)).newCall(method, CallOptions.DEFAULT
                .withDeadlineAfter(10, java.util.concurrent.TimeUnit.SECONDS));
        try {
            ClientCalls.blockingUnaryCall(call, payload);
        } catch (StatusRuntimeException e) {
            return e;
        }
        fail("random bytes were accepted as a job");
        return null;
    }

    /** Writes {@code bytes} on a fresh connection and reads until the server closes it or stays quiet. */
    private static void sendAndDrain(int port, byte[] bytes) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(2000);
            OutputStream out = s.getOutputStream();
            try {
                out.write(bytes);
                out.flush();
            } catch (IOException closedEarly) {
                return; // the server hung up mid-write: exactly what garbage deserves
            }
            InputStream in = s.getInputStream();
            byte[] buf = new byte[8192];
            try {
                while (in.read(buf) >= 0) {
                    // drain whatever the server answers (e.g. an HTTP/2 GOAWAY)
                }
            } catch (SocketTimeoutException | java.net.SocketException quietOrReset) {
                // the server keeps an idle connection open or resets it; both are fine
            }
        }
    }
}
