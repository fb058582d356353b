package org.scow.itest.driver.internal;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

import org.scow.api.scheduler.AccountBlockStatus;
import org.scow.api.scheduler.ClusterAccount;
import org.scow.api.scheduler.util.Names;
import org.scow.api.scheduler.SchedulerException;

/** Accounts, their members and block flags, and the users the scheduler knows. Not thread-safe. */
final class Accounts {
    private final List<String> partitions;
    private final Map<String, Account> accounts = new TreeMap<>();
    private final Set<String> users = new HashSet<>();

    private static final class Account {
        final String owner;
        final Map<String, Boolean> members = new LinkedHashMap<>(); // user -> blocked
        final Set<String> blockedPartitions = new HashSet<>();

        Account(String owner) {
            this.owner = owner;
            members.put(owner, false);
        }
    }

    Accounts(List<String> partitions) {
        this.partitions = List.copyOf(partitions);
    }

    List<String> accountsOf(String user) {
        return accounts.entrySet().stream().filter(e -> e.getValue().members.containsKey(user))
                .map(Map.Entry::getKey).toList();
    }

    boolean exists(String account) {
        return accounts.containsKey(account);
    }

    void create(String account, String owner) throws SchedulerException {
        requireName("account", account);
        requireName("ownerUserId", owner);
        if (accounts.containsKey(account)) {
            throw SchedulerException.alreadyExists("account '" + account + "'");
        }
        accounts.put(account, new Account(owner));
        users.add(owner);
    }

    void delete(String account) throws SchedulerException {
        require(account);
        accounts.remove(account);
    }

    /** Blocks in {@code in} (every partition when null); the caller checked the partition names. */
    void block(String account, Set<String> in) throws SchedulerException {
        require(account).blockedPartitions.addAll(in == null ? partitions : in);
    }

    void unblock(String account, Set<String> in) throws SchedulerException {
        Account a = require(account);
        if (in == null) {
            a.blockedPartitions.clear();
        } else {
            a.blockedPartitions.removeAll(in);
        }
    }

    AccountBlockStatus status(String account) throws SchedulerException {
        return status(require(account));
    }

    private AccountBlockStatus status(Account a) {
        Map<String, Boolean> byPartition = new LinkedHashMap<>();
        partitions.forEach(p -> byPartition.put(p, a.blockedPartitions.contains(p)));
        return new AccountBlockStatus(a.blockedPartitions.containsAll(partitions), byPartition);
    }

    List<ClusterAccount> all() {
        List<ClusterAccount> out = new ArrayList<>();
        accounts.forEach((name, a) -> out.add(new ClusterAccount(name, a.owner, status(a),
                a.members.entrySet().stream().map(e -> new ClusterAccount.Member(e.getKey(), e.getValue())).toList())));
        return out;
    }

    void addUser(String user, String account) throws SchedulerException {
        requireName("userId", user);
        Account a = require(account);
        if (a.members.containsKey(user)) {
            throw SchedulerException.alreadyExists("user '" + user + "' in account '" + account + "'");
        }
        a.members.put(user, false);
        users.add(user);
    }

    void removeUser(String user, String account) throws SchedulerException {
        member(user, account);
        accounts.get(account).members.remove(user);
    }

    void setUserBlocked(String user, String account, boolean blocked) throws SchedulerException {
        member(user, account);
        accounts.get(account).members.put(user, blocked);
    }

    boolean isUserBlocked(String user, String account) throws SchedulerException {
        return member(user, account);
    }

    /** Forgets the user everywhere; false when the scheduler did not know it. */
    boolean deleteUser(String user) {
        accounts.values().forEach(a -> a.members.remove(user));
        return users.remove(user);
    }

    boolean knowsUser(String user) {
        return users.contains(user);
    }

    /** Why {@code user} may not submit under {@code account} to {@code partition}, or null when it may. */
    String refusal(String user, String account, String partition) {
        Account a = account == null ? null : accounts.get(account);
        if (a == null) {
            return "invalid account '" + account + "'";
        }
        Boolean blocked = a.members.get(user);
        if (blocked == null) {
            return "user '" + user + "' is not a member of account '" + account + "'";
        }
        if (blocked) {
            return "user '" + user + "' is blocked in account '" + account + "'";
        }
        if (a.blockedPartitions.contains(partition)) {
            return "account '" + account + "' is blocked in partition '" + partition + "'";
        }
        return null;
    }

    /** Partitions where {@code user} may submit under {@code account}, in configuration order. */
    <P> List<P> available(String account, String user, List<P> all, Function<P, String> name)
            throws SchedulerException {
        Account a = require(account);
        if (!Boolean.FALSE.equals(a.members.get(user))) {
            return List.of();
        }
        return all.stream().filter(p -> !a.blockedPartitions.contains(name.apply(p))).toList();
    }

    /** The member's blocked flag; USER_NOT_IN_ACCOUNT for others. */
    private boolean member(String user, String account) throws SchedulerException {
        Boolean blocked = require(account).members.get(user);
        if (blocked == null) {
            throw SchedulerException.userNotInAccount(user, account);
        }
        return blocked;
    }

    private Account require(String account) throws SchedulerException {
        Account a = account == null ? null : accounts.get(account);
        if (a == null) {
            throw SchedulerException.accountNotFound(String.valueOf(account));
        }
        return a;
    }

    private static void requireName(String field, String value) throws SchedulerException {
        if (!Names.isValid(value)) {
            throw SchedulerException.invalid(field, "'" + value + "' " + Names.RULE);
        }
    }
}
