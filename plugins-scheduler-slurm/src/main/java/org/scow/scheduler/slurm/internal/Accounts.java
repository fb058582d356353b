package org.scow.scheduler.slurm.internal;

import static org.scow.scheduler.slurm.internal.Arguments.requireName;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.scow.api.scheduler.AccountBlockStatus;
import org.scow.api.scheduler.ClusterAccount;
import org.scow.api.scheduler.ErrorCode;
import org.scow.api.scheduler.Partition;
import org.scow.api.scheduler.SchedulerException;

/**
 * Accounts and memberships, kept in Slurm's accounting database through {@link Sacctmgr} and read back from it on
 * every call; blocks are {@link Blocks}' business and {@link AccountView} reads them.
 */
public final class Accounts {
    private final Sacctmgr sacctmgr;
    private final ClusterReader cluster;
    private final JobReader jobs;
    private final ChangeLock lock;

    Accounts(Sacctmgr sacctmgr, ClusterReader cluster, JobReader jobs, ChangeLock lock) {
        this.sacctmgr = sacctmgr;
        this.cluster = cluster;
        this.jobs = jobs;
        this.lock = lock;
    }

    // ---- reading ----------------------------------------------------------------------------------------------

    public List<String> listAccounts(String user) throws SchedulerException {
        requireName("userId", user);
        Set<String> accounts = sacctmgr.accountsOf(user);
        accounts.remove(AccountView.ROOT);
        return List.copyOf(accounts);
    }

    public AccountBlockStatus blockStatus(String account) throws SchedulerException {
        return existing(account).status(cluster.partitionNames());
    }

    public boolean isUserBlocked(String user, String account) throws SchedulerException {
        return member(user, account).userBlocked(user);
    }

    public List<ClusterAccount> all() throws SchedulerException {
        List<String> partitions = cluster.partitionNames();
        List<Association> assocs = sacctmgr.associations();
        Set<String> names = new TreeSet<>();
        assocs.stream().filter(Association::isAccount).forEach(a -> names.add(a.account()));
        names.remove(AccountView.ROOT);
        List<ClusterAccount> out = new ArrayList<>();
        for (String name : names) {
            AccountView v = new AccountView(name, assocs);
            List<ClusterAccount.Member> members = v.members().stream()
                    .map(u -> new ClusterAccount.Member(u, v.userBlocked(u))).toList();
            // Slurm records no owner: making the owner an account coordinator would let them lift blocks
            out.add(new ClusterAccount(name, null, v.status(partitions), members));
        }
        return out;
    }

    /**
     * Partitions the user may submit to under the account: none when the account or the user is blocked, else
     * those the account is not blocked in, that the partition's AllowAccounts/DenyAccounts admit, and that the
     * user's associations cover (a user with only partition-specific associations may use only those partitions).
     */
    public List<Partition> availablePartitions(String account, String user) throws SchedulerException {
        AccountView v = member(user, account);
        if (v.wholeBlocked() || v.userBlocked(user)) {
            return List.of();
        }
        boolean general = v.of(user, "").isPresent();
        List<Partition> out = new ArrayList<>();
        for (Map<String, String> r : cluster.partitionRecords()) {
            String p = r.get("PartitionName");
            boolean covered = general || v.of(user, p).isPresent();
            boolean blocked = v.blockedIn(p) || v.of(user, p).map(a -> a.grpBlocked() || a.maxBlocked()).orElse(false);
            if (covered && !blocked && admits(r, account)) {
                out.add(ClusterReader.partition(r));
            }
        }
        return out;
    }

    private static boolean admits(Map<String, String> partition, String account) {
        String allow = partition.getOrDefault("AllowAccounts", "ALL");
        String deny = partition.getOrDefault("DenyAccounts", "");
        return ("ALL".equals(allow) || List.of(allow.split(",")).contains(account))
                && !List.of(deny.split(",")).contains(account);
    }

    // ---- accounts ---------------------------------------------------------------------------------------------

    public void create(String account, String owner) throws SchedulerException {
        requireName("account", account);
        requireName("ownerUserId", owner);
        lock.run(() -> {
            if (sacctmgr.account(account).exists()) {
                throw SchedulerException.alreadyExists("account '" + account + "'");
            }
            String c = sacctmgr.cluster();
            sacctmgr.change(List.of("add", "account", account, "cluster=" + c));
            try {
                sacctmgr.change(List.of("add", "user", owner, "account=" + account, "cluster=" + c));
            } catch (SchedulerException e) {
                // leave no half-made account behind; the owner's error is the one to report
                try {
                    sacctmgr.change(List.of("delete", "account", "where", "name=" + account, "cluster=" + c));
                } catch (SchedulerException ignored) {
                    // the original failure explains the state better
                }
                throw e;
            }
        });
    }

