package org.scow.scheduler.slurm.internal;

import static org.scow.scheduler.slurm.internal.Arguments.requireName;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.scow.api.scheduler.ErrorCode;
import org.scow.api.scheduler.SchedulerException;

/**
 * Blocking and unblocking accounts (whole or per partition) and users in accounts, as association limits in
 * Slurm's accounting database; {@link AccountView} describes the encoding and reads it back. Every operation reads
 * the associations first and changes only what differs, so repeating one changes nothing.
 */
public final class Blocks {
    /** The limits of an account block, on the account's or (partition blocks) on members' associations. */
    static final List<String> BLOCK = List.of("GrpSubmitJobs=0", "GrpJobs=0");
    private static final List<String> UNBLOCK = List.of("GrpSubmitJobs=-1", "GrpJobs=-1");
    private static final List<String> BLOCK_USER = List.of("MaxSubmitJobs=0", "MaxJobs=0");
    private static final List<String> UNBLOCK_USER = List.of("MaxSubmitJobs=-1", "MaxJobs=-1");

    private final Sacctmgr sacctmgr;
    private final ClusterReader cluster;
    private final ChangeLock lock;
    private volatile boolean enforcementChecked;

    Blocks(Sacctmgr sacctmgr, ClusterReader cluster, ChangeLock lock) {
        this.sacctmgr = sacctmgr;
        this.cluster = cluster;
        this.lock = lock;
    }

    public void block(String account) throws SchedulerException {
        requireName("account", account);
        lock.run(() -> {
            AccountView v = sacctmgr.account(account).existing();
            requireEnforcement();
            if (!v.wholeBlocked()) {
                setOnAccount(account, BLOCK);
            }
        });
    }

    /** Lifts the whole-account block and every partition block. */
    public void unblock(String account) throws SchedulerException {
        requireName("account", account);
        lock.run(() -> {
            AccountView v = sacctmgr.account(account).existing();
            Set<String> partitions = v.associations().stream()
                    .filter(a -> a.isPartitionSpecific() && a.grpBlocked()).map(Association::partition)
                    .collect(Collectors.toCollection(TreeSet::new));
            clearPartitionBlocks(account, partitions);
            if (v.self().map(a -> a.grpBlocked() || Integer.valueOf(0).equals(a.grpJobs())).orElse(false)) {
                setOnAccount(account, UNBLOCK);
            }
        });
    }

    public void block(String account, Set<String> partitions) throws SchedulerException {
        requireName("account", account);
        lock.run(() -> {
            AccountView v = sacctmgr.account(account).existing();
            requirePartitions(partitions);
            requireEnforcement();
            if (!v.wholeBlocked()) {
                blockPartitions(v, partitions);
            }
        });
    }

    /**
     * Unblocks the account in {@code partitions}. A whole-account block is first narrowed to per-partition blocks
     * of every other partition, so the account stays blocked where it was not unblocked.
     */
    public void unblock(String account, Set<String> partitions) throws SchedulerException {
        requireName("account", account);
        lock.run(() -> {
            AccountView v = sacctmgr.account(account).existing();
            List<String> all = requirePartitions(partitions);
            if (v.wholeBlocked()) {
                Set<String> rest = new LinkedHashSet<>(all);
                rest.removeAll(partitions);
                blockPartitions(v, rest);
                setOnAccount(account, UNBLOCK);
                v = sacctmgr.account(account);
            }
            Set<String> blocked = new TreeSet<>();
            for (String p : partitions) {
                if (v.associations().stream().anyMatch(a -> a.partition().equals(p) && a.grpBlocked())) {
                    blocked.add(p);
                }
            }
            clearPartitionBlocks(account, blocked);
        });
    }

    public void blockUser(String user, String account) throws SchedulerException {
        setUserBlock(user, account, true);
    }

    public void unblockUser(String user, String account) throws SchedulerException {
        setUserBlock(user, account, false);
    }

