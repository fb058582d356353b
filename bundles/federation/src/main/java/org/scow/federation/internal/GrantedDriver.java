package org.scow.federation.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.scow.api.scheduler.AccountBlockStatus;
import org.scow.api.scheduler.ClusterAccount;
import org.scow.api.scheduler.ClusterUsage;
import org.scow.api.scheduler.DriverInfo;
import org.scow.api.scheduler.ErrorCode;
import org.scow.api.scheduler.JobInfo;
import org.scow.api.scheduler.JobQuery;
import org.scow.api.scheduler.JobSpec;
import org.scow.api.scheduler.NodeInfo;
import org.scow.api.scheduler.Partition;
import org.scow.api.scheduler.SchedulerDriver;
import org.scow.api.scheduler.SchedulerException;
import org.scow.api.scheduler.SubmittedJob;
import org.scow.federation.Grant;

/**
 * A local cluster as one peer may see and use it: the whole scheduler SPI in the peer's names, confined to the
 * peer's grants on that cluster. Peer accounts and users are mapped to local ones through a grant; anything no grant
 * covers does not exist for the peer (ACCOUNT_NOT_FOUND, USER_NOT_FOUND, JOB_NOT_FOUND), except creating an account,
 * which is refused outright (PERMISSION_DENIED). A grant this center blocked refuses new jobs and keeps the peer from
 * lifting the block of its accounts. Local users that are system accounts never run a peer's job.
 */
public final class GrantedDriver implements SchedulerDriver {
    private final SchedulerDriver local;
    private final List<Grant> grants;
    private final Function<String, Optional<String>> systemAccountRefusal;
    private final String cluster;
    private final Credit credit;

    /** Submits a peer's new job on a grant only within the grant's credit limit (SUBMIT_FAILED naming the limit). */
    @FunctionalInterface
    public interface Credit {
        /**
         * Runs {@code submit} when the grant's credit allows {@code job}; checks and submissions of one grant do not
         * interleave, so two concurrent jobs cannot both take the last credit.
         *
         * @param job the mapped job, or null for a raw script whose size is not known yet
         */
        SubmittedJob within(Grant grant, String cluster, String peerAccount, JobSpec job, Submit submit)
                throws SchedulerException;

        Credit UNLIMITED = (g, c, a, j, submit) -> submit.run();
    }

    /** The submission itself. */
    @FunctionalInterface
    public interface Submit {
        SubmittedJob run() throws SchedulerException;
    }

    /** A view without credit checks: for reading (settlement, the credit guard itself) and for tests. */
    public GrantedDriver(SchedulerDriver local, List<Grant> grants,
                         Function<String, Optional<String>> systemAccountRefusal) {
        this(local, grants, systemAccountRefusal, null, Credit.UNLIMITED);
    }

    /**
     * @param local                 the local cluster's driver
     * @param grants                the peer's grants that apply to this cluster
     * @param systemAccountRefusal  why a local user may not run jobs, empty when it may
     * @param cluster               the local cluster's id
     * @param credit                admits new jobs within the grant's credit limit
     */
    public GrantedDriver(SchedulerDriver local, List<Grant> grants,
                         Function<String, Optional<String>> systemAccountRefusal, String cluster, Credit credit) {
        this.local = local;
        this.grants = List.copyOf(grants);
        this.systemAccountRefusal = systemAccountRefusal;
        this.cluster = cluster;
        this.credit = credit;
    }

    /** A peer account with the grant that covers it and its local name. */
    private record Mapped(Grant grant, String local) {
    }

    private Optional<Mapped> mapAccount(String peerAccount) {
        for (Grant g : grants) {
            Optional<String> l = g.localAccountFor(peerAccount);
            if (l.isPresent()) {
                return Optional.of(new Mapped(g, l.get()));
            }
        }
        return Optional.empty();
    }

    private Mapped account(String peerAccount) throws SchedulerException {
        return mapAccount(peerAccount).orElseThrow(() -> SchedulerException.accountNotFound(peerAccount));
    }

    private String user(Grant g, String peerUser) throws SchedulerException {
        String lu = g.localUser(peerUser).orElseThrow(() -> new SchedulerException(ErrorCode.USER_NOT_FOUND,
                "user '" + peerUser + "' is not mapped by the grant", Map.of("user", peerUser)));
        Optional<String> refusal = systemAccountRefusal.apply(lu);
        if (refusal.isPresent()) {
            throw new SchedulerException(ErrorCode.PERMISSION_DENIED, "the grant maps '" + peerUser
                    + "' to a system account, which never runs jobs", Map.of("user", peerUser));
        }
        return lu;
    }

