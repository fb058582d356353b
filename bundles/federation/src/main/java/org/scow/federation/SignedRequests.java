package org.scow.federation;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The signed-request protocol between centers. The caller sends {@value #CENTER}, {@value #USER}, {@value #DATE},
 * {@value #NONCE} and {@value #SIGNATURE}; the signature is Ed25519 over {@link #canonical}: method, raw path and
 * query, caller center, acting user, date, nonce and the SHA-256 of the body, one per line. The receiver refuses
 * dates outside its clock-skew window and nonces it has already seen within that window (replays).
 */
public final class SignedRequests {
    /** Calling center's id. */
    public static final String CENTER = "X-Scow-Center";
    /** The home center's user on whose behalf the call is made ({@value #CENTER_ACTOR} for the center itself). */
    public static final String USER = "X-Scow-Acting-User";
    /** ISO-8601 instant of the call. */
    public static final String DATE = "X-Scow-Date";
    /** A value never used twice by the caller (16 random bytes in hex). */
    public static final String NONCE = "X-Scow-Nonce";
    /** Base64 Ed25519 signature of {@link #canonical}. */
    public static final String SIGNATURE = "X-Scow-Signature";
    /** Acting user of calls the platform makes by itself (account sync, probes). */
    public static final String CENTER_ACTOR = "-center-";
    /** First line of the canonical string: the protocol version. */
    public static final String VERSION = "SCOW-FED-1";
    /** Path prefix of the endpoints peers call. */
    public static final String PEER_PATH = "/api/v1/federation/peer/";

    private SignedRequests() {
    }

    /** The text that is signed. {@code pathAndQuery} is the raw (still percent-encoded) path plus {@code ?query}. */
    public static String canonical(String method, String pathAndQuery, String center, String user, String date,
                                   String nonce, byte[] body) {
        return VERSION + "\n" + method.toUpperCase(java.util.Locale.ROOT) + "\n" + pathAndQuery + "\n" + center + "\n"
                + user + "\n" + date + "\n" + nonce + "\n" + sha256(body == null ? new byte[0] : body);
    }

    /** The response's signer: the answering center's id (the same header name as a request's caller). */
    public static final String RESPONDER = CENTER;
    /** First line of a signed response's canonical string. */
    public static final String RESPONSE_VERSION = "SCOW-FED-1-RESPONSE";

    /**
     * The text a center signs over its answer to a peer's call: the status, the answering center, the nonce of the
     * request it answers (so an answer cannot be replayed to another call) and the SHA-256 of the body. The answer
     * carries {@value #RESPONDER} and {@value #SIGNATURE}; the caller checks them with the key it configured for the
     * peer, so a man in the middle can neither forge nor alter what a peer says.
     */
    public static String responseCanonical(int status, String center, String requestNonce, byte[] body) {
        return RESPONSE_VERSION + "\n" + status + "\n" + center + "\n" + requestNonce + "\n"
                + sha256(body == null ? new byte[0] : body);
    }

    /** Whether {@code signature} (base64 Ed25519) over {@code text} verifies with {@code key}. */
    public static boolean verifies(java.security.PublicKey key, String text, String signature) {
        if (signature == null) {
            return false;
        }
        try {
            java.security.Signature v = java.security.Signature.getInstance("Ed25519");
            v.initVerify(key);
            v.update(utf8(text));
            return v.verify(java.util.Base64.getDecoder().decode(signature.trim()));
        } catch (java.security.GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    public static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
