package org.scow.crane.server;

import java.util.List;
import org.scow.crane.ctld.account.AccountStore;
import org.scow.crane.ctld.account.AccountStore.Op;
import org.scow.crane.ctld.util.TimeSpec;
import org.scow.crane.protocol.v1.AccountOpRequest;
import org.scow.crane.protocol.v1.QosSpec;

/** Builds the controller's account-system {@link Op} from a typed protocol request (argument order per AccountStore). */
final class AccountOps {
    private AccountOps() {
    }

    static Op toOp(AccountOpRequest r) {
        return switch (r.getOpCase()) {
            case ADD_ACCOUNT -> {
                var a = r.getAddAccount();
                yield op(AccountStore.ADD_ACCOUNT, new String[] {a.getName(), given(a.getParent()),
                        text("description", a.getDescription()), given(a.getDefaultQos()),
                        csv("partitions", a.getPartitionsList()), csv("qos", a.getQosList())}, a.getShares());
            }
            case DELETE_ACCOUNT -> op(AccountStore.DELETE_ACCOUNT, new String[] {r.getDeleteAccount().getName()});
            case MODIFY_ACCOUNT -> {
                var a = r.getModifyAccount();
                if (a.getShares() < 0) throw Errors.invalid("shares", "must not be negative");
                yield op(AccountStore.MODIFY_ACCOUNT, new String[] {a.getName(), given(a.getDefaultQos()),
                        a.getSetPartitions() ? csv("partitions", a.getPartitionsList()) : null,
                        a.getSetQos() ? csv("qos", a.getQosList()) : null}, a.getShares());
            }
            case ADD_USER -> {
                var u = r.getAddUser();
                yield op(AccountStore.ADD_USER, new String[] {u.getUser(), u.getAccount(),
                        csv("partitions", u.getPartitionsList()), csv("qos", u.getQosList()), given(u.getDefaultQos())});
            }
            case REMOVE_USER -> op(AccountStore.REMOVE_USER,
                    new String[] {r.getRemoveUser().getUser(), r.getRemoveUser().getAccount()});
            case DELETE_USER -> op(AccountStore.DELETE_USER, new String[] {r.getDeleteUser().getUser()});
            case SET_ADMIN_LEVEL -> op(AccountStore.SET_LEVEL,
                    new String[] {r.getSetAdminLevel().getUser(), r.getSetAdminLevel().getLevel()});
            case SET_COORDINATOR -> op(AccountStore.SET_COORDINATOR,
                    new String[] {r.getSetCoordinator().getUser(), r.getSetCoordinator().getAccount()},
                    r.getSetCoordinator().getCoordinator() ? 1 : 0);
            case ADD_QOS -> qos(AccountStore.ADD_QOS, r.getAddQos());
            case MODIFY_QOS -> qos(AccountStore.MODIFY_QOS, r.getModifyQos());
            case DELETE_QOS -> op(AccountStore.DELETE_QOS, new String[] {r.getDeleteQos().getName()});
            case BLOCK_ACCOUNT -> {
                var b = r.getBlockAccount();
                String parts = b.getPartitionsCount() == 0 ? null : csv("partitions", b.getPartitionsList());
                yield op(AccountStore.BLOCK_ACCOUNT, new String[] {b.getAccount(), parts}, b.getBlock() ? 1 : 0);
            }
            case BLOCK_USER -> op(AccountStore.BLOCK_USER,
                    new String[] {r.getBlockUser().getUser(), r.getBlockUser().getAccount()},
                    r.getBlockUser().getBlock() ? 1 : 0);
            case OP_NOT_SET -> throw Errors.invalid("op", "no account operation given");
        };
    }

    private static Op qos(int code, QosSpec q) {
        long[] n = {q.getPriority(), q.getMaxJobsPerUser(), q.getMaxSubmitPerUser(), q.getMaxCpusPerUser(),
            q.getMaxJobsPerAccount(), q.getMaxSubmitPerAccount(),
            q.getMaxWall().isEmpty() ? 0 : TimeSpec.parseDuration("maxWall", q.getMaxWall())};
        // "" rather than null: a modify sends the whole spec, so an empty list clears the preempt list
        String preempt = q.getPreemptCount() == 0 ? "" : csv("preempt", q.getPreemptList());
        return new Op(code, new String[] {q.getName(), preempt}, n);
    }

    private static Op op(int code, String[] s, long... n) {
        return new Op(code, s, n);
    }

    private static String given(String s) {
        return Messages.given(s);
    }

    /** Free text goes into the transaction log: one printable line, bounded. */
    private static String text(String field, String s) {
        if (s.isEmpty()) return null;
        if (s.length() > 1024 || s.chars().anyMatch(Character::isISOControl)) {
            throw Errors.invalid(field, "must be at most 1024 printable characters");
        }
        return s;
    }

    /** The store takes lists as comma-separated text; a name with a comma would silently become two names. */
    private static String csv(String field, List<String> names) {
        if (names.isEmpty()) return null;
        for (String n : names) {
            if (n.isEmpty() || n.indexOf(',') >= 0) throw Errors.invalid(field, "'" + n + "' is not a name");
        }
        return String.join(",", names);
    }
}
