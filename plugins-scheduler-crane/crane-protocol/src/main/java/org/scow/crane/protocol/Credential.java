package org.scow.crane.protocol;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Locale;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A bearer credential signed by the controller's secret key: {@code crane1:<scope>:<principal>:<expiry>:<mac>} with
 * {@code mac = base64url(HMAC-SHA256(key, "crane1:<scope>:<principal>:<expiry>"))}. Only holders of the key (root on
 * the head node, the controller itself) can mint one, so a valid credential proves who the caller is; the name is
 * never taken from a request field.
 *
 * <p>Scopes: {@link Scope#USER} acts as its principal; {@link Scope#PROXY} (the platform driver) acts as its
 * principal or, per call, on behalf of any user; {@link Scope#NODE} is a node daemon named by the principal.
 */
public record Credential(Scope scope, String principal, long expiresEpochSec) {
    private static final String VERSION = "crane1";
    private static final String ALGORITHM = "HmacSHA256";
    /** Same rule as account and user names (no ':'), so the text form splits unambiguously. */
    private static final Pattern PRINCIPAL = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    /** Smallest key the controller accepts. */
    public static final int MIN_KEY_BYTES = 32;

    public enum Scope { USER, PROXY, NODE }

    public Credential {
        if (scope == null) throw new IllegalArgumentException("scope is required");
        if (principal == null || !PRINCIPAL.matcher(principal).matches()) {
            throw new IllegalArgumentException("principal '" + principal + "' must be a valid user or node name");
        }
        if (expiresEpochSec <= 0) throw new IllegalArgumentException("expiry must be positive");
    }

    /** The text form, signed with {@code key}. */
    public String sign(byte[] key) {
        String body = body();
        return body + ":" + mac(key, body);
    }

    private String body() {
        return VERSION + ":" + scope.name().toLowerCase(Locale.ROOT) + ":" + principal + ":" + expiresEpochSec;
    }

    /**
     * Parses and checks a credential.
     *
     * @throws InvalidCredentialException saying what is wrong: malformed, bad signature or expired
     */
    public static Credential verify(String text, byte[] key, long nowEpochSec) throws InvalidCredentialException {
        if (text == null || text.isEmpty()) throw new InvalidCredentialException("no credential given");
        if (text.length() > 512) throw new InvalidCredentialException("credential too long");
        String[] parts = text.trim().split(":", -1);
        if (parts.length != 5 || !parts[0].equals(VERSION)) {
            throw new InvalidCredentialException("malformed credential (expected crane1:scope:principal:expiry:mac)");
        }
        String body = text.trim().substring(0, text.trim().lastIndexOf(':'));
        // compare MACs in constant time so response timing does not reveal a prefix of the right MAC
        byte[] expected = mac(key, body).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected, parts[4].getBytes(StandardCharsets.US_ASCII))) {
            throw new InvalidCredentialException("credential signature does not verify");
        }
        Credential c;
        try {
            c = new Credential(Scope.valueOf(parts[1].toUpperCase(Locale.ROOT)), parts[2], Long.parseLong(parts[3]));
        } catch (IllegalArgumentException e) {
            throw new InvalidCredentialException("malformed credential: " + e.getMessage());
        }
        if (c.expiresEpochSec < nowEpochSec) {
            throw new InvalidCredentialException("credential of '" + c.principal + "' expired at " + c.expiresEpochSec);
        }
        return c;
    }

    private static String mac(byte[] key, String body) {
        if (key == null || key.length < MIN_KEY_BYTES) {
            throw new IllegalArgumentException("the key must have at least " + MIN_KEY_BYTES + " bytes");
        }
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(key, ALGORITHM));
            byte[] sig = mac.doFinal(body.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(sig);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java 17 runtime", e);
        }
    }

    /** A credential that is malformed, forged or expired. */
    public static final class InvalidCredentialException extends Exception {
        private static final long serialVersionUID = 1L;

        public InvalidCredentialException(String message) {
            super(message);
        }
    }
}
