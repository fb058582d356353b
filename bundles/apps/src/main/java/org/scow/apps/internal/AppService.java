package org.scow.apps.internal;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.persistence.EntityManagerFactory;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.scow.api.cluster.Cluster;
import org.scow.api.cluster.ClusterRegistry;
import org.scow.api.scheduler.ErrorCode;
import org.scow.api.scheduler.JobInfo;
import org.scow.api.scheduler.JobSpec;
import org.scow.api.scheduler.SchedulerDriver;
import org.scow.api.scheduler.SchedulerException;
import org.scow.api.scheduler.SubmittedJob;
import org.scow.apps.internal.SessionStatus.CancelledBy;
import org.scow.apps.internal.SessionStatus.State;
import org.scow.loginnode.LoginNodeException;
import org.scow.loginnode.LoginNodeService;
import org.scow.persistence.Database;
import org.scow.rest.support.ApiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Interactive app sessions: launching one submits a batch job through the cluster's scheduler driver; its status is
 * derived from the job and the files the job writes in {@code ~/scow/apps/<session>/} (read as the user). Ended
 * sessions keep their final status in the database. Configuration PID {@code org.scow.apps}.
 */
@Component(service = AppService.class, configurationPid = "org.scow.apps")
@Designate(ocd = AppService.Config.class)
public class AppService {
    private static final Logger LOG = LoggerFactory.getLogger(AppService.class);
    static final String CHANGELOG = "db/apps/changelog.xml";
    static final String PROXY_PREFIX = "/proxy/";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int LOG_LINES = 30;

    /** Configuration of PID {@code org.scow.apps}. */
    @ObjectClassDefinition(name = "SCOW interactive apps")
    public @interface Config {
        @AttributeDefinition(description = "Directory of the app definitions (<id>.yaml); empty: etc/apps")
        String directory() default "";

        @AttributeDefinition(description = "Seconds a derived session status is reused")
        int statusCacheSeconds() default 3;

        @AttributeDefinition(description = "Clusters whose node names are not host names: <cluster>=<address>,... "
                + "(the proxy reaches every node of that cluster at the address)")
        String nodeAddresses() default "";
    }

    private final ClusterRegistry registry;
    private final UserFiles files;
    private final SessionStore store;
    private final AppCatalog catalog;
    private final long cacheMillis;
    private final NodeAddresses nodeAddresses;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    private record Cached(long at, SessionStatus status, Connection connection, String problem) {
    }

    /** A session with its status, as the API shows it. */
    public record SessionView(String id, String app, String appName, String cluster, String owner, String jobId,
                              State state, String message, String reason, Instant expectedStart, Instant submitTime,
                              Instant startTime, Instant endTime, Long timeLeftSeconds, boolean failed,
                              String logTail, String sessionDir, String proxyPath, Map<String, String> values) {
    }

    /** How the browser signs in to a running session. */
    public record ConnectInfo(String method, String url, Map<String, String> form, String password) {
    }

    /** Where the proxy sends a session's requests; null connection: not running (message says why). */
    public record Target(String owner, Connection connection, AppDefinition.Proxy proxy, State state,
                         String message) {
    }

    @Activate
    public AppService(@Reference(target = "(osgi.unit.name=scow-apps)") EntityManagerFactory emf,
                      @Reference Database database, @Reference ClusterRegistry registry,
                      @Reference LoginNodeService loginNodes, Config config) {
        database.migrate(CHANGELOG, AppService.class.getClassLoader());
        this.registry = registry;
        this.files = new UserFiles(loginNodes);
        this.store = new SessionStore(emf);
        this.cacheMillis = Math.max(0, config.statusCacheSeconds()) * 1000L;
        this.nodeAddresses = NodeAddresses.parse(config.nodeAddresses());
        String dir = config.directory();
        if (dir == null || dir.isBlank()) {
            dir = Path.of(System.getProperty("karaf.etc", "etc"), "apps").toString();
        }
        this.catalog = new AppCatalog(Path.of(dir));
    }

