package org.scow.api.auth;

import java.util.Set;

/**
 * A user as a directory knows it.
 *
 * @param userId        login name
 * @param name          display name
 * @param email         mail address, or null
 * @param uid           numeric Unix uid, or null when the directory has none
 * @param gid           numeric Unix primary gid, or null
 * @param homeDirectory home directory, or null
 * @param groups        directory groups the user belongs to
 */
public record UserIdentity(String userId, String name, String email, Long uid, Long gid, String homeDirectory,
                           Set<String> groups) {
    public UserIdentity {
        groups = groups == null ? Set.of() : Set.copyOf(groups);
    }
}