    /** Deletes the account once it has no active jobs; members for whom it was everything go with it. */
    public void delete(String account) throws SchedulerException {
        requireName("account", account);
        lock.run(() -> {
            AccountView v = existing(account);
            int active = jobs.activeJobCount(List.of("--account=" + account));
            if (active > 0) {
                throw new SchedulerException(ErrorCode.INVALID_STATE, "account '" + account + "' still has " + active
                        + " pending or running job(s)", Map.of("account", account));
            }
            String c = sacctmgr.cluster();
            for (String user : v.members()) {
                if (!moveDefaultAway(user, account)) {
                    // the account is all the user has: Slurm only lets it go together with the user
                    sacctmgr.change(List.of("delete", "user", "where", "name=" + user, "account=" + account,
                            "cluster=" + c));
                }
            }
            sacctmgr.change(List.of("delete", "account", "where", "name=" + account, "cluster=" + c));
            if (!sacctmgr.accountOnAnyCluster(account)) {
                // deleting the cluster's associations leaves the account record behind in slurmdbd
                sacctmgr.change(List.of("delete", "account", "where", "name=" + account));
            }
        });
    }

    // ---- members ----------------------------------------------------------------------------------------------

    /** Adds the user (Slurm creates it when new) and extends the account's partition blocks to it. */
    public void addUser(String user, String account) throws SchedulerException {
        requireName("userId", user);
        requireName("account", account);
        lock.run(() -> {
            AccountView v = sacctmgr.account(account).existing();
            if (v.isMember(user)) {
                throw SchedulerException.alreadyExists("user '" + user + "' in account '" + account + "'");
            }
            Set<String> partitionBlocks = v.partitionBlocks(cluster.partitionNames());
            String c = sacctmgr.cluster();
            sacctmgr.change(List.of("add", "user", user, "account=" + account, "cluster=" + c));
            if (!partitionBlocks.isEmpty()) {
                List<String> add = new ArrayList<>(List.of("add", "user", user, "account=" + account,
                        "partition=" + String.join(",", partitionBlocks), "cluster=" + c));
                add.addAll(Blocks.BLOCK);
                sacctmgr.change(add);
            }
        });
    }

    public void removeUser(String user, String account) throws SchedulerException {
        lock.run(() -> {
            member(user, account);
            int active = jobs.activeJobCount(List.of("--account=" + account, "--user=" + user));
            if (active > 0) {
                throw new SchedulerException(ErrorCode.INVALID_STATE, "user '" + user + "' still has " + active
                        + " pending or running job(s) in account '" + account + "'",
                        Map.of("user", user, "account", account));
            }
            moveDefaultAway(user, account);
            sacctmgr.change(List.of("delete", "user", "where", "name=" + user, "account=" + account,
                    "cluster=" + sacctmgr.cluster()));
        });
    }

    /**
     * Removes the user from every account of this cluster; Slurm drops the user once no association is left.
     * One account at a time, the default account last: sacctmgr refuses a single statement that removes a user's
     * default association together with others ("You can not remove the default account of a user").
     */
    public void deleteUser(String user) throws SchedulerException {
        requireName("userId", user);
        lock.run(() -> {
            List<String> order = new ArrayList<>(sacctmgr.accountsOf(user));
            if (order.isEmpty()) {
                throw SchedulerException.userNotFound(user);
            }
            String dflt = sacctmgr.defaultAccount(user);
            if (order.remove(dflt)) {
                order.add(dflt);
            }
            for (String account : order) {
                sacctmgr.change(List.of("delete", "user", "where", "name=" + user, "account=" + account,
                        "cluster=" + sacctmgr.cluster()));
            }
        });
    }

    // ---- helpers ----------------------------------------------------------------------------------------------

    private AccountView existing(String account) throws SchedulerException {
        requireName("account", account);
        return sacctmgr.account(account).existing();
    }

    private AccountView member(String user, String account) throws SchedulerException {
        requireName("userId", user);
        return existing(account).withMember(user);
    }

    /**
     * Makes another of the user's accounts the default when {@code account} is the default, because Slurm refuses
     * to delete a default association the user still needs, or leaves the user without a default (and jobs without
     * --account refused). Returns false when the user has no other account to move to.
     */
    private boolean moveDefaultAway(String user, String account) throws SchedulerException {
        Set<String> others = sacctmgr.accountsOf(user);
        others.remove(account);
        String dflt = sacctmgr.defaultAccount(user);
        if (!dflt.isEmpty() && !dflt.equals(account)) {
            return true;
        }
        if (others.isEmpty()) {
            return false;
        }
        sacctmgr.change(List.of("modify", "user", "where", "name=" + user, "cluster=" + sacctmgr.cluster(), "set",
                "DefaultAccount=" + others.iterator().next()));
        return true;
    }
}
