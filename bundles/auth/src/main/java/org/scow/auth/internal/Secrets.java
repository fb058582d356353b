package org.scow.auth.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** API tokens, CSRF tokens and one-time passwords: generation, hashing and constant-time comparison. */
public final class Secrets {
    /** Prefix of API tokens, so that leaked ones are easy to recognise. */
    public static final String TOKEN_PREFIX = "scow_";
    private static final Pattern TOKEN = Pattern.compile("scow_[A-Za-z0-9_-]{43}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private Secrets() {
    }

    /** 32 random bytes, URL-safe Base64 without padding (43 characters). */
    public static String random() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    public static String newToken() {
        return TOKEN_PREFIX + random();
    }

    /** True when the text has the shape of an API token (checked before any database lookup). */
    public static boolean wellFormedToken(String token) {
        return token != null && token.length() == 48 && TOKEN.matcher(token).matches();
    }

    /** Hex SHA-256 of the token: what the database keeps. */
    public static String sha256(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Constant-time comparison; false when either is null. */
    public static boolean same(String expected, String given) {
        if (expected == null || given == null) {
            return false;
        }
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8));
    }

    /** A password for the initial admin that satisfies the default policy. */
    public static String oneTimePassword() {
        return "A1" + random().substring(0, 22);
    }
}
