package org.scow.scheduler.remote.internal;

import com.fasterxml.jackson.core.type.TypeReference;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.scow.api.scheduler.AccountBlockStatus;
import org.scow.api.scheduler.ClusterAccount;
import org.scow.api.scheduler.ClusterUsage;
import org.scow.api.scheduler.DriverFeature;
import org.scow.api.scheduler.DriverInfo;
import org.scow.api.scheduler.JobInfo;
import org.scow.api.scheduler.JobQuery;
import org.scow.api.scheduler.JobSpec;
import org.scow.api.scheduler.NodeInfo;
import org.scow.api.scheduler.Partition;
import org.scow.api.scheduler.SchedulerDriver;
import org.scow.api.scheduler.SchedulerException;
import org.scow.federation.client.PeerClient;
import org.scow.api.scheduler.SubmittedJob;
import org.scow.federation.SignedRequests;

/**
 * A peer center's cluster as a local cluster: each SPI call is one signed request to the peer's federation
 * endpoints, which apply the peer's grant to this center. Calls that name a user act as that home user; the others
 * (account management the platform does by itself) act as the center. Optional features are those declared in the
 * settings; the peer answers NOT_SUPPORTED for what its cluster lacks.
 */
public final class RemoteDriver implements SchedulerDriver {
    /** The driver type. */
    public static final String TYPE = "remote";
    private static final String CENTER = SignedRequests.CENTER_ACTOR;

    private final RemoteSettings settings;
    private final PeerClient client;
    private final String base;
    private final DriverInfo info;

    public RemoteDriver(RemoteSettings settings, PeerClient client) {
        this.settings = settings;
        this.client = client;
        this.base = SignedRequests.PEER_PATH + "clusters/" + seg(settings.cluster());
        this.info = new DriverInfo(TYPE, "SCOW center '" + settings.peer() + "', cluster '" + settings.cluster() + "'",
                new DriverInfo.Version(0, 1, 0), settings.features());
    }

