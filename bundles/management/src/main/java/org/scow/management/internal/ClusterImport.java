package org.scow.management.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.scow.api.cluster.Cluster;
import org.scow.api.cluster.ClusterRegistry;
import org.scow.api.scheduler.ClusterAccount;
import org.scow.api.scheduler.SchedulerDriver;
import org.scow.api.scheduler.SchedulerException;
import org.scow.management.AccountRole;
import org.scow.management.Actor;
import org.scow.management.AuditLog;
import org.scow.management.ManagementException;
import org.scow.management.ManagementService;
import org.scow.management.Model.Account;
import org.scow.management.Model.User;

/**
 * Takes over the accounts and users a cluster already has: a preview of what the cluster knows, then an import into
 * one tenant that creates the missing users, accounts and memberships. Running it again creates nothing new. Each
 * created object is audited by the management service; the import as a whole gets one more entry.
 */
public class ClusterImport {
    /** One account of the cluster; {@code exists} when the platform already has an account of that name. */
    public record Candidate(String name, String owner, List<String> users, boolean exists, String tenant) {
    }

    /** {@code owner} null: the owner the cluster records. {@code whitelist}: never blocked for its balance. */
    public record Selection(String name, String owner, Boolean whitelist) {
    }

    /** Something left out, and why. {@code user} null: the whole account. */
    public record Skipped(String account, String user, String reason) {
    }

    public record Report(String cluster, String tenant, List<String> createdUsers, List<String> createdAccounts,
                         List<String> addedMembers, List<String> whitelisted, List<Skipped> skipped) {
    }

    private final ClusterRegistry registry;
    private final ManagementService management;
    private final AuditLog audit;

    public ClusterImport(ClusterRegistry registry, ManagementService management, AuditLog audit) {
        this.registry = registry;
        this.management = management;
        this.audit = audit;
    }

    /** What the cluster has, account by account. */
    public List<Candidate> preview(String cluster) {
        List<Candidate> out = new ArrayList<>();
        for (ClusterAccount a : accountsOf(cluster)) {
            Optional<Account> known = management.account(a.name());
            out.add(new Candidate(a.name(), a.owner(), a.users().stream().map(ClusterAccount.Member::userId).toList(),
                    known.isPresent(), known.map(Account::tenant).orElse(null)));
        }
        return out;
    }

    public Report importAccounts(Actor actor, String cluster, String tenant, List<Selection> selections) {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("tenant", tenant);
        params.put("accounts", selections == null ? null : selections.stream().map(Selection::name).toList());
        try {
            Report r = run(actor, cluster, tenant, selections);
            params.put("created", r.createdAccounts().size() + " account(s), " + r.createdUsers().size()
                    + " user(s), " + r.addedMembers().size() + " member(s); skipped " + r.skipped().size());
            audit.record(actor, "IMPORT_FROM_CLUSTER", "CLUSTER", cluster, params, true, null);
            return r;
        } catch (RuntimeException e) {
            audit.record(actor, "IMPORT_FROM_CLUSTER", "CLUSTER", cluster, params, false, e.getMessage());
            throw e;
        }
    }