    /** The peer's name of a local account, if a grant covers it. */
    private Optional<Map.Entry<Grant, String>> peerAccount(String localAccount) {
        for (Grant g : grants) {
            Optional<String> p = g.peerAccountFor(localAccount);
            if (p.isPresent() && g.localAccountFor(p.get()).filter(localAccount::equals).isPresent()) {
                return Optional.of(Map.entry(g, p.get()));
            }
        }
        return Optional.empty();
    }

    @Override
    public DriverInfo info() {
        return local.info();
    }

    // ---- accounts ---------------------------------------------------------------------------------------------

    @Override
    public List<String> listAccounts(String userId) throws SchedulerException {
        Set<String> out = new TreeSet<>();
        for (Grant g : grants) {
            Optional<String> lu = g.localUser(userId);
            if (lu.isEmpty()) {
                continue;
            }
            for (String a : local.listAccounts(lu.get())) {
                g.peerAccountFor(a).filter(p -> g.localAccountFor(p).filter(a::equals).isPresent())
                        .ifPresent(out::add);
            }
        }
        return List.copyOf(out);
    }

    @Override
    public void createAccount(String account, String ownerUserId) throws SchedulerException {
        Mapped m = mapAccount(account).orElseThrow(() -> new SchedulerException(ErrorCode.PERMISSION_DENIED,
                "no grant of this center covers account '" + account + "'", Map.of("account", account)));
        local.createAccount(m.local(), user(m.grant(), ownerUserId));
    }

    @Override
    public void deleteAccount(String account) throws SchedulerException {
        local.deleteAccount(account(account).local());
    }

    @Override
    public void blockAccount(String account) throws SchedulerException {
        local.blockAccount(account(account).local());
    }

    @Override
    public void unblockAccount(String account) throws SchedulerException {
        Mapped m = account(account);
        local.accountBlockStatus(m.local()); // unknown accounts answer ACCOUNT_NOT_FOUND before the grant check
        refuseIfGrantBlocked(m, account);
        local.unblockAccount(m.local());
    }

    @Override
    public void blockAccount(String account, Set<String> partitions) throws SchedulerException {
        local.blockAccount(account(account).local(), partitions);
    }

    @Override
    public void unblockAccount(String account, Set<String> partitions) throws SchedulerException {
        Mapped m = account(account);
        local.accountBlockStatus(m.local());
        refuseIfGrantBlocked(m, account);
        local.unblockAccount(m.local(), partitions);
    }

    private static void refuseIfGrantBlocked(Mapped m, String account) throws SchedulerException {
        if (m.grant().blocked()) {
            throw new SchedulerException(ErrorCode.PERMISSION_DENIED, "this center has blocked the grant of account '"
                    + account + "'; only this center can lift it", Map.of("account", account));
        }
    }

    @Override
    public AccountBlockStatus accountBlockStatus(String account) throws SchedulerException {
        return local.accountBlockStatus(account(account).local());
    }

    @Override
    public List<ClusterAccount> allAccounts() throws SchedulerException {
        List<ClusterAccount> out = new ArrayList<>();
        for (ClusterAccount a : local.allAccounts()) {
            Optional<Map.Entry<Grant, String>> p = peerAccount(a.name());
            if (p.isEmpty()) {
                continue;
            }
            Grant g = p.get().getKey();
            List<ClusterAccount.Member> members = a.users().stream()
                    .flatMap(m -> g.peerUser(m.userId()).map(u -> new ClusterAccount.Member(u, m.blocked())).stream())
                    .toList();
            String owner = a.owner() == null ? null : g.peerUser(a.owner()).orElse(null);
            out.add(new ClusterAccount(p.get().getValue(), owner, a.block(), members));
        }
        out.sort(Comparator.comparing(ClusterAccount::name));
        return out;
    }

    // ---- users in accounts ------------------------------------------------------------------------------------

    @Override
    public void addUserToAccount(String userId, String account) throws SchedulerException {
        Mapped m = account(account);
        local.addUserToAccount(user(m.grant(), userId), m.local());
    }

