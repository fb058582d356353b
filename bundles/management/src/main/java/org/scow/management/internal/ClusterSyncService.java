package org.scow.management.internal;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.scow.api.cluster.Cluster;
import org.scow.api.cluster.ClusterRegistry;
import org.scow.api.scheduler.ClusterAccount;
import org.scow.api.scheduler.ErrorCode;
import org.scow.api.scheduler.SchedulerDriver;
import org.scow.api.scheduler.SchedulerException;
import org.scow.management.BlockFacts;
import org.scow.management.ClusterSync;
import org.scow.management.ManagementException;
import org.scow.management.ManagementService;
import org.scow.management.Model.Account;
import org.scow.management.Model.Member;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compares the platform's desired state with each online cluster's actual state, one listing per cluster
 * ({@link SchedulerDriver#allAccounts()}), and repairs the difference with idempotent writes through the one
 * {@link ClusterWriter}. The desired block state comes from the management model (admin blocks, whitelist) and
 * from billing's stored money facts ({@link BlockFacts}), read here; billing itself never writes to a cluster.
 */
public class ClusterSyncService implements ClusterSync {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterSyncService.class);

    private final ClusterRegistry registry;
    private final ManagementService management;
    private final Supplier<BlockFacts> facts;
    private final Clock clock;
    private final ClusterWriter writer;

    public ClusterSyncService(ClusterRegistry registry, ManagementService management, Supplier<BlockFacts> facts,
                              Clock clock) {
        this(registry, management, facts, clock, new ClusterWriter());
    }

    public ClusterSyncService(ClusterRegistry registry, ManagementService management, Supplier<BlockFacts> facts,
                              Clock clock, ClusterWriter writer) {
        this.writer = writer;
        this.registry = registry;
        this.management = management;
        this.facts = facts;
        this.clock = clock;
    }

    @Override
    public Report reconcile(String cluster) {
        List<Cluster> clusters;
        if (cluster != null) {
            clusters = List.of(registry.cluster(cluster)
                    .orElseThrow(() -> ManagementException.notFound("cluster", cluster)));
        } else {
            clusters = registry.clusters();
        }
        return run(clusters, management.accounts(null));
    }

    @Override
    public Report syncAccount(String account) {
        Account a = management.account(account).orElseThrow(() -> ManagementException.notFound("account", account));
        return run(registry.clusters(), List.of(a));
    }

    /** Removes a user from an account on every online cluster (best effort; reported). */
    public Report removeMember(String account, String user) {
        List<String> checked = new ArrayList<>();
        List<String> offline = new ArrayList<>();
        List<Change> changes = new ArrayList<>();
        for (Cluster c : registry.clusters()) {
            SchedulerDriver d = c.driver().orElse(null);
            if (d == null) {
                offline.add(c.id());
                continue;
            }
            checked.add(c.id());
            try {
                writer.removeUser(d, account, user);
                changes.add(new Change(c.id(), account, user, "REMOVE_USER", null));
            } catch (SchedulerException e) {
                if (e.code() != ErrorCode.USER_NOT_IN_ACCOUNT && e.code() != ErrorCode.ACCOUNT_NOT_FOUND
                        && e.code() != ErrorCode.USER_NOT_FOUND) {
                    changes.add(new Change(c.id(), account, user, "REMOVE_USER", e.getMessage()));
                }
            } catch (RuntimeException e) {
                changes.add(new Change(c.id(), account, user, "REMOVE_USER", String.valueOf(e)));
            }
        }
        return new Report(clock.instant(), checked, offline, 1, changes);
    }

    private synchronized Report run(List<Cluster> clusters, List<Account> accounts) {
        BlockFacts f = facts.get();
        Map<String, String> tenants = new LinkedHashMap<>();
        accounts.forEach(a -> tenants.put(a.name(), a.tenant()));
        Set<String> below = f == null ? Set.of() : f.belowThreshold(tenants);
        Map<String, Set<String>> overLimit = f == null ? Map.of() : f.usersOverLimit();

        List<String> checked = new ArrayList<>();
        List<String> offline = new ArrayList<>();
        List<Change> changes = new ArrayList<>();
        for (Cluster c : clusters) {
            SchedulerDriver driver = c.driver().orElse(null);
            if (driver == null) {
                offline.add(c.id());
                continue;
            }
            checked.add(c.id());
            Map<String, ClusterAccount> actual = new HashMap<>();
            try {
                for (ClusterAccount ca : driver.allAccounts()) {
                    actual.put(ca.name(), ca);
                }
            } catch (SchedulerException | RuntimeException e) {
                changes.add(new Change(c.id(), null, null, "LIST_ACCOUNTS", e.getMessage()));
                continue;
            }
            for (Account a : accounts) {
                boolean blocked = a.blockedByAdmin() || (below.contains(a.name()) && !a.whitelisted());
                apply(c.id(), driver, a, actual.get(a.name()), blocked,
                        overLimit.getOrDefault(a.name(), Set.of()), changes);
            }
        }
        Report report = new Report(clock.instant(), checked, offline, accounts.size(), changes);
        if (!changes.isEmpty()) {
            LOG.info("Block sync changed {} thing(s) on {}: {}", changes.size(), checked, changes);
        }
        return report;
    }

    private void apply(String cluster, SchedulerDriver driver, Account a, ClusterAccount actual, boolean blocked,
                       Set<String> overLimit, List<Change> changes) {
        Map<String, Boolean> members = new HashMap<>();
        boolean actualBlocked;
        if (actual == null) {
            if (!step(changes, cluster, a.name(), null, "CREATE_ACCOUNT",
                    () -> writer.createAccount(driver, a.name(), a.owner()))) {
                return;
            }
            members.put(a.owner(), false);
            actualBlocked = false;
        } else {
            actual.users().forEach(m -> members.put(m.userId(), m.blocked()));
            actualBlocked = actual.block().blocked();
        }
        for (Member m : a.members()) {
            if (!members.containsKey(m.userId())) {
                if (step(changes, cluster, a.name(), m.userId(), "ADD_USER",
                        () -> writer.addUser(driver, a.name(), m.userId()))) {
                    members.put(m.userId(), false);
                }
            }
        }
        if (blocked != actualBlocked) {
            step(changes, cluster, a.name(), null, blocked ? "BLOCK_ACCOUNT" : "UNBLOCK_ACCOUNT", () -> {
                if (blocked) {
                    writer.blockAccount(driver, a.name(), Set.of());
                } else {
                    writer.unblockAccount(driver, a.name(), Set.of());
                }
            });
        }
        for (Member m : a.members()) {
            Boolean is = members.get(m.userId());
            boolean want = m.blockedByAdmin() || overLimit.contains(m.userId());
            if (is != null && is != want) {
                step(changes, cluster, a.name(), m.userId(), want ? "BLOCK_USER" : "UNBLOCK_USER", () -> {
                    if (want) {
                        writer.blockUser(driver, a.name(), m.userId());
                    } else {
                        writer.unblockUser(driver, a.name(), m.userId());
                    }
                });
            }
        }
    }

    private interface Step {
        void run() throws SchedulerException;
    }

    private static boolean step(List<Change> changes, String cluster, String account, String user, String action,
                                Step step) {
        try {
            step.run();
            changes.add(new Change(cluster, account, user, action, null));
            return true;
        } catch (SchedulerException e) {
            if (e.code() == ErrorCode.ALREADY_EXISTS) {
                return true;
            }
            changes.add(new Change(cluster, account, user, action, e.code() + ": " + e.getMessage()));
            return false;
        } catch (RuntimeException e) {
            changes.add(new Change(cluster, account, user, action, String.valueOf(e)));
            return false;
        }
    }
}
