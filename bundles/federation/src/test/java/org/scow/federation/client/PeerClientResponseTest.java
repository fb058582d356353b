package org.scow.federation.client;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import com.fasterxml.jackson.core.type.TypeReference;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.scow.api.scheduler.ErrorCode;
import org.scow.api.scheduler.SchedulerException;
import org.scow.federation.FederationAudit;
import org.scow.federation.Peer;
import org.scow.federation.SignedRequests;
import org.scow.federation.internal.CenterKeys;

/**
 * The home center trusts a peer's answer only when the peer signed it over our call's nonce: a real HTTP server plays
 * the peer and answers signed, tampered, unsigned, stranger-signed and replayed answers.
 */
public class PeerClientResponseTest {
    /** How the fake peer answers the next call. */
    private enum Mode { SIGNED, TAMPERED, UNSIGNED, STRANGER, OTHER_NONCE, SIGNED_ERROR }

    private HttpServer server;
    private CenterKeys b;
    private CenterKeys stranger;
    private volatile Mode mode = Mode.SIGNED;
    private final List<FederationAudit.Entry> audit = new CopyOnWriteArrayList<>();
    private PeerClient client;

    @Before
    public void start() throws Exception {
        b = CenterKeys.generate();
        stranger = CenterKeys.generate();
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            String nonce = exchange.getRequestHeaders().getFirst(SignedRequests.NONCE);
            int status = mode == Mode.SIGNED_ERROR ? 404 : 200;
            byte[] body = (mode == Mode.SIGNED_ERROR ? "{\"code\":\"JOB_NOT_FOUND\",\"message\":\"no job '7'\"}"
                    : "{\"value\":42}").getBytes(StandardCharsets.UTF_8);
            String signedNonce = mode == Mode.OTHER_NONCE ? "0".repeat(32) : nonce;
            CenterKeys signer = mode == Mode.STRANGER ? stranger : b;
            String signature = signer.sign(SignedRequests.utf8(SignedRequests.responseCanonical(status, "b",
                    signedNonce, body)));
            if (mode == Mode.TAMPERED) {
                body = "{\"value\":43}".getBytes(StandardCharsets.UTF_8);
            }
            if (mode != Mode.UNSIGNED) {
                exchange.getResponseHeaders().add(SignedRequests.RESPONDER, "b");
                exchange.getResponseHeaders().add(SignedRequests.SIGNATURE, signature);
            }
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        Peer peer = new Peer("b", "B", "http://127.0.0.1:" + server.getAddress().getPort(), b.publicKeyBase64());
        CenterKeys a = CenterKeys.generate();
        client = new PeerClient("a", a::sign, id -> id.equals("b") ? Optional.of(peer) : Optional.empty(),
                audit::add, Duration.ofSeconds(5));
    }

    @After
    public void stop() {
        server.stop(0);
    }

    private Map<String, Integer> call() throws SchedulerException {
        return client.call("b", "GET", SignedRequests.PEER_PATH + "x", null, "alice",
                new TypeReference<Map<String, Integer>>() { });
    }

    @Test
    public void aSignedAnswerIsRead() throws Exception {
        assertEquals(Integer.valueOf(42), call().get("value"));
        assertEquals(null, audit.get(audit.size() - 1).message());
    }

    @Test
    public void aSignedErrorIsThePeersError() {
        mode = Mode.SIGNED_ERROR;
        try {
            call();
            fail("a 404 answer");
        } catch (SchedulerException e) {
            assertEquals(ErrorCode.JOB_NOT_FOUND, e.code());
        }
    }

    @Test
    public void untrustedAnswersAreRefusedAndAudited() {
        for (Mode m : List.of(Mode.TAMPERED, Mode.UNSIGNED, Mode.STRANGER, Mode.OTHER_NONCE)) {
            mode = m;
            try {
                call();
                fail(m + " answer was accepted");
            } catch (SchedulerException e) {
                assertEquals(m.toString(), ErrorCode.UNAVAILABLE, e.code());
                assertTrue(m + ": " + e.getMessage(), e.getMessage().contains("answer not trusted"));
            }
            String problem = audit.get(audit.size() - 1).message();
            assertTrue(m + ": " + problem, problem != null && problem.startsWith("answer not trusted"));
        }
    }
}