    @Override
    public void removeUserFromAccount(String userId, String account) throws SchedulerException {
        Mapped m = account(account);
        local.removeUserFromAccount(user(m.grant(), userId), m.local());
    }

    @Override
    public void blockUserInAccount(String userId, String account) throws SchedulerException {
        Mapped m = account(account);
        local.blockUserInAccount(user(m.grant(), userId), m.local());
    }

    @Override
    public void unblockUserInAccount(String userId, String account) throws SchedulerException {
        Mapped m = account(account);
        local.unblockUserInAccount(user(m.grant(), userId), m.local());
    }

    @Override
    public boolean isUserBlockedInAccount(String userId, String account) throws SchedulerException {
        Mapped m = account(account);
        return local.isUserBlockedInAccount(user(m.grant(), userId), m.local());
    }

    /**
     * Removes the user's memberships in the granted accounts only: the local user may also belong to this center's
     * own accounts, which the peer must not touch. When every membership is granted, the local user is deleted.
     */
    @Override
    public void deleteUser(String userId) throws SchedulerException {
        boolean found = false;
        for (Grant g : grants) {
            Optional<String> lu = g.localUser(userId);
            if (lu.isEmpty()) {
                continue;
            }
            List<String> all;
            try {
                all = local.listAccounts(lu.get());
            } catch (SchedulerException e) {
                if (e.code() == ErrorCode.USER_NOT_FOUND) {
                    continue;
                }
                throw e;
            }
            List<String> granted = all.stream().filter(a -> g.peerAccountFor(a)
                    .flatMap(g::localAccountFor).filter(a::equals).isPresent()).toList();
            if (granted.isEmpty()) {
                continue;
            }
            found = true;
            if (granted.size() == all.size()) {
                local.deleteUser(lu.get());
            } else {
                for (String a : granted) {
                    local.removeUserFromAccount(lu.get(), a);
                }
            }
        }
        if (!found) {
            throw SchedulerException.userNotFound(userId);
        }
    }

    // ---- jobs -------------------------------------------------------------------------------------------------

    @Override
    public SubmittedJob submitJob(JobSpec spec) throws SchedulerException {
        Mapped m = account(spec.account());
        String lu = user(m.grant(), spec.user());
        refuseIfGrantBlockedForJobs(m, spec.account());
        for (String option : spec.extraOptions()) {
            String o = option.strip();
            if (o.startsWith("--account") || o.startsWith("-A") || o.startsWith("--uid") || o.startsWith("--gid")) {
                throw SchedulerException.invalid("extraOptions", "account and identity options are not allowed in a "
                        + "federated job; the account field names the account");
            }
        }
        if (!ScriptAccounts.rewrite(spec.script(), Optional::of).accounts().isEmpty()) {
            throw SchedulerException.invalid("script", "account directives are not allowed; the account field "
                    + "names the account");
        }
        JobSpec mapped = new JobSpec(lu, spec.name(), m.local(), spec.partition(), spec.qos(), spec.nodes(),
                spec.coresPerNode(), spec.gpusPerNode(), spec.memoryMbPerNode(), spec.timeLimitMinutes(),
                spec.script(), spec.workingDirectory(), spec.stdout(), spec.stderr(), spec.extraOptions());
        return credit.within(m.grant(), cluster, spec.account(), mapped, () -> local.submitJob(mapped));
    }

    @Override
    public SubmittedJob submitScript(String userId, String script, String workingDirectory)
            throws SchedulerException {
        ScriptAccounts.Result r = ScriptAccounts.rewrite(script, a -> mapAccount(a).map(Mapped::local));
        if (r.accounts().size() != 1) {
            throw SchedulerException.invalid("script", "a federated script names exactly one account in its "
                    + "directives (found " + r.accounts().size() + ")");
        }
        String account = r.accounts().iterator().next();
        Mapped m = account(account);
        String lu = user(m.grant(), userId);
        refuseIfGrantBlockedForJobs(m, account);
        return credit.within(m.grant(), cluster, account, null,
                () -> local.submitScript(lu, r.script(), workingDirectory));
    }

    private static void refuseIfGrantBlockedForJobs(Mapped m, String account) throws SchedulerException {
        if (m.grant().blocked()) {
            throw SchedulerException.submitFailed("this center has blocked the grant of account '" + account + "'");
        }
    }

