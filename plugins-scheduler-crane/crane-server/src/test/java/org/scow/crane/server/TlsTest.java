package org.scow.crane.server;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.scow.crane.ctld.Clock;
import org.scow.crane.ctld.CtldConfig;
import org.scow.crane.protocol.Channels;
import org.scow.crane.protocol.Credential;
import org.scow.crane.protocol.TestCertificates;
import org.scow.crane.protocol.Wire;
import org.scow.crane.protocol.v1.CraneGrpc;
import org.scow.crane.protocol.v1.Empty;

/** The gRPC port under TLS: trusted clients get through, plaintext and untrusting clients do not. */
public class TlsTest {
    @ClassRule
    public static TemporaryFolder tmp = new TemporaryFolder();
    private static Path cert;
    private static Path key;
    private static Path otherCert;

    @BeforeClass
    public static void certificates() throws Exception {
        cert = TestCertificates.selfSigned(tmp.getRoot().toPath(), "ctld");
        key = TestCertificates.key(cert);
        otherCert = TestCertificates.selfSigned(tmp.getRoot().toPath(), "other");
    }

    private static CtldConfig config(String extra) {
        CtldConfig cfg = CtldConfig.parse("""
                Node name=cn1 cpus=2 mem=1G
                Partition name=cpu nodes=cn1 default=yes
                """ + extra);
        cfg.listenPort = 0;
        return cfg;
    }

    private static String whoAmI(ManagedChannel ch, CraneServer server) {
        Metadata md = new Metadata();
        md.put(Wire.CREDENTIAL, server.issue(Credential.Scope.USER, "root", Duration.ofMinutes(5)));
        try {
            return CraneGrpc.newBlockingStub(ch).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(md))
                    .withDeadlineAfter(20, TimeUnit.SECONDS).whoAmI(Empty.getDefaultInstance()).getActor();
        } finally {
            ch.shutdownNow();
        }
    }

    @Test
    public void trustedClientsSpeakTlsAndNoOtherClientGetsThrough() throws Exception {
        CtldConfig cfg = config("TlsCertFile=" + cert + "\nTlsKeyFile=" + key + "\n");
        cfg.stateDir = tmp.newFolder().toPath();
        try (CraneServer server = CraneServer.start(cfg, Clock.SYSTEM, TestServer.KEY)) {
            assertEquals("root", whoAmI(Channels.open("127.0.0.1", server.port(), cert), server));
            assertEquals("root", whoAmI(Channels.open("localhost", server.port(), cert), server));
            for (Path trust : new Path[] {null, otherCert}) {
                try {
                    whoAmI(Channels.open("127.0.0.1", server.port(), trust), server);
                    fail("a client trusting " + trust + " got through");
                } catch (StatusRuntimeException e) {
                    assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode());
                }
            }
        }
    }

    @Test
    public void plaintextOffLoopbackIsRefusedUnlessAllowed() throws Exception {
        try {
            CraneServer.checkTransport(config("ListenAddress=0.0.0.0\n"));
            fail("plaintext on 0.0.0.0 accepted");
        } catch (IllegalArgumentException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("TlsCertFile"));
        }
        CraneServer.checkTransport(config("ListenAddress=0.0.0.0\nAllowPlaintext=true\n"));
        CraneServer.checkTransport(config("ListenAddress=0.0.0.0\nTlsCertFile=" + cert + "\nTlsKeyFile=" + key + "\n"));
        CraneServer.checkTransport(config("ListenAddress=127.0.0.1\n"));
        try {
            CraneServer.checkTransport(config("TlsCertFile=" + cert + "\n"));
            fail("a certificate without its key accepted");
        } catch (IllegalArgumentException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("together"));
        }
    }

    @Test
    public void aMissingCertificateStopsStartUpWithAClearMessageAndLeavesNoState() throws Exception {
        Path state = tmp.newFolder().toPath();
        CtldConfig cfg = config("TlsCertFile=/nonexistent/cert.pem\nTlsKeyFile=" + key + "\n");
        cfg.stateDir = state;
        try {
            CraneServer.start(cfg, Clock.SYSTEM, TestServer.KEY).close();
            fail("started without its certificate");
        } catch (IOException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("/nonexistent/cert.pem"));
        }
        try (var files = Files.list(state)) {
            assertEquals("nothing written", 0, files.count());
        }
    }
}
