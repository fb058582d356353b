package org.scow.scheduler.slurm.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import org.scow.api.scheduler.AccountBlockStatus;
import org.scow.api.scheduler.SchedulerException;

/**
 * The state of one account as its associations encode it. This is the driver's whole blocking model, read back
 * from slurmdbd every time, so a block is exactly as durable as Slurm's accounting database:
 * <ul>
 *   <li>account blocked everywhere: {@code GrpSubmitJobs=0} (with {@code GrpJobs=0}) on the account association,
 *       which limits every association below it;</li>
 *   <li>account blocked in partition P: {@code GrpSubmitJobs=0} on every member's partition-specific association
 *       (user, account, P), which Slurm prefers over the member's general association for jobs in P;</li>
 *   <li>user blocked in the account: {@code MaxSubmitJobs=0} (with {@code MaxJobs=0}) on every association of the
 *       user in the account, partition-specific ones included.</li>
 * </ul>
 */
public final class AccountView {
    /** Slurm's root of the association tree: not a platform account, and blocking it would stop the cluster. */
    static final String ROOT = "root";

    private final String name;
    private final List<Association> associations;

    public AccountView(String name, List<Association> all) {
        this.name = name;
        this.associations = all.stream().filter(a -> a.account().equals(name)).toList();
    }

    public String name() {
        return name;
    }

    public List<Association> associations() {
        return associations;
    }

    /** An account exists on the cluster when its own association does. */
    public boolean exists() {
        return self().isPresent();
    }

    /** This view, when the account exists and is a platform account (not Slurm's root). */
    public AccountView existing() throws SchedulerException {
        if (!exists() || ROOT.equals(name)) {
            throw SchedulerException.accountNotFound(name);
        }
        return this;
    }

    /** This view, when the user is a member. */
    public AccountView withMember(String user) throws SchedulerException {
        if (!isMember(user)) {
            throw SchedulerException.userNotInAccount(user, name);
        }
        return this;
    }

    public Optional<Association> self() {
        return associations.stream().filter(Association::isAccount).findFirst();
    }

    public boolean wholeBlocked() {
        return self().map(Association::grpBlocked).orElse(false);
    }

    /** Members: users with any association in the account, sorted. */
    public Set<String> members() {
        Set<String> users = new TreeSet<>();
        associations.stream().filter(a -> !a.isAccount()).forEach(a -> users.add(a.user()));
        return users;
    }

    public boolean isMember(String user) {
        return associations.stream().anyMatch(a -> a.user().equals(user));
    }

    public List<Association> of(String user) {
        return associations.stream().filter(a -> a.user().equals(user)).toList();
    }

    public Optional<Association> of(String user, String partition) {
        return associations.stream().filter(a -> a.user().equals(user) && a.partition().equals(partition))
                .findFirst();
    }

    /** Blocked when every association of the user in the account refuses submissions. */
    public boolean userBlocked(String user) {
        List<Association> mine = of(user);
        return !mine.isEmpty() && mine.stream().allMatch(Association::maxBlocked);
    }

    /** Blocked in the partition as a whole, or through every member's association for it. */
    public boolean blockedIn(String partition) {
        if (wholeBlocked()) {
            return true;
        }
        Set<String> members = members();
        return !members.isEmpty() && members.stream()
                .allMatch(u -> of(u, partition).map(Association::grpBlocked).orElse(false));
    }

    /** Partitions blocked through members' associations (not counting the whole-account block). */
    public Set<String> partitionBlocks(List<String> partitions) {
        Set<String> out = new TreeSet<>();
        if (members().isEmpty()) {
            return out;
        }
        for (String p : partitions) {
            if (members().stream().allMatch(u -> of(u, p).map(Association::grpBlocked).orElse(false))) {
                out.add(p);
            }
        }
        return out;
    }

    public AccountBlockStatus status(List<String> partitions) {
        Map<String, Boolean> map = new LinkedHashMap<>();
        for (String p : partitions) {
            map.put(p, blockedIn(p));
        }
        boolean all = wholeBlocked() || (!partitions.isEmpty() && map.values().stream().allMatch(b -> b));
        return new AccountBlockStatus(all, map);
    }
}
