package org.scow.federation;

import java.net.URI;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import org.scow.api.scheduler.util.Names;

/**
 * Another center this center trusts, as configured here (factory PID {@code org.scow.federation.peer}).
 *
 * @param id         the peer's center id, as it signs its requests
 * @param name       name shown to people
 * @param url        base URL of the peer's REST API (http or https, no query)
 * @param publicKey  the peer's Ed25519 public key, X.509 in base64
 */
public record Peer(String id, String name, String url, String publicKey) {
    public Peer {
        if (!Names.isValid(id)) {
            throw new IllegalArgumentException("id: " + Names.RULE);
        }
        name = name == null || name.isBlank() ? id : name;
        url = checkUrl(url);
        key(publicKey);
    }

    /** The public key, parsed. */
    public PublicKey key() {
        return key(publicKey);
    }

    /** Parses an Ed25519 public key given in base64 X.509 form; the error names the field {@code publicKey}. */
    public static PublicKey key(String base64) {
        if (base64 == null || base64.isBlank()) {
            throw new IllegalArgumentException("publicKey: is required");
        }
        try {
            PublicKey key = KeyFactory.getInstance("Ed25519")
                    .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64.trim())));
            return key;
        } catch (Exception e) {
            throw new IllegalArgumentException("publicKey: not an Ed25519 public key in base64 X.509 form");
        }
    }

    private static String checkUrl(String url) {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("url: is required");
        }
        URI u;
        try {
            u = URI.create(url.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("url: is not a URL");
        }
        if (!("http".equals(u.getScheme()) || "https".equals(u.getScheme())) || u.getHost() == null
                || u.getRawQuery() != null || u.getRawFragment() != null || u.getRawUserInfo() != null) {
            throw new IllegalArgumentException("url: must be http(s)://host[:port][/path] without query or user");
        }
        String s = u.toString();
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }
}