    public AppCatalog catalog() {
        return catalog;
    }

    public AppDefinition app(String id) {
        return catalog.app(id).orElseThrow(() -> ApiException.notFound("APP_NOT_FOUND", "no app '" + id
                + "'; GET /api/v1/apps lists them", Map.of("app", String.valueOf(id))));
    }

    static SchedulerDriver driver(ClusterRegistry registry, String id) {
        Cluster c = registry.cluster(id).orElseThrow(() -> ApiException.notFound("CLUSTER_NOT_FOUND",
                "no cluster '" + id + "'; GET /api/v1/clusters lists them", Map.of("cluster", id)));
        return c.driver().orElseThrow(() -> new ApiException(503, "CLUSTER_OFFLINE",
                "cluster '" + id + "' is offline: " + c.offlineReason(), Map.of("cluster", id)));
    }

    SchedulerDriver driver(String cluster) {
        return driver(registry, cluster);
    }

    // ---- launch

    /** Submits a session of {@code appId} on {@code cluster} as {@code user} with the form {@code values}. */
    public SessionView launch(String user, String cluster, String appId, Map<String, String> values)
            throws SchedulerException {
        AppDefinition app = app(appId);
        if (!app.offeredOn(cluster)) {
            throw ApiException.badField("cluster", "the app '" + appId + "' is not offered on cluster '" + cluster
                    + "'; it is on " + app.clusters());
        }
        SchedulerDriver driver = driver(cluster);
        FormValues.Resources resources;
        Map<String, String> attributes;
        try {
            resources = FormValues.resources(app, values, driver.listAccounts(user),
                    account -> driver.availablePartitions(account, user));
            attributes = FormValues.attributes(app, values);
        } catch (FormValues.FieldException e) {
            throw ApiException.badField(e.field(), e.getMessage().substring(e.field().length() + 2));
        }
        Map<String, String> saved = new LinkedHashMap<>(resources.asValues());
        saved.putAll(attributes);
        String savedJson;
        try {
            savedJson = JSON.writeValueAsString(saved);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        if (savedJson.length() > 6000) {
            throw ApiException.badField("values", "the form values are too long together (at most 6000 characters)");
        }
        String id = newId();
        String[] dirAndHome = files.createSessionDir(cluster, user, id);
        String dir = dirAndHome[0];
        Map<String, String> scriptValues = new LinkedHashMap<>(attributes);
        for (AppDefinition.Attribute a : app.attributes()) {
            String v = scriptValues.get(a.name());
            if (a.type() == AppDefinition.AttributeType.FILE && v != null) {
                scriptValues.put(a.name(), inHome(v, dirAndHome[1]));
            }
        }
        String script = ScriptRenderer.render(app, new ScriptRenderer.Context(id, dir, PROXY_PREFIX + id + "/", user,
                cluster, resources, scriptValues));
        JobSpec spec = new JobSpec(user, "app-" + app.id(), resources.account(), resources.partition(),
                resources.qos(), 1, resources.cores(), resources.gpus(), null, resources.time(), script, dir,
                dir + "/" + ScriptRenderer.LOG_FILE, null, List.of());
        spec.validate();
        SubmittedJob job = driver.submitJob(spec);
        AppSessionEntity e = new AppSessionEntity();
        e.id = id;
        e.owner = user;
        e.cluster = cluster;
        e.appId = app.id();
        e.appName = app.name();
        e.jobId = job.jobId();
        e.sessionDir = dir;
        e.formValues = savedJson;
        e.createdAt = Instant.now();
        try {
            store.insert(e);
        } catch (RuntimeException ex) {
            cancelQuietly(driver, user, job.jobId());
            throw ex;
        }
        LOG.info("App session {} of {} for {} on {}: job {}", id, app.id(), user, cluster, job.jobId());
        return view(e);
    }

    /** A path the user gave: absolute, or relative to the home directory ({@code ~} and {@code ~/x} too). */
    static String inHome(String path, String home) {
        if (path.equals("~")) {
            return home;
        }
        if (path.startsWith("~/")) {
            return home + path.substring(1);
        }
        return path.startsWith("/") ? path : home + "/" + path;
    }

    private static String newId() {
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    // ---- sessions

    /** The session row, or 404. */
    public AppSessionEntity entity(String id) {
        AppSessionEntity e = id == null || !id.matches("[0-9a-f]{32}") ? null : store.find(id);
        if (e == null) {
            throw ApiException.notFound("SESSION_NOT_FOUND", "no app session '" + id + "'", Map.of("id",
                    String.valueOf(id)));
        }
        return e;
    }

    /** Newest first; owner or cluster null: any. */
    public List<SessionView> sessions(String owner, String cluster, int limit) {
        return store.list(owner, cluster, limit).stream().map(this::view).toList();
    }

    public SessionView view(AppSessionEntity e) {
        Cached c = status(e);
        SessionStatus s = c.status();
        String logTail = e.ended ? e.logTail : null;
        if (s.state() == State.ENDED && !e.ended) { // it ended just now: the log tail was saved with it
            AppSessionEntity fresh = store.find(e.id);
            logTail = fresh == null ? null : fresh.logTail;
        }
        Map<String, String> values;
        try {
            values = JSON.readValue(e.formValues, new TypeReference<LinkedHashMap<String, String>>() { });
        } catch (IOException ex) {
            values = Map.of();
        }
        return new SessionView(e.id, e.appId, e.appName, e.cluster, e.owner, e.jobId, s.state(), s.message(),
                s.reason(), s.expectedStart(), e.createdAt, s.startTime(), s.endTime(), s.timeLeftSeconds(),
                s.failed(), logTail, e.sessionDir, PROXY_PREFIX + e.id + "/", values);
    }

    /** The saved form of a session, for relaunching it. */
    public Map<String, String> values(AppSessionEntity e) {
        return view(e).values();
    }

    /** Cancels the session's job (a session that already ended stays as it is). */
    public SessionView cancel(AppSessionEntity e, CancelledBy by) throws SchedulerException {
        if (!e.ended) {
            store.cancelled(e.id, by);
            try {
                driver(e.cluster).cancelJob(e.owner, e.jobId);
            } catch (SchedulerException ex) {
                if (ex.code() != ErrorCode.INVALID_STATE && ex.code() != ErrorCode.JOB_NOT_FOUND) {
                    throw ex;
                }
            }
            cache.remove(e.id);
        }
        return view(store.find(e.id));
    }

    /** How to sign in to a running session: its URL below the proxy and the password. 409 unless running. */
    public ConnectInfo connect(AppSessionEntity e) {
        Cached c = status(e);
        if (c.status().state() != State.RUNNING || c.connection() == null) {
            throw new ApiException(409, "SESSION_NOT_RUNNING", "the session is not running: " + c.status().message(),
                    Map.of("state", c.status().state().name()));
        }
        AppDefinition app = catalog.app(e.appId).orElse(null);
        AppDefinition.Connect how = app == null ? new AppDefinition.Connect("GET", "/", null) : app.connect();
        String base = PROXY_PREFIX + e.id;
        String password = c.connection().password();
        String url = base + how.path().replaceAll("\\{\\{\\s*sessionId\\s*}}", e.id);
        Map<String, String> form = new LinkedHashMap<>();
        if (how.passwordField() != null && !password.isEmpty()) {
            if (how.method().equals("GET")) {
                url += (url.contains("?") ? "&" : "?") + how.passwordField() + "="
                        + java.net.URLEncoder.encode(password, java.nio.charset.StandardCharsets.UTF_8);
            } else {
                form.put(how.passwordField(), password);
            }
        }
        return new ConnectInfo(how.method(), url, form, password);
    }

    /** For the proxy: the owner and, while running, where the app listens. */
    public Target target(String id) {
        AppSessionEntity e = id.matches("[0-9a-f]{32}") ? store.find(id) : null;
        if (e == null) {
            return null;
        }
        Cached c = status(e);
        AppDefinition.Proxy proxy = catalog.app(e.appId).map(AppDefinition::proxy).orElse(AppDefinition.Proxy.ABSOLUTE);
        return new Target(e.owner, c.status().state() == State.RUNNING ? nodeAddresses.route(e.cluster,
                c.connection()) : null, proxy,
                c.status().state(), c.status().message());
    }

    /** Forgets the cached status (the proxy could not reach the app: perhaps it ended). */
    public void invalidate(String id) {
        cache.remove(id);
    }

    // ---- status

    private Cached status(AppSessionEntity e) {
        if (e.ended) {
            return new Cached(0, new SessionStatus(State.ENDED, e.endMessage, e.endReason, null, e.startedAt,
                    e.endedAt, null, Boolean.TRUE.equals(e.endFailed)), null, null);
        }
        long now = System.currentTimeMillis();
        Cached c = cache.get(e.id);
        if (c != null && now - c.at() < cacheMillis) {
            return c;
        }
        c = derive(e);
        if (c.status().state() == State.ENDED) {
            cache.remove(e.id);
        } else {
            cache.put(e.id, c);
        }
        return c;
    }

    private Cached derive(AppSessionEntity e) {
        long now = System.currentTimeMillis();
        JobInfo job;
        try {
            job = driver(e.cluster).getJob(e.jobId);
        } catch (SchedulerException ex) {
            if (ex.code() != ErrorCode.JOB_NOT_FOUND) {
                return unknown(now, "the cluster does not answer: " + ex.getMessage());
            }
            job = null;
        } catch (ApiException ex) {
            return unknown(now, ex.getMessage());
        }
        CancelledBy by = e.cancelledBy == null ? null : CancelledBy.valueOf(e.cancelledBy);
        try {
            Connection connection = null;
            String problem = null;
            String failure = null;
            if (job != null && job.state() == org.scow.api.scheduler.JobState.RUNNING) {
                String text = files.tail(e.cluster, e.owner, e.sessionDir + "/" + ScriptRenderer.CONNECTION_FILE, 4096);
                if (text != null) {
                    try {
                        connection = Connection.parse(text, job.nodeList());
                    } catch (IllegalArgumentException ex) {
                        problem = ex.getMessage();
                    }
                }
            }
            boolean running = job != null && job.state() == org.scow.api.scheduler.JobState.RUNNING;
            if (job == null || job.state().isFinished() || running && connection == null) {
                failure = firstLine(files.tail(e.cluster, e.owner, e.sessionDir + "/" + ScriptRenderer.FAILURE_FILE,
                        2000));
            }
            SessionStatus s = SessionStatus.derive(job, connection, failure, by, Instant.ofEpochMilli(now));
            if (problem != null && s.state() == State.STARTING) {
                s = new SessionStatus(State.STARTING, "starting: " + problem, null, null, s.startTime(), null,
                        s.timeLeftSeconds(), false);
            }
            if (s.state() == State.ENDED) {
                String tail = s.failed() ? UserFiles.lastLines(files.tail(e.cluster, e.owner,
                        e.sessionDir + "/" + ScriptRenderer.LOG_FILE, 16 * 1024), LOG_LINES) : null;
                store.ended(e.id, s, tail);
            }
            return new Cached(now, s, connection, problem);
        } catch (IOException | LoginNodeException ex) {
            return unknown(now, "cannot read the session's files in your home: " + ex.getMessage());
        }
    }

    private static Cached unknown(long now, String why) {
        return new Cached(now, new SessionStatus(State.UNKNOWN, why, null, null, null, null, null, false), null, null);
    }

    private static String firstLine(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        String line = text.strip().lines().findFirst().orElse("");
        return line.length() > 500 ? line.substring(0, 500) : line;
    }

    private static void cancelQuietly(SchedulerDriver driver, String user, String jobId) {
        try {
            driver.cancelJob(user, jobId);
        } catch (SchedulerException ex) {
            LOG.warn("Cannot cancel job {} of a session that could not be saved", jobId, ex);
        }
    }
}
