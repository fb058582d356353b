package org.scow.crane.driver;

import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.scow.api.scheduler.AccountBlockStatus;
import org.scow.api.scheduler.ClusterAccount;
import org.scow.api.scheduler.ClusterUsage;
import org.scow.api.scheduler.DriverFeature;
import org.scow.api.scheduler.DriverInfo;
import org.scow.api.scheduler.ErrorCode;
import org.scow.api.scheduler.JobFilter;
import org.scow.api.scheduler.JobInfo;
import org.scow.api.scheduler.util.JobQueries;
import org.scow.api.scheduler.JobQuery;
import org.scow.api.scheduler.JobState;
import org.scow.api.scheduler.JobSpec;
import org.scow.api.scheduler.NodeInfo;
import org.scow.api.scheduler.Partition;
import org.scow.api.scheduler.SchedulerDriver;
import org.scow.api.scheduler.SchedulerException;
import org.scow.api.scheduler.SubmittedJob;
import org.scow.crane.driver.Failures.Context;
import org.scow.crane.protocol.BatchOptions;
import org.scow.crane.protocol.Channels;
import org.scow.crane.protocol.CredentialFiles;
import org.scow.crane.protocol.Wire;
import org.scow.crane.protocol.v1.AccountInfo;
import org.scow.crane.protocol.v1.AccountOpRequest;
import org.scow.crane.protocol.v1.AddAccount;
import org.scow.crane.protocol.v1.AddUser;
import org.scow.crane.protocol.v1.BlockAccount;
import org.scow.crane.protocol.v1.BlockUser;
import org.scow.crane.protocol.v1.CraneGrpc;
import org.scow.crane.protocol.v1.DeleteAccount;
import org.scow.crane.protocol.v1.DeleteUser;
import org.scow.crane.protocol.v1.Empty;
import org.scow.crane.protocol.v1.Job;
import org.scow.crane.protocol.v1.JobRef;
import org.scow.crane.protocol.v1.JobRequest;
import org.scow.crane.protocol.v1.Member;
import org.scow.crane.protocol.v1.ModifyJobRequest;
import org.scow.crane.protocol.v1.Node;
import org.scow.crane.protocol.v1.NodeQuery;
import org.scow.crane.protocol.v1.PartitionInfo;
import org.scow.crane.protocol.v1.RemoveUser;
import org.scow.crane.protocol.v1.UserInfo;

/**
 * A Crane cluster through cranectld's gRPC API. Administration runs as the proxy credential's principal (an
 * operator or admin of the controller); submissions and cancels run on behalf of the job's user, so the
 * controller applies that user's rights. Blocked accounts and users: new submissions are refused; pending jobs
 * stay queued with reason {@code AccountBlocked} and run after the unblock; running jobs continue.
 */
final class CraneDriver implements SchedulerDriver {
    private static final DriverInfo INFO = new DriverInfo(CraneDriverFactory.TYPE, "Crane (cranectld, gRPC v1)",
            new DriverInfo.Version(0, 1, 0), Set.of(DriverFeature.PARTITION_BLOCKING,
            DriverFeature.TIME_LIMIT_CHANGE, DriverFeature.NODE_INFO));

    private final CraneSettings settings;
    private final ManagedChannel channel;
    /** Read on first use: an embedded controller writes it when it starts, possibly after this driver. */
    private volatile String credential;
    private volatile boolean closed;

    CraneDriver(CraneSettings settings) throws SchedulerException {
        this.settings = settings;
        // connects lazily, on the first call: an unreachable controller fails operations, not creation
        try {
            channel = Channels.open(settings.host(), settings.port(), settings.tlsTrustFile());
        } catch (IOException e) {
            throw SchedulerException.invalid("driver.tlsTrustFile", e.getMessage());
        }
    }

    @Override
    public DriverInfo info() {
        return INFO;
    }

    private String credential() {
        String c = credential;
        if (c == null) {
            try {
                c = CredentialFiles.readCredential(settings.credentialFile());
            } catch (IOException e) {
                throw Status.UNAVAILABLE.withDescription("cannot read the credential file "
                        + settings.credentialFile() + ": " + e.getMessage()).asRuntimeException();
            }
            credential = c;
        }
        return c;
    }