    private Report run(Actor actor, String cluster, String tenant, List<Selection> selections) {
        if (tenant == null || tenant.isBlank()) {
            throw ManagementException.invalid("tenant", "is required");
        }
        management.tenant(tenant).orElseThrow(() -> ManagementException.notFound("tenant", tenant));
        if (selections == null || selections.isEmpty()) {
            throw ManagementException.invalid("accounts", "name at least one account to import");
        }
        Set<String> names = new LinkedHashSet<>();
        for (Selection s : selections) {
            if (s == null || s.name() == null || s.name().isBlank()) {
                throw ManagementException.invalid("accounts", "every entry needs a name");
            }
            Rows.checkName("accounts.name", s.name());
            if (s.owner() != null && !s.owner().isBlank()) {
                Rows.checkName("accounts.owner", s.owner());
            }
            if (!names.add(s.name())) {
                throw ManagementException.invalid("accounts", "account '" + s.name() + "' is named twice");
            }
        }
        Map<String, ClusterAccount> onCluster = new LinkedHashMap<>();
        accountsOf(cluster).forEach(a -> onCluster.put(a.name(), a));

        List<String> createdUsers = new ArrayList<>();
        List<String> createdAccounts = new ArrayList<>();
        List<String> addedMembers = new ArrayList<>();
        List<String> whitelisted = new ArrayList<>();
        List<Skipped> skipped = new ArrayList<>();
        for (Selection s : selections) {
            ClusterAccount ca = onCluster.get(s.name());
            if (ca == null) {
                skipped.add(new Skipped(s.name(), null, "cluster '" + cluster + "' has no such account"));
                continue;
            }
            String owner = s.owner() != null && !s.owner().isBlank() ? s.owner() : ca.owner();
            if (owner == null) {
                skipped.add(new Skipped(s.name(), null, "the cluster records no owner: name one"));
                continue;
            }
            Optional<Account> existing = management.account(s.name());
            if (existing.isPresent() && !existing.get().tenant().equals(tenant)) {
                skipped.add(new Skipped(s.name(), null, "the account exists in tenant '" + existing.get().tenant()
                        + "'"));
                continue;
            }
            if (!ensureUser(actor, owner, tenant, s.name(), createdUsers, skipped)) {
                continue;
            }
            if (existing.isEmpty()) {
                management.createAccount(actor, s.name(), tenant, owner, "imported from cluster " + cluster);
                createdAccounts.add(s.name());
            }
            if (Boolean.TRUE.equals(s.whitelist()) && !management.account(s.name()).orElseThrow().whitelisted()) {
                management.whitelist(actor, s.name(), null, "imported from cluster " + cluster);
                whitelisted.add(s.name());
            }
            Set<String> members = new LinkedHashSet<>();
            management.account(s.name()).orElseThrow().members().forEach(m -> members.add(m.userId()));
            for (ClusterAccount.Member m : ca.users()) {
                if (members.contains(m.userId())
                        || !ensureUser(actor, m.userId(), tenant, s.name(), createdUsers, skipped)) {
                    continue;
                }
                management.addUserToAccount(actor, s.name(), m.userId(), AccountRole.USER);
                addedMembers.add(m.userId() + "@" + s.name());
            }
        }
        return new Report(cluster, tenant, createdUsers, createdAccounts, addedMembers, whitelisted, skipped);
    }

    /** Creates the user in the tenant if missing; false (and skipped) when they belong to another tenant. */
    private boolean ensureUser(Actor actor, String userId, String tenant, String account, List<String> created,
                               List<Skipped> skipped) {
        Optional<User> u = management.user(userId);
        if (u.isEmpty()) {
            try {
                management.createUser(actor, userId, null, null, tenant);
                created.add(userId);
                return true;
            } catch (ManagementException e) {
                skipped.add(new Skipped(account, userId, e.getMessage()));
                return false;
            }
        }
        if (!u.get().tenant().equals(tenant)) {
            skipped.add(new Skipped(account, userId, "user belongs to tenant '" + u.get().tenant() + "'"));
            return false;
        }
        return true;
    }

    private List<ClusterAccount> accountsOf(String cluster) {
        if (cluster == null || cluster.isBlank()) {
            throw ManagementException.invalid("cluster", "is required");
        }
        Cluster c = registry.cluster(cluster).orElseThrow(() -> ManagementException.notFound("cluster", cluster));
        SchedulerDriver d = c.driver().orElseThrow(() -> new ManagementException(503, "CLUSTER_OFFLINE",
                "cluster '" + cluster + "' is offline: " + c.offlineReason(), Map.of("cluster", cluster)));
        try {
            return d.allAccounts();
        } catch (SchedulerException e) {
            throw new ManagementException(503, "CLUSTER_UNAVAILABLE", "cluster '" + cluster
                    + "' did not list its accounts: " + e.getMessage(), Map.of("cluster", cluster));
        }
    }
}
