package org.scow.federation.client;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import org.scow.api.scheduler.ErrorCode;
import org.scow.api.scheduler.SchedulerException;
import org.scow.federation.FederationAudit;
import org.scow.federation.Peer;
import org.scow.federation.SignedRequests;

/**
 * Signed JSON calls to a peer's federation endpoints. Every call carries this center's id, the acting home user, the
 * date, a fresh random nonce and the Ed25519 signature ({@link SignedRequests}); the answer must be signed by the
 * peer over our nonce, or it is refused as UNAVAILABLE; every call, answered or not, is audited (direction OUT).
 * The peer's error body ({@code code}, {@code message}) becomes the same {@link SchedulerException}, so callers see the peer cluster's errors as if it were local.
 */
public final class PeerClient {
    static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String centerId;
    private final Function<byte[], String> signer;
    private final Function<String, Optional<Peer>> peers;
    private final Consumer<FederationAudit.Entry> audit;
    private final Duration timeout;
    private final HttpClient http;

    public PeerClient(String centerId, Function<byte[], String> signer, Function<String, Optional<Peer>> peers,
                      Consumer<FederationAudit.Entry> audit, Duration timeout) {
        this.centerId = centerId;
        this.signer = signer;
        this.peers = peers;
        this.audit = audit;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).version(HttpClient.Version.HTTP_1_1).build();
    }

    /**
     * Calls {@code method path} at {@code peerId} as {@code actor} and reads the answer as {@code type} (null for
     * an empty answer).
     *
     * @param path  absolute path with query, every segment already percent-encoded
     */
    public <T> T call(String peerId, String method, String path, Object body, String actor, TypeReference<T> type)
            throws SchedulerException {
        Peer peer = peers.apply(peerId).orElseThrow(() -> new SchedulerException(ErrorCode.UNAVAILABLE,
                "peer '" + peerId + "' is not configured at this center (etc/org.scow.federation.peer-*.cfg)"));
        byte[] bytes;
        try {
            bytes = body == null ? new byte[0] : JSON.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new SchedulerException(ErrorCode.INTERNAL, "could not write the request: " + e.getMessage());
        }
        URI uri = URI.create(peer.url() + path);
        String pathAndQuery = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        String date = Instant.now().toString();
        byte[] n = new byte[16];
        RANDOM.nextBytes(n);
        String nonce = HexFormat.of().formatHex(n);
        String signature = signer.apply(SignedRequests.utf8(SignedRequests.canonical(method, pathAndQuery, centerId,
                actor, date, nonce, bytes)));
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout)
                .header(SignedRequests.CENTER, centerId)
                .header(SignedRequests.USER, actor)
                .header(SignedRequests.DATE, date)
                .header(SignedRequests.NONCE, nonce)
                .header(SignedRequests.SIGNATURE, signature)
                .header("Accept", "application/json")
                .method(method, bytes.length == 0 ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(bytes));
        if (bytes.length > 0) {
            request.header("Content-Type", "application/json");
        }
        long started = System.nanoTime();
        int status = 0;
        String problem = null;
        try {
            HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            status = response.statusCode();
            String unsigned = unsignedBecause(peer, status, nonce, response);
            if (unsigned != null) {
                problem = "answer not trusted: " + unsigned;
                throw new SchedulerException(ErrorCode.UNAVAILABLE, "peer '" + peerId + "' " + problem);
            }
            if (status >= 400) {
                SchedulerException e = error(peerId, status, response.body());
                problem = e.code() + ": " + e.getMessage();
                throw e;
            }
            if (type == null || response.body().length == 0) {
                return null;
            }
            return JSON.readValue(response.body(), type);
        } catch (HttpTimeoutException e) {
            problem = "no answer within " + timeout.toSeconds() + " s";
            throw new SchedulerException(ErrorCode.UNAVAILABLE, "peer '" + peerId + "': " + problem);
        } catch (IOException e) {
            problem = status == 0 ? "unreachable: " + e : "unreadable answer: " + e.getMessage();
            throw new SchedulerException(status == 0 ? ErrorCode.UNAVAILABLE : ErrorCode.INTERNAL,
                    "peer '" + peerId + "' " + problem);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            problem = "interrupted";
            throw new SchedulerException(ErrorCode.UNAVAILABLE, "call to peer '" + peerId + "' interrupted");
        } finally {
            audit.accept(new FederationAudit.Entry(null, Instant.now(), FederationAudit.Direction.OUT, peerId, actor,
                    method, uri.getRawPath(), status, (System.nanoTime() - started) / 1_000_000, problem));
        }
    }

    /**
     * Why the answer cannot be trusted as the peer's (null: it can): every answer, errors included, must carry the
     * peer's id and its signature over status, our nonce and the body ({@link SignedRequests#responseCanonical}).
     */
    static String unsignedBecause(Peer peer, int status, String nonce, HttpResponse<byte[]> response) {
        String responder = response.headers().firstValue(SignedRequests.RESPONDER).orElse(null);
        String signature = response.headers().firstValue(SignedRequests.SIGNATURE).orElse(null);
        if (responder == null || signature == null) {
            return "HTTP " + status + " without " + SignedRequests.RESPONDER + " and " + SignedRequests.SIGNATURE
                    + " (not a SCOW center, or one too old to sign its answers)";
        }
        if (!peer.id().equals(responder)) {
            return "signed by '" + (responder.length() > 64 ? responder.substring(0, 64) : responder)
                    + "', not by the peer";
        }
        if (!SignedRequests.verifies(peer.key(), SignedRequests.responseCanonical(status, responder, nonce,
                response.body()), signature)) {
            return "the signature does not verify with the key configured for the peer (altered on the way?)";
        }
        return null;
    }

    /** The peer's error answer as the scheduler error it stands for. */
    public static SchedulerException error(String peerId, int status, byte[] body) {
        String code = null;
        String message = "HTTP " + status;
        Map<String, String> details = Map.of();
        try {
            JsonNode n = JSON.readTree(body);
            code = n.path("code").asText(null);
            message = n.path("message").asText(message);
            if (n.path("details").isObject()) {
                details = new java.util.HashMap<>();
                for (var it = n.path("details").fields(); it.hasNext(); ) {
                    var f = it.next();
                    details.put(f.getKey(), f.getValue().asText());
                }
            }
        } catch (IOException | RuntimeException e) {
            // not our error body (a proxy's page): the status decides
        }
        ErrorCode mapped = null;
        if (code != null) {
            try {
                mapped = ErrorCode.valueOf(code);
            } catch (IllegalArgumentException e) {
                mapped = null;
            }
        }
        if (mapped == null) {
            mapped = switch (status) {
                case 400 -> ErrorCode.INVALID_ARGUMENT;
                case 401, 403 -> ErrorCode.PERMISSION_DENIED;
                case 404, 503 -> ErrorCode.UNAVAILABLE; // CLUSTER_NOT_FOUND / CLUSTER_OFFLINE: no usable cluster
                default -> ErrorCode.INTERNAL;
            };
            message = "peer '" + peerId + "': " + message;
        }
        return new SchedulerException(mapped, message, details);
    }
}
