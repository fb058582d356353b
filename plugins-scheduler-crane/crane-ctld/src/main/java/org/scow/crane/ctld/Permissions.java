package org.scow.crane.ctld;

import org.scow.crane.ctld.account.Account;
import org.scow.crane.ctld.account.AccountStore;
import org.scow.crane.ctld.account.AdminLevel;
import org.scow.crane.ctld.account.Membership;
import org.scow.crane.ctld.model.Job;
import org.scow.crane.ctld.wal.Event;
import org.scow.crane.protocol.JobState;

/**
 * Who may do what, by admin level and account role: users act on their own jobs; account coordinators on their
 * account subtree; operators on jobs, nodes, partitions and the account system; admins on everything. The actor is
 * the caller's identity as proven by the protocol layer, never a request field. Reads the account store under the
 * controller lock.
 */
final class Permissions {
    private final AccountStore acct;

    Permissions(AccountStore acct) {
        this.acct = acct;
    }

    boolean operator(String actor) {
        return acct.level(actor).compareTo(AdminLevel.OPERATOR) >= 0;
    }

    void requireOperator(String actor, String what) {
        if (!operator(actor)) throw CtldException.denied(what + " needs operator rights");
    }

    /** The job's owner, an operator, or a coordinator of its account (or an ancestor). */
    boolean mayControl(String actor, Job j) {
        return actor.equals(j.desc.user()) || operator(actor) || acct.coordinates(actor, j.account);
    }

    void requireJobControl(String actor, Job j) {
        if (!mayControl(actor, j)) throw CtldException.denied("'" + actor + "' may not control job " + j.displayId());
    }

    /**
     * Checks a job-field change ({@code Event.MOD_*}) beyond control of the job: owners may only shorten a time
     * limit, set a non-negative nice and release their own holds; operators may do all of it.
     */
    void checkModify(String actor, Job j, int field, long value) {
        boolean op = operator(actor);
        switch (field) {
            case Event.MOD_HOLD, Event.MOD_HOLD_ADMIN -> {
                if (j.state != JobState.PENDING) throw CtldException.state("job " + j.displayId() + " is not pending");
            }
            case Event.MOD_RELEASE -> {
                if (j.state != JobState.PENDING || !j.held) throw CtldException.state("job " + j.displayId() + " is not held");
                if (j.heldByAdmin && !op) throw CtldException.denied("job " + j.displayId() + " was held by an administrator");
            }
            case Event.MOD_TIME_LIMIT -> {
                if (value > j.timeLimitSec && !op) throw CtldException.denied("only operators may extend a time limit");
                if (j.qos.maxWallSec > 0 && value > j.qos.maxWallSec && !op) {
                    throw new CtldException(CtldException.Code.LIMIT_EXCEEDED, "timeLimit", "exceeds QoS max wall");
                }
                if (j.partition.maxTimeSec > 0 && value > j.partition.maxTimeSec && !op) {
                    throw new CtldException(CtldException.Code.LIMIT_EXCEEDED, "timeLimit", "exceeds partition maximum");
                }
            }
            case Event.MOD_NICE -> {
                if (value < 0 && !op) throw CtldException.denied("only operators may set a negative nice value");
            }
            case Event.MOD_PRIORITY -> {
                if (!op) throw CtldException.denied("only operators may set a job priority");
            }
            default -> throw CtldException.invalid("field", "unknown");
        }
    }

    /**
     * Account-system changes: operators may do anything except changing admin levels (admins only); coordinators
     * may manage users, sub-accounts and blocks inside the subtree they coordinate (not other coordinators).
     */
    void authorize(String actor, AccountStore.Op op) {
        AdminLevel lvl = acct.level(actor);
        if (lvl == AdminLevel.ADMIN) return;
        if (op.code() == AccountStore.SET_LEVEL) throw CtldException.denied("only admins may change admin levels");
        if (lvl == AdminLevel.OPERATOR) return;
        String target = switch (op.code()) {
            case AccountStore.ADD_ACCOUNT -> op.s().length > 1 && op.s()[1] != null ? op.s()[1] : AccountStore.ROOT;
            case AccountStore.DELETE_ACCOUNT, AccountStore.MODIFY_ACCOUNT, AccountStore.BLOCK_ACCOUNT -> op.s().length > 0 ? op.s()[0] : null;
            case AccountStore.ADD_USER, AccountStore.REMOVE_USER, AccountStore.BLOCK_USER, AccountStore.SET_COORDINATOR ->
                    op.s().length > 1 ? op.s()[1] : null;
            default -> null;
        };
        Account a = target == null ? null : acct.account(target);
        if (a != null && acct.coordinates(actor, a) && op.code() != AccountStore.SET_COORDINATOR) return;
        throw CtldException.denied("'" + actor + "' may not " + op.describe());
    }

    /** Removing a user (from an account or entirely) with pending or running jobs is INVALID_STATE, as the SPI says. */
    void checkJobsBeforeRemoval(AccountStore.Op op) {
        if (op.code() == AccountStore.REMOVE_USER && op.s().length > 1) {
            Account a = acct.account(op.s()[1]);
            Membership m = a == null ? null : a.members.get(op.s()[0]);
            if (m != null && m.liveJobs > 0) throw CtldException.state("user '" + m.user + "' has " + m.liveJobs + " live job(s) in account '" + a.name + "'");
        }
        if (op.code() == AccountStore.DELETE_USER && op.s().length > 0) {
            var u = acct.user(op.s()[0]);
            if (u != null) {
                for (Membership m : u.memberships.values()) {
                    if (m.liveJobs > 0) throw CtldException.state("user '" + u.name + "' has live jobs in account '" + m.account.name + "'");
                }
            }
        }
    }
}
