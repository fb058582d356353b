package org.scow.federation;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.scow.api.scheduler.util.Names;

/**
 * What this center lets one peer do: run work on {@code cluster} under local accounts, as local users.
 *
 * <p>Accounts: {@code peerAccount} names the peer's account exactly and {@code localAccount} the local account it
 * runs under; or both end with {@code *}, and every peer account starting with the peer prefix runs under the local
 * prefix followed by the same rest ({@code proj*} to {@code fed-a-proj*}: {@code proj7} runs as {@code fed-a-proj7}).
 * A pattern's local prefix must not be empty, so a peer's accounts always stay in a namespace of their own.
 *
 * <p>Users: {@code users} maps each peer user who may act to the local Unix user their jobs run as (never a system
 * account; several peer users may share one local service user). A peer user not listed cannot act.
 *
 * @param id            assigned by the store
 * @param peer          the peer's center id
 * @param cluster       the local cluster id, or {@code *} for every cluster
 * @param peerAccount   the peer's account name or prefix pattern
 * @param localAccount  the local account name or prefix pattern
 * @param users         peer user to local user
 * @param creditLimit   most this center lends the peer on this grant, in the center's currency (&gt;= 0)
 * @param blocked       blocked by this center: no new jobs, whatever the peer says
 * @param comment       free text, may be null
 * @param createdAt     when the grant was made
 */
public record Grant(Long id, String peer, String cluster, String peerAccount, String localAccount,
                    Map<String, String> users, BigDecimal creditLimit, boolean blocked, String comment,
                    Instant createdAt) {
    /** Longest serialised user map. */
    public static final int MAX_USERS_TEXT = 4000;

    public Grant {
        requireName("peer", peer);
        if (!"*".equals(cluster)) {
            requireName("cluster", cluster);
        }
        boolean pattern = peerAccount != null && peerAccount.endsWith("*");
        if (pattern != (localAccount != null && localAccount.endsWith("*"))) {
            throw new IllegalArgumentException("localAccount: must end with * exactly when peerAccount does");
        }
        if (pattern) {
            String p = peerAccount.substring(0, peerAccount.length() - 1);
            if (!p.isEmpty()) {
                requireName("peerAccount", p);
            }
            requireName("localAccount", localAccount.substring(0, localAccount.length() - 1));
        } else {
            requireName("peerAccount", peerAccount);
            requireName("localAccount", localAccount);
        }
        users = users == null ? Map.of() : Map.copyOf(users);
        if (users.isEmpty()) {
            throw new IllegalArgumentException("users: at least one peer user must be mapped to a local user");
        }
        users.forEach((p, l) -> {
            requireName("users", p);
            requireName("users", l);
        });
        if (creditLimit == null || creditLimit.signum() < 0 || creditLimit.scale() > 4
                || creditLimit.precision() - creditLimit.scale() > 15) {
            throw new IllegalArgumentException("creditLimit: must be a non-negative amount with at most 4 decimals");
        }
        if (comment != null && comment.length() > 1000) {
            throw new IllegalArgumentException("comment: at most 1000 characters");
        }
        if (serialise(users).length() > MAX_USERS_TEXT) {
            throw new IllegalArgumentException("users: too many (at most " + MAX_USERS_TEXT + " characters)");
        }
    }

    public boolean isPattern() {
        return peerAccount.endsWith("*");
    }

    public boolean appliesTo(String clusterId) {
        return "*".equals(cluster) || cluster.equals(clusterId);
    }

    /** The local account a peer account runs under, when this grant covers it. */
    public Optional<String> localAccountFor(String account) {
        if (account == null) {
            return Optional.empty();
        }
        if (!isPattern()) {
            return account.equals(peerAccount) ? Optional.of(localAccount) : Optional.empty();
        }
        String p = prefix(peerAccount);
        if (!account.startsWith(p) || account.length() == p.length()) {
            return Optional.empty();
        }
        String local = prefix(localAccount) + account.substring(p.length());
        return Names.isValid(local) ? Optional.of(local) : Optional.empty();
    }

    /** The peer's name of a local account, when this grant covers it. */
    public Optional<String> peerAccountFor(String local) {
        if (local == null) {
            return Optional.empty();
        }
        if (!isPattern()) {
            return local.equals(localAccount) ? Optional.of(peerAccount) : Optional.empty();
        }
        String l = prefix(localAccount);
        if (!local.startsWith(l) || local.length() == l.length()) {
            return Optional.empty();
        }
        return Optional.of(prefix(peerAccount) + local.substring(l.length()));
    }

    public Optional<String> localUser(String peerUser) {
        return Optional.ofNullable(peerUser == null ? null : users.get(peerUser));
    }

    /** The peer user of a local user; when several share it, the first in name order. */
    public Optional<String> peerUser(String localUser) {
        return users.entrySet().stream().filter(e -> e.getValue().equals(localUser)).map(Map.Entry::getKey)
                .sorted().findFirst();
    }

    /** {@code alice=fed-alice,bob=fed-bob}: how users are stored and configured. */
    public static String serialise(Map<String, String> users) {
        StringBuilder s = new StringBuilder();
        users.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
            if (s.length() > 0) {
                s.append(',');
            }
            s.append(e.getKey()).append('=').append(e.getValue());
        });
        return s.toString();
    }

    /** Reads {@link #serialise}'s form; the error names the field {@code users}. */
    public static Map<String, String> parseUsers(String text) {
        Map<String, String> users = new LinkedHashMap<>();
        if (text == null || text.isBlank()) {
            return users;
        }
        for (String pair : text.split(",")) {
            String[] kv = pair.trim().split("=", -1);
            if (kv.length != 2 || !Names.isValid(kv[0].trim()) || !Names.isValid(kv[1].trim())) {
                throw new IllegalArgumentException("users: each entry must be peerUser=localUser with valid names");
            }
            if (users.put(kv[0].trim(), kv[1].trim()) != null) {
                throw new IllegalArgumentException("users: '" + kv[0].trim() + "' is mapped twice");
            }
        }
        return users;
    }

    private static String prefix(String pattern) {
        return pattern.substring(0, pattern.length() - 1);
    }

    private static void requireName(String field, String value) {
        if (!Names.isValid(value)) {
            throw new IllegalArgumentException(field + ": '" + (value == null ? "" : value) + "' " + Names.RULE);
        }
    }
}