    private void setUserBlock(String user, String account, boolean block) throws SchedulerException {
        requireName("userId", user);
        requireName("account", account);
        lock.run(() -> {
            AccountView v = sacctmgr.account(account).existing().withMember(user);
            if (block) {
                requireEnforcement();
            }
            if (v.of(user).stream().anyMatch(a -> a.maxBlocked() != block)) {
                List<String> statement = new ArrayList<>(List.of("modify", "user", "where", "name=" + user,
                        "account=" + account, "cluster=" + sacctmgr.cluster(), "set"));
                statement.addAll(block ? BLOCK_USER : UNBLOCK_USER);
                sacctmgr.change(statement);
            }
        });
    }

    /**
     * Blocks are association limits, which slurmctld only enforces with AccountingStorageEnforce=limits (or safe,
     * which implies it). Refusing to "block" on a cluster that would ignore it beats reporting a block that is not
     * there.
     */
    private void requireEnforcement() throws SchedulerException {
        if (enforcementChecked) {
            return;
        }
        String enforce = sacctmgr.enforcement();
        if (!enforce.contains("limits") && !enforce.contains("safe")) {
            throw new SchedulerException(ErrorCode.INTERNAL, "Slurm does not enforce association limits "
                    + "(AccountingStorageEnforce=" + enforce + "), so a block would have no effect; add 'limits' "
                    + "to AccountingStorageEnforce in slurm.conf", Map.of("setting", "AccountingStorageEnforce"));
        }
        enforcementChecked = true;
    }

    private List<String> requirePartitions(Set<String> partitions) throws SchedulerException {
        List<String> all = cluster.partitionNames();
        for (String p : new TreeSet<>(partitions)) {
            if (!all.contains(p)) {
                throw SchedulerException.partitionNotFound(p);
            }
        }
        return all;
    }

    private void setOnAccount(String account, List<String> limits) throws SchedulerException {
        List<String> statement = new ArrayList<>(List.of("modify", "account", "where", "name=" + account,
                "cluster=" + sacctmgr.cluster(), "set"));
        statement.addAll(limits);
        sacctmgr.change(statement);
    }

    /**
     * Blocks every member in each partition: existing partition associations get the limit, missing ones are
     * created with it, carrying the member's user block and QoS along, because Slurm will use them instead of the
     * member's general association.
     */
    private void blockPartitions(AccountView v, Set<String> partitions) throws SchedulerException {
        String c = sacctmgr.cluster();
        for (String user : v.members()) {
            List<String> missing = new ArrayList<>();
            List<String> unblocked = new ArrayList<>();
            for (String p : new TreeSet<>(partitions)) {
                v.of(user, p).ifPresentOrElse(a -> {
                    if (!a.grpBlocked()) {
                        unblocked.add(p);
                    }
                }, () -> missing.add(p));
            }
            if (!unblocked.isEmpty()) {
                List<String> statement = new ArrayList<>(List.of("modify", "user", "where", "name=" + user,
                        "account=" + v.name(), "partition=" + String.join(",", unblocked), "cluster=" + c, "set"));
                statement.addAll(BLOCK);
                sacctmgr.change(statement);
            }
            if (!missing.isEmpty()) {
                List<String> add = new ArrayList<>(List.of("add", "user", user, "account=" + v.name(),
                        "partition=" + String.join(",", missing), "cluster=" + c));
                add.addAll(BLOCK);
                if (v.userBlocked(user)) {
                    add.addAll(BLOCK_USER);
                }
                v.of(user, "").ifPresent(general -> {
                    if (!general.qos().isEmpty()) {
                        add.add("QOS=" + general.qos());
                    }
                    if (!general.defaultQos().isEmpty()) {
                        add.add("DefaultQOS=" + general.defaultQos());
                    }
                });
                sacctmgr.change(add);
            }
        }
    }

    /** Lifts the partition limit from every association of the account in {@code partitions}. */
    private void clearPartitionBlocks(String account, Set<String> partitions) throws SchedulerException {
        if (partitions.isEmpty()) {
            return;
        }
        List<String> statement = new ArrayList<>(List.of("modify", "user", "where", "account=" + account,
                "partition=" + String.join(",", partitions), "cluster=" + sacctmgr.cluster(), "set"));
        statement.addAll(UNBLOCK);
        sacctmgr.change(statement);
    }
}