    @Override
    public JobQuery.Result queryJobs(JobQuery query) throws SchedulerException {
        Set<String> grantedLocal = local.allAccounts().stream().map(ClusterAccount::name)
                .filter(a -> peerAccount(a).isPresent()).collect(Collectors.toSet());
        Set<String> accounts = grantedLocal;
        if (!query.filter().accounts().isEmpty()) {
            accounts = query.filter().accounts().stream().flatMap(a -> mapAccount(a).map(Mapped::local).stream())
                    .filter(grantedLocal::contains).collect(Collectors.toSet());
        }
        Set<String> users = Set.of();
        if (!query.filter().users().isEmpty()) {
            users = query.filter().users().stream()
                    .flatMap(u -> grants.stream().flatMap(g -> g.localUser(u).stream())).collect(Collectors.toSet());
            if (users.isEmpty()) {
                return new JobQuery.Result(List.of(), 0);
            }
        }
        if (accounts.isEmpty()) {
            return new JobQuery.Result(List.of(), 0);
        }
        JobQuery mapped = new JobQuery(query.fields(), query.filter().withAccounts(accounts).withUsers(users),
                query.page(), query.sort());
        JobQuery.Result r = local.queryJobs(mapped);
        return new JobQuery.Result(r.jobs().stream().map(this::toPeer).toList(), r.totalCount());
    }

    /** The job in the peer's names. */
    private JobInfo toPeer(JobInfo job) {
        Optional<Map.Entry<Grant, String>> p = peerAccount(job.account());
        if (p.isEmpty()) {
            // the query did not select the account: any grant that maps the local user names it
            String user = job.user() == null ? null : grants.stream().flatMap(g -> g.peerUser(job.user()).stream())
                    .findFirst().orElse(job.user());
            return job.toBuilder().user(user).build();
        }
        Grant g = p.get().getKey();
        return job.toBuilder().account(p.get().getValue())
                .user(job.user() == null ? null : g.peerUser(job.user()).orElse(job.user())).build();
    }

    /** The local job when a grant of the peer covers its account; JOB_NOT_FOUND otherwise. */
    private JobInfo visible(String jobId) throws SchedulerException {
        JobInfo job = local.getJob(jobId);
        if (peerAccount(job.account()).isEmpty()) {
            throw SchedulerException.jobNotFound(jobId);
        }
        return job;
    }

    @Override
    public JobInfo getJob(String jobId) throws SchedulerException {
        return toPeer(visible(jobId));
    }

    @Override
    public void cancelJob(String userId, String jobId) throws SchedulerException {
        JobInfo job = visible(jobId);
        Grant g = peerAccount(job.account()).orElseThrow().getKey();
        String lu = g.localUser(userId).orElseThrow(() -> new SchedulerException(ErrorCode.PERMISSION_DENIED,
                "user '" + userId + "' may not cancel job " + jobId, Map.of("user", userId)));
        local.cancelJob(lu, jobId);
    }

    @Override
    public long timeLimitMinutes(String jobId) throws SchedulerException {
        visible(jobId);
        return local.timeLimitMinutes(jobId);
    }

    @Override
    public void changeTimeLimit(String jobId, long deltaMinutes) throws SchedulerException {
        visible(jobId);
        local.changeTimeLimit(jobId, deltaMinutes);
    }

    // ---- cluster ----------------------------------------------------------------------------------------------

    @Override
    public List<Partition> partitions() throws SchedulerException {
        return local.partitions();
    }

    @Override
    public List<Partition> availablePartitions(String account, String userId) throws SchedulerException {
        Mapped m = account(account);
        return local.availablePartitions(m.local(), user(m.grant(), userId));
    }

    @Override
    public ClusterUsage usage() throws SchedulerException {
        return local.usage();
    }

    @Override
    public List<NodeInfo> nodes(Set<String> names) throws SchedulerException {
        return local.nodes(names);
    }

    /** The local driver belongs to the cluster registry; closing this view closes nothing. */
    @Override
    public void close() {
    }

    /** Local name to peer name of every granted account, for tests and diagnostics. */
    Map<String, String> grantedAccounts() throws SchedulerException {
        Map<String, String> out = new LinkedHashMap<>();
        for (ClusterAccount a : local.allAccounts()) {
            peerAccount(a.name()).ifPresent(p -> out.put(a.name(), p.getValue()));
        }
        return out;
    }
}