    /** One percent-encoded path segment. */
    static String seg(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private <T> T call(String method, String path, Object body, String actor, TypeReference<T> type)
            throws SchedulerException {
        return client.call(settings.peer(), method, base + path, body, actor, type);
    }

    private void call(String method, String path, Object body, String actor) throws SchedulerException {
        client.call(settings.peer(), method, base + path, body, actor, null);
    }

    private void requireFeature(DriverFeature f) throws SchedulerException {
        if (!settings.features().contains(f)) {
            throw SchedulerException.notSupported(f);
        }
    }

    @Override
    public DriverInfo info() {
        return info;
    }

    @Override
    public List<String> listAccounts(String userId) throws SchedulerException {
        return call("GET", "/users/" + seg(userId) + "/accounts", null, userId, new TypeReference<List<String>>() { });
    }

    @Override
    public void createAccount(String account, String ownerUserId) throws SchedulerException {
        call("POST", "/accounts", Map.of("name", account, "owner", ownerUserId), CENTER);
    }

    @Override
    public void deleteAccount(String account) throws SchedulerException {
        call("DELETE", "/accounts/" + seg(account), null, CENTER);
    }

    @Override
    public void blockAccount(String account) throws SchedulerException {
        call("PUT", "/accounts/" + seg(account) + "/block", Map.of("partitions", List.of()), CENTER);
    }

    @Override
    public void unblockAccount(String account) throws SchedulerException {
        call("DELETE", "/accounts/" + seg(account) + "/block", null, CENTER);
    }

    @Override
    public void blockAccount(String account, Set<String> partitions) throws SchedulerException {
        requireFeature(DriverFeature.PARTITION_BLOCKING);
        call("PUT", "/accounts/" + seg(account) + "/block", Map.of("partitions", List.copyOf(partitions)), CENTER);
    }

    @Override
    public void unblockAccount(String account, Set<String> partitions) throws SchedulerException {
        requireFeature(DriverFeature.PARTITION_BLOCKING);
        String query = partitions.stream().sorted().map(p -> "partition=" + seg(p)).collect(Collectors.joining("&"));
        call("DELETE", "/accounts/" + seg(account) + "/block" + (query.isEmpty() ? "" : "?" + query), null, CENTER);
    }

    @Override
    public AccountBlockStatus accountBlockStatus(String account) throws SchedulerException {
        return call("GET", "/accounts/" + seg(account) + "/block", null, CENTER,
                new TypeReference<AccountBlockStatus>() { });
    }

    @Override
    public List<ClusterAccount> allAccounts() throws SchedulerException {
        return call("GET", "/accounts", null, CENTER, new TypeReference<List<ClusterAccount>>() { });
    }

    @Override
    public void addUserToAccount(String userId, String account) throws SchedulerException {
        call("PUT", "/accounts/" + seg(account) + "/users/" + seg(userId), null, CENTER);
    }

    @Override
    public void removeUserFromAccount(String userId, String account) throws SchedulerException {
        call("DELETE", "/accounts/" + seg(account) + "/users/" + seg(userId), null, CENTER);
    }

    @Override
    public void blockUserInAccount(String userId, String account) throws SchedulerException {
        call("PUT", "/accounts/" + seg(account) + "/users/" + seg(userId) + "/block", null, CENTER);
    }

    @Override
    public void unblockUserInAccount(String userId, String account) throws SchedulerException {
        call("DELETE", "/accounts/" + seg(account) + "/users/" + seg(userId) + "/block", null, CENTER);
    }

    @Override
    public boolean isUserBlockedInAccount(String userId, String account) throws SchedulerException {
        Map<String, Object> v = call("GET", "/accounts/" + seg(account) + "/users/" + seg(userId) + "/block", null,
                CENTER, new TypeReference<Map<String, Object>>() { });
        return Boolean.TRUE.equals(v.get("value"));
    }

    @Override
    public void deleteUser(String userId) throws SchedulerException {
        call("DELETE", "/users/" + seg(userId), null, CENTER);
    }

    @Override
    public SubmittedJob submitJob(JobSpec spec) throws SchedulerException {
        return call("POST", "/jobs", spec, spec.user(), new TypeReference<SubmittedJob>() { });
    }

    @Override
    public SubmittedJob submitScript(String userId, String script, String workingDirectory)
            throws SchedulerException {
        return call("POST", "/jobs/script", Map.of("user", userId, "script", script,
                "workingDirectory", workingDirectory), userId, new TypeReference<SubmittedJob>() { });
    }

    @Override
    public JobQuery.Result queryJobs(JobQuery query) throws SchedulerException {
        return call("POST", "/jobs/query", query, CENTER, new TypeReference<JobQuery.Result>() { });
    }

    @Override
    public JobInfo getJob(String jobId) throws SchedulerException {
        return call("GET", "/jobs/" + seg(jobId), null, CENTER, new TypeReference<JobInfo>() { });
    }

    @Override
    public void cancelJob(String userId, String jobId) throws SchedulerException {
        call("DELETE", "/jobs/" + seg(jobId) + "?user=" + seg(userId), null, userId);
    }

    @Override
    public long timeLimitMinutes(String jobId) throws SchedulerException {
        Map<String, Object> v = call("GET", "/jobs/" + seg(jobId) + "/time-limit", null, CENTER,
                new TypeReference<Map<String, Object>>() { });
        return ((Number) v.get("value")).longValue();
    }

    @Override
    public void changeTimeLimit(String jobId, long deltaMinutes) throws SchedulerException {
        requireFeature(DriverFeature.TIME_LIMIT_CHANGE);
        call("POST", "/jobs/" + seg(jobId) + "/time-limit", Map.of("deltaMinutes", deltaMinutes), CENTER);
    }

    @Override
    public List<Partition> partitions() throws SchedulerException {
        return call("GET", "/partitions", null, CENTER, new TypeReference<List<Partition>>() { });
    }

    @Override
    public List<Partition> availablePartitions(String account, String userId) throws SchedulerException {
        return call("GET", "/partitions?account=" + seg(account) + "&user=" + seg(userId), null, userId,
                new TypeReference<List<Partition>>() { });
    }

    @Override
    public ClusterUsage usage() throws SchedulerException {
        return call("GET", "/usage", null, CENTER, new TypeReference<ClusterUsage>() { });
    }

    @Override
    public List<NodeInfo> nodes(Set<String> names) throws SchedulerException {
        requireFeature(DriverFeature.NODE_INFO);
        String query = names.stream().sorted().map(n -> "name=" + seg(n)).collect(Collectors.joining("&"));
        return call("GET", "/nodes" + (query.isEmpty() ? "" : "?" + query), null, CENTER,
                new TypeReference<List<NodeInfo>>() { });
    }

    /** Nothing to release: the HTTP client's connections time out by themselves. */
    @Override
    public void close() {
    }
}
