package org.scow.billing.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.persistence.EntityManager;
import org.scow.billing.Balance;
import org.scow.management.ManagementException;

/**
 * Idempotent money writes. A client that may retry (a timeout, a double click, a proxy resending) sends the same
 * {@code Idempotency-Key} with each try; the first try moves the money and is remembered in the same transaction,
 * every later one answers what the first answered and moves nothing. The same key with a different request is a
 * mistake the client must hear about (422), not a silent replay of something else.
 */
final class IdempotencyKeys {
    /** Header the REST API reads the key from. */
    static final String HEADER = "Idempotency-Key";
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,127}");

    private IdempotencyKeys() {
    }

    /** The key as given, or null when none was; 400 for a malformed one. */
    static String check(String key) {
        if (key == null || key.isEmpty()) {
            return null;
        }
        if (!KEY.matcher(key).matches()) {
            throw ManagementException.invalid(HEADER, "must be 1 to 128 letters, digits, '.', '_', ':' or '-' "
                    + "(a UUID is a good choice)");
        }
        return key;
    }

    /** A digest of what the request asked for: operation, target and values. */
    static String fingerprint(Object... parts) {
        StringBuilder s = new StringBuilder();
        for (Object p : parts) {
            s.append(p instanceof java.math.BigDecimal b ? b.stripTrailingZeros().toPlainString() : p).append('\u0000');
        }
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(s.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The remembered answer of an earlier write under this key; 422 when that write asked for something else. */
    static Optional<Balance> replay(EntityManager em, String actor, String key, String fingerprint) {
        IdempotencyEntity e = em.find(IdempotencyEntity.class, id(actor, key));
        if (e == null) {
            return Optional.empty();
        }
        if (!e.fingerprint.equals(fingerprint)) {
            throw new ManagementException(422, "IDEMPOTENCY_KEY_REUSED", HEADER + ": this key was used for another "
                    + "request (" + e.operation + " on " + e.targetType.toLowerCase() + " '" + e.target + "'); use "
                    + "a new key for a new payment or charge", Map.of("field", HEADER));
        }
        return Optional.of(new Balance(e.targetType, e.target, e.resultBalance, e.resultThreshold,
                e.resultBelow));
    }

    /** Remembers a write's answer, inside the write's own transaction. */
    static void remember(EntityManager em, String actor, String key, String operation, String fingerprint,
                         Balance result, Instant now) {
        IdempotencyEntity e = new IdempotencyEntity();
        e.idKey = id(actor, key);
        e.operation = operation;
        e.fingerprint = fingerprint;
        e.targetType = result.targetType();
        e.target = result.target();
        e.resultBalance = result.balance();
        e.resultThreshold = result.threshold();
        e.resultBelow = result.belowThreshold();
        e.createdAt = now;
        em.persist(e);
    }

    private static String id(String actor, String key) {
        return (actor == null ? "" : actor) + "\n" + key;
    }
}