    // ---- calls ---------------------------------------------------------------------------------------------------

    /** A stub acting as the proxy principal itself. */
    private CraneGrpc.CraneBlockingStub admin() {
        return stub(null);
    }

    /** A stub acting on behalf of {@code user}: the controller checks that user's rights. */
    private CraneGrpc.CraneBlockingStub as(String user) {
        return stub(user);
    }

    private CraneGrpc.CraneBlockingStub stub(String onBehalfOf) {
        Metadata md = new Metadata();
        md.put(Wire.CREDENTIAL, credential());
        if (onBehalfOf != null) md.put(Wire.ON_BEHALF_OF, onBehalfOf);
        return CraneGrpc.newBlockingStub(channel).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(md))
                .withDeadlineAfter(settings.timeout().toMillis(), TimeUnit.MILLISECONDS);
    }

    @FunctionalInterface
    private interface Call<T> {
        T run();
    }

    private static <T> T call(Context context, Call<T> c) throws SchedulerException {
        try {
            return c.run();
        } catch (StatusRuntimeException e) {
            throw Failures.map(e, context);
        }
    }

    private static <T> T call(Call<T> c) throws SchedulerException {
        return call(Context.OTHER, c);
    }

    private void accountOp(AccountOpRequest op) throws SchedulerException {
        call(() -> admin().accountOp(op));
    }

    // ---- accounts ------------------------------------------------------------------------------------------------

    private List<AccountInfo> accounts() throws SchedulerException {
        return call(() -> admin().queryAccounts(Empty.getDefaultInstance())).getAccountsList();
    }

    private AccountInfo account(String name) throws SchedulerException {
        return accounts().stream().filter(a -> a.getName().equals(name)).findFirst()
                .orElseThrow(() -> SchedulerException.accountNotFound(name));
    }

    private List<String> partitionNames() throws SchedulerException {
        return call(() -> admin().queryPartitions(Empty.getDefaultInstance())).getPartitionsList().stream()
                .map(PartitionInfo::getName).toList();
    }

    @Override
    public List<String> listAccounts(String userId) throws SchedulerException {
        List<UserInfo> users = call(() -> admin().queryUsers(Empty.getDefaultInstance())).getUsersList();
        return users.stream().filter(u -> u.getName().equals(userId)).findFirst()
                .map(u -> u.getAccountsList().stream().sorted().toList()).orElse(List.of());
    }

    @Override
    public void createAccount(String account, String ownerUserId) throws SchedulerException {
        accountOp(AccountOpRequest.newBuilder().setAddAccount(AddAccount.newBuilder().setName(account)
                .setDescription("owner " + ownerUserId)).build());
        try {
            addUserToAccount(ownerUserId, account);
        } catch (SchedulerException e) {
            // the account must not exist without its owner: undo, then report the real failure
            try {
                deleteAccount(account);
            } catch (SchedulerException undo) {
                e.addSuppressed(undo);
            }
            throw e;
        }
    }

    @Override
    public void deleteAccount(String account) throws SchedulerException {
        accountOp(AccountOpRequest.newBuilder().setDeleteAccount(DeleteAccount.newBuilder().setName(account)).build());
    }

    @Override
    public void blockAccount(String account) throws SchedulerException {
        accountOp(block(account, Set.of(), true));
    }

    @Override
    public void unblockAccount(String account) throws SchedulerException {
        accountOp(block(account, Set.of(), false));
    }

    @Override
    public void blockAccount(String account, Set<String> partitions) throws SchedulerException {
        // an empty set would mean "the whole account" on the wire; here it means "no partition": do nothing
        if (!partitions.isEmpty()) accountOp(block(account, partitions, true));
        else account(account);
    }

    @Override
    public void unblockAccount(String account, Set<String> partitions) throws SchedulerException {
        if (!partitions.isEmpty()) accountOp(block(account, partitions, false));
        else account(account);
    }

    private static AccountOpRequest block(String account, Set<String> partitions, boolean block) {
        return AccountOpRequest.newBuilder().setBlockAccount(BlockAccount.newBuilder().setAccount(account)
                .addAllPartitions(partitions).setBlock(block)).build();
    }

    @Override
    public AccountBlockStatus accountBlockStatus(String account) throws SchedulerException {
        return blockStatus(account(account), partitionNames());
    }

    private static AccountBlockStatus blockStatus(AccountInfo a, List<String> partitions) {
        Set<String> blockedIn = Set.copyOf(a.getBlockedInEffectiveList());
        Map<String, Boolean> per = new TreeMap<>();
        for (String p : partitions) per.put(p, blockedIn.contains(p));
        boolean all = !partitions.isEmpty() && blockedIn.containsAll(partitions);
        return new AccountBlockStatus(a.getBlockedEffective() || all, per);
    }

    @Override
    public List<ClusterAccount> allAccounts() throws SchedulerException {
        List<String> partitions = partitionNames();
        List<ClusterAccount> out = new ArrayList<>();
        for (AccountInfo a : accounts()) {
            List<ClusterAccount.Member> members = a.getMembersList().stream()
                    .map(m -> new ClusterAccount.Member(m.getUser(), m.getBlocked())).toList();
            // Crane records no owner; the description of accounts made by this driver says "owner <user>"
            String owner = a.getDescription().startsWith("owner ") ? a.getDescription().substring(6) : null;
            out.add(new ClusterAccount(a.getName(), owner, blockStatus(a, partitions), members));
        }
        out.sort((x, y) -> x.name().compareTo(y.name()));
        return out;
    }

    // ---- users in accounts ---------------------------------------------------------------------------------------

    @Override
    public void addUserToAccount(String userId, String account) throws SchedulerException {
        accountOp(AccountOpRequest.newBuilder().setAddUser(AddUser.newBuilder().setUser(userId).setAccount(account))
                .build());
    }

    @Override
    public void removeUserFromAccount(String userId, String account) throws SchedulerException {
        accountOp(AccountOpRequest.newBuilder().setRemoveUser(RemoveUser.newBuilder().setUser(userId)
                .setAccount(account)).build());
    }

    @Override
    public void blockUserInAccount(String userId, String account) throws SchedulerException {
        accountOp(blockUser(userId, account, true));
    }

    @Override
    public void unblockUserInAccount(String userId, String account) throws SchedulerException {
        accountOp(blockUser(userId, account, false));
    }

    private static AccountOpRequest blockUser(String user, String account, boolean block) {
        return AccountOpRequest.newBuilder().setBlockUser(BlockUser.newBuilder().setUser(user).setAccount(account)
                .setBlock(block)).build();
    }

    @Override
    public boolean isUserBlockedInAccount(String userId, String account) throws SchedulerException {
        return member(account(account), userId).getBlocked();
    }

    private static Member member(AccountInfo a, String user) throws SchedulerException {
        return a.getMembersList().stream().filter(m -> m.getUser().equals(user)).findFirst()
                .orElseThrow(() -> SchedulerException.userNotInAccount(user, a.getName()));
    }

    @Override
    public void deleteUser(String userId) throws SchedulerException {
        accountOp(AccountOpRequest.newBuilder().setDeleteUser(DeleteUser.newBuilder().setUser(userId)).build());
    }

    // ---- jobs ----------------------------------------------------------------------------------------------------

    @Override
    public SubmittedJob submitJob(JobSpec spec) throws SchedulerException {
        JobMapping.Submission s = JobMapping.fromSpec(spec);
        long id = call(Context.SUBMIT, () -> as(spec.user()).submitJob(s.request())).getJobId();
        return new SubmittedJob(String.valueOf(id), s.script());
    }

    @Override
    public SubmittedJob submitScript(String userId, String script, String workingDirectory) throws SchedulerException {
        if (workingDirectory == null || !workingDirectory.startsWith("/")) {
            throw SchedulerException.invalid("workingDirectory", "must be an absolute path");
        }
        JobRequest.Builder b = JobRequest.newBuilder().setUser(userId).setWorkDir(workingDirectory).setScript(script);
        try {
            BatchOptions.applyDirectives(script, b);
        } catch (BatchOptions.BadOptionException e) {
            throw SchedulerException.invalid("script", "bad directive " + e.getMessage());
        }
        long id = call(Context.SUBMIT, () -> as(userId).submitJob(b.build())).getJobId();
        return new SubmittedJob(String.valueOf(id), script);
    }

    @Override
    public JobQuery.Result queryJobs(JobQuery query) throws SchedulerException {
        org.scow.crane.protocol.v1.JobQuery feed = FeedQuery.of(query);
        if (feed == FeedQuery.NONE) return new JobQuery.Result(List.of(), 0);
        if (feed != null) {
            // finished jobs by end time, a page at a time (the billing feed): the controller filters, orders and pages
            org.scow.crane.protocol.v1.JobList page = call(() -> admin().queryJobs(feed));
            return new JobQuery.Result(page.getJobsList().stream()
                    .map(j -> JobQueries.project(JobMapping.toInfo(j), query)).toList(), page.getTotal());
        }
        // push the cheap, exact criteria down; JobQueries then applies the whole query (times, sort, page, fields)
        JobFilter f = query.filter();
        // a query for live states only (the portal's running/pending list) need not read the controller's history
        boolean finished = f.states() == null || f.states().isEmpty()
                || f.states().stream().anyMatch(s -> s.isFinished() || s == JobState.UNKNOWN);
        org.scow.crane.protocol.v1.JobQuery.Builder q = org.scow.crane.protocol.v1.JobQuery.newBuilder()
                .setIncludeFinished(finished).addAllUsers(f.users()).addAllAccounts(f.accounts());
        if (f.name() != null) q.setName(f.name());
        if (f.jobId() != null) {
            Long id = parseId(f.jobId());
            if (id == null) return new JobQuery.Result(List.of(), 0);
            q.addJobIds(id);
        }
        if (f.endTime() != null) {
            if (f.endTime().from() != null) q.setEndFrom(f.endTime().from().getEpochSecond());
            if (f.endTime().to() != null) q.setEndTo(f.endTime().to().getEpochSecond() + 1);
        }
        List<Job> jobs = call(() -> admin().queryJobs(q.build())).getJobsList();
        return JobQueries.apply(query, jobs.stream().map(JobMapping::toInfo));
    }

    @Override
    public JobInfo getJob(String jobId) throws SchedulerException {
        return JobMapping.toInfo(job(jobId));
    }

    private Job job(String jobId) throws SchedulerException {
        Long id = parseId(jobId);
        if (id == null) throw SchedulerException.jobNotFound(jobId);
        return call(() -> admin().getJob(JobRef.newBuilder().setJobId(id).build()));
    }

    /** Crane job ids are positive numbers; anything else cannot name a job. */
    private static Long parseId(String jobId) {
        try {
            long id = Long.parseLong(jobId);
            return id > 0 ? id : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    @Override
    public void cancelJob(String userId, String jobId) throws SchedulerException {
        Long id = parseId(jobId);
        if (id == null) throw SchedulerException.jobNotFound(jobId);
        call(() -> as(userId).cancelJob(JobRef.newBuilder().setJobId(id).build()));
    }

    @Override
    public long timeLimitMinutes(String jobId) throws SchedulerException {
        return job(jobId).getTimeLimitSec() / 60;
    }

    @Override
    public void changeTimeLimit(String jobId, long deltaMinutes) throws SchedulerException {
        Job j = job(jobId);
        if (JobMapping.state(j.getState()).isFinished()) {
            throw new SchedulerException(ErrorCode.INVALID_STATE, "job " + jobId + " has finished");
        }
        long minutes = j.getTimeLimitSec() / 60 + deltaMinutes;
        if (minutes < 1) {
            throw SchedulerException.invalid("deltaMinutes", "the time limit would be " + minutes + " minutes");
        }
        call(() -> admin().modifyJob(ModifyJobRequest.newBuilder().setJobId(j.getJobId())
                .setTimeLimit(String.valueOf(minutes)).build()));
    }

    // ---- cluster -------------------------------------------------------------------------------------------------

    private List<PartitionInfo> rawPartitions() throws SchedulerException {
        return call(() -> admin().queryPartitions(Empty.getDefaultInstance())).getPartitionsList();
    }

    private static Partition toPartition(PartitionInfo p) {
        Long max = p.getMaxTimeSec() > 0 ? p.getMaxTimeSec() / 60 : null;
        return new Partition(p.getName(), p.getNodesCount(), p.getCpus(), p.getMemMb(), p.getGpus(), List.of(), max,
                p.getUp(), null);
    }

    @Override
    public List<Partition> partitions() throws SchedulerException {
        return rawPartitions().stream().map(CraneDriver::toPartition).toList();
    }

    @Override
    public List<Partition> availablePartitions(String account, String userId) throws SchedulerException {
        AccountInfo a = account(account);
        Member m = a.getMembersList().stream().filter(x -> x.getUser().equals(userId)).findFirst().orElse(null);
        if (m == null || m.getBlocked() || a.getBlockedEffective()) return List.of();
        Set<String> blocked = Set.copyOf(a.getBlockedInEffectiveList());
        List<Partition> out = new ArrayList<>();
        for (PartitionInfo p : rawPartitions()) {
            boolean allowed = (a.getPartitionsCount() == 0 || a.getPartitionsList().contains(p.getName()))
                    && (m.getPartitionsCount() == 0 || m.getPartitionsList().contains(p.getName()));
            if (allowed && p.getUp() && !blocked.contains(p.getName())) out.add(toPartition(p));
        }
        return out;
    }

    @Override
    public ClusterUsage usage() throws SchedulerException {
        List<Node> nodes = call(() -> admin().queryNodes(NodeQuery.getDefaultInstance())).getNodesList();
        Map<String, Node> byName = new HashMap<>();
        for (Node n : nodes) byName.put(n.getName(), n);
        List<ClusterUsage.PartitionUsage> parts = new ArrayList<>();
        int running = 0;
        int pending = 0;
        for (PartitionInfo p : rawPartitions()) {
            List<Node> in = p.getNodesList().stream().map(byName::get).toList();
            parts.add(new ClusterUsage.PartitionUsage(p.getName(),
                    usage(in, p.getRunningJobs(), p.getPendingJobs())));
            running += p.getRunningJobs();
            pending += p.getPendingJobs();
        }
        return new ClusterUsage(usage(nodes, running, pending), parts);
    }

    /** Nodes with any allocation count as running; idle drained or down nodes as unavailable. */
    private static ClusterUsage.Usage usage(List<Node> nodes, int runningJobs, int pendingJobs) {
        int[] n = new int[3];
        int[] c = new int[3];
        int[] g = new int[3];
        for (Node x : nodes) {
            boolean unavailable = x.getState().equals("DOWN") || x.getState().equals("DRAIN");
            int rest = unavailable ? 2 : 1;
            n[x.getCpusAlloc() > 0 ? 0 : rest]++;
            c[0] += x.getCpusAlloc();
            c[rest] += x.getCpus() - x.getCpusAlloc();
            g[0] += x.getGpusAlloc();
            g[rest] += x.getGpus() - x.getGpusAlloc();
        }
        return new ClusterUsage.Usage(counts(n), counts(c), counts(g), runningJobs, pendingJobs);
    }

    private static ClusterUsage.Counts counts(int[] v) {
        return new ClusterUsage.Counts(v[0] + v[1] + v[2], v[0], v[1], v[2]);
    }

    @Override
    public List<NodeInfo> nodes(Set<String> names) throws SchedulerException {
        NodeQuery q = NodeQuery.newBuilder().addAllNames(new LinkedHashSet<>(names)).build();
        List<NodeInfo> out = new ArrayList<>();
        for (Node n : call(() -> admin().queryNodes(q)).getNodesList()) {
            NodeInfo.State state = switch (n.getState()) {
                case "IDLE" -> NodeInfo.State.IDLE;
                case "MIX", "ALLOC" -> NodeInfo.State.RUNNING;
                default -> NodeInfo.State.NOT_AVAILABLE;
            };
            out.add(new NodeInfo(n.getName(), n.getPartitionsList(), state, n.getReason().isEmpty() ? null : n.getReason(),
                    n.getCpus(), n.getCpusAlloc(), n.getMemMb(), n.getMemAllocMb(), n.getGpus(), n.getGpusAlloc()));
        }
        return out;
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        channel.shutdownNow();
    }
}
