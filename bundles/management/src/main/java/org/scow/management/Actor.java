package org.scow.management;

/**
 * Who performs an operation, for the audit log: for REST requests the authenticated caller.
 *
 * @param userId    acting user, or {@code anonymous}
 * @param sourceIp  client address when known, else null
 */
public record Actor(String userId, String sourceIp) {
    public static final Actor SYSTEM = new Actor("system", null);

    public Actor {
        userId = userId == null || userId.isBlank() ? "anonymous" : userId.trim();
    }
}
