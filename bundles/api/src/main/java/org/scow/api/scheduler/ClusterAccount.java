package org.scow.api.scheduler;

import java.util.List;

/**
 * An account as the cluster knows it, with its users and block flags.
 *
 * @param name     account name
 * @param owner    owner user id, when the scheduler records one, else null
 * @param block    block state overall and per partition
 * @param users    members
 */
public record ClusterAccount(String name, String owner, AccountBlockStatus block, List<Member> users) {
    public ClusterAccount {
        users = List.copyOf(users);
    }

    /** A user in the account; {@code blocked} means the user may not submit under this account. */
    public record Member(String userId, boolean blocked) {
    }
}
