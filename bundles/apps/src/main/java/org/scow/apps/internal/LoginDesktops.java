package org.scow.apps.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.scow.apps.internal.SessionStatus.State;
import org.scow.loginnode.LoginConnection;
import org.scow.loginnode.LoginNode;
import org.scow.loginnode.LoginNodeException;
import org.scow.loginnode.LoginNodeService;
import org.scow.rest.support.ApiException;

/**
 * Desktops on a cluster's login node, as in SCOW: not jobs, but a VNC server with a window manager that the user
 * starts, lists and ends there. Everything runs as the user through the user's SSH session to the login node
 * ({@link DesktopScripts}); the browser reaches a desktop through the platform's proxy ({@code /proxy/<id>/}, owner
 * only), like an app session's. Where a desktop listens is known from creating or listing it; after a restart of the
 * platform the next listing (the portal lists before it connects) makes it reachable again.
 */
@Component(service = LoginDesktops.class, configurationPid = "org.scow.desktops")
@Designate(ocd = LoginDesktops.Config.class)
public class LoginDesktops {
    private static final Duration TIMEOUT = Duration.ofSeconds(40);
    private static final SecureRandom RANDOM = new SecureRandom();

    @ObjectClassDefinition(name = "SCOW login-node desktops")
    public @interface Config {
        @AttributeDefinition(description = "Desktops one user may have at once on one cluster")
        int maxPerUser() default 3;

        @AttributeDefinition(description = "Window managers offered: <id>=<label>=<command>; only those whose "
                + "program is installed on the login node are offered")
        String[] windowManagers() default {"openbox=Openbox=openbox-session", "xfce=Xfce=startxfce4",
                "mate=MATE=mate-session", "icewm=IceWM=icewm-session"};

        @AttributeDefinition(description = "Screen size of a new desktop")
        String geometry() default "1600x900";

        @AttributeDefinition(description = "Users below this uid (system accounts) cannot have desktops")
        int minUid() default 1000;
    }

    /** A window manager the administrator offers. */
    public record WindowManager(String id, String label, String command) {
    }

    /** One desktop as the API shows it (no password: that is for connecting). */
    public record Desktop(String id, String cluster, String node, int display, String windowManager, Instant created,
                          String proxyPath) {
    }

    /** What the desktops page needs: the caller's desktops, the limit and the window managers to choose from. */
    public record DesktopOverview(List<Desktop> desktops, int maxPerUser, List<WindowManager> windowManagers) {
    }

    private record Known(String owner, String cluster, String node, Connection connection) {
    }

    private final LoginNodeService loginNodes;
    private final int maxPerUser;
    private final List<WindowManager> windowManagers;
    private final String geometry;
    private final int minUid;
    /** Where each desktop listens, by id: filled when one is created or listed. */
    private final Map<String, Known> known = new ConcurrentHashMap<>();
    /** One create at a time per user and cluster, so that two at once cannot both pass the maximum. */
    private final Map<String, Object> locks = new ConcurrentHashMap<>();

    @Activate
    public LoginDesktops(@Reference LoginNodeService loginNodes, Config config) {
        this.loginNodes = loginNodes;
        this.maxPerUser = Math.max(1, config.maxPerUser());
        this.windowManagers = parseWindowManagers(config.windowManagers());
        this.geometry = config.geometry().matches("\\d{3,4}x\\d{3,4}") ? config.geometry() : "1600x900";
        this.minUid = config.minUid();
    }

    static List<WindowManager> parseWindowManagers(String[] entries) {
        List<WindowManager> out = new ArrayList<>();
        for (String e : entries == null ? new String[0] : entries) {
            String[] p = e.split("=", 3);
            if (p.length == 3 && p[0].strip().matches("[a-z][a-z0-9-]{0,31}") && !p[2].isBlank()) {
                out.add(new WindowManager(p[0].strip(), p[1].strip(), p[2].strip()));
            }
        }
        return List.copyOf(out);
    }

    /** The caller's desktops on the cluster's login node, and what a new one may be. */
    public DesktopOverview overview(String cluster, String user) {
        List<Desktop> desktops = list(cluster, user);
        return new DesktopOverview(desktops, maxPerUser, installed(cluster, user));
    }

    public List<Desktop> list(String cluster, String user) {
        try (LoginConnection c = connect(cluster, user)) {
            Result r = run(c, DesktopScripts.LIST, List.of());
            if (r.status() != 0) {
                throw unavailable(cluster, "listing desktops failed: " + r.err());
            }
            List<Desktop> out = new ArrayList<>();
            DesktopScripts.parse(r.out()).forEach((id, kv) -> {
                Desktop d = remember(id, kv, c, cluster, user);
                if (d != null) {
                    out.add(d);
                }
            });
            known.entrySet().removeIf(e -> e.getValue().owner().equals(user) && e.getValue().cluster().equals(cluster)
                    && out.stream().noneMatch(d -> d.id().equals(e.getKey())));
            return out;
        }
    }

    /** The window managers offered whose program is installed on the login node. */
    public List<WindowManager> installed(String cluster, String user) {
        try (LoginConnection c = connect(cluster, user)) {
            Result r = run(c, DesktopScripts.INSTALLED, windowManagers.stream().map(WindowManager::command).toList());
            List<Boolean> there = DesktopScripts.installed(r.out(), windowManagers.size());
            List<WindowManager> out = new ArrayList<>();
            for (int i = 0; i < windowManagers.size(); i++) {
                if (there.get(i)) {
                    out.add(windowManagers.get(i));
                }
            }
            return out;
        }
    }

    /** Starts a desktop with the chosen window manager, unless the user already has the maximum. */
    public Desktop create(String cluster, String user, String windowManager) {
        if (!windowManager.matches("[a-z][a-z0-9-]{0,31}")) { // not echoed: it may be anything, of any length
            throw ApiException.badField("windowManager", "must be one of "
                    + windowManagers.stream().map(WindowManager::id).toList());
        }
        WindowManager wm = windowManagers.stream().filter(w -> w.id().equals(windowManager)).findFirst()
                .orElseThrow(() -> ApiException.badField("windowManager", "'" + windowManager + "' is not offered; "
                        + "choose one of " + windowManagers.stream().map(WindowManager::id).toList()));
        synchronized (locks.computeIfAbsent(user + "@" + cluster, k -> new Object())) {
            int have = list(cluster, user).size();
            if (have >= maxPerUser) {
                throw new ApiException(409, "DESKTOP_LIMIT", "you already have " + have + " desktop"
                        + (have == 1 ? "" : "s") + " on cluster " + cluster + ", the most one user may have; "
                        + "close one first", Map.of("max", maxPerUser, "cluster", cluster));
            }
            try (LoginConnection c = connect(cluster, user)) {
                if (!installed(cluster, user).contains(wm)) {
                    throw ApiException.badField("windowManager", "'" + windowManager + "' is not installed on the "
                            + "login node " + c.node().name());
                }
                String id = HexFormat.of().formatHex(bytes(16));
                String listen = loopback(c.node().host()) ? "127.0.0.1" : "0.0.0.0";
                Result r = run(c, DesktopScripts.CREATE, List.of(id, wm.id(), wm.command(), geometry, listen,
                        Integer.toString(minUid)));
                if (r.status() == 5) {
                    throw new ApiException(403, "FORBIDDEN", "system accounts cannot have desktops", Map.of());
                }
                if (r.status() != 0) {
                    throw new ApiException(503, "DESKTOP_NOT_STARTED", "the desktop could not start on the login "
                            + "node " + c.node().name() + ": " + r.err().strip(), Map.of("cluster", cluster));
                }
                Map<String, String> kv = DesktopScripts.parse(r.out()).get(id);
                Desktop d = kv == null ? null : remember(id, kv, c, cluster, user);
                if (d == null) {
                    throw unavailable(cluster, "the login node did not say where the desktop listens");
                }
                return d;
            }
        }
    }

    /** Ends the user's desktop: its VNC server, window manager and bridge. */
    public void kill(String cluster, String user, String id) {
        if (!id.matches("[0-9a-f]{32}")) {
            throw ApiException.notFound("DESKTOP_NOT_FOUND", "no desktop '" + id + "'", Map.of("id", id));
        }
        try (LoginConnection c = connect(cluster, user)) {
            Result r = run(c, DesktopScripts.KILL, List.of(id));
            if (r.status() == 4) {
                throw ApiException.notFound("DESKTOP_NOT_FOUND", "no desktop '" + id + "' on cluster " + cluster,
                        Map.of("id", id));
            }
            if (r.status() != 0) {
                throw unavailable(cluster, "ending the desktop failed: " + r.err());
            }
            known.remove(id);
        }
    }

    /** How the browser opens the desktop: noVNC's page through the proxy, with the password. */
    public AppService.ConnectInfo connect(String cluster, String user, String id) {
        Known k = known.get(id);
        if (k == null || !k.owner().equals(user) || !k.cluster().equals(cluster)) {
            list(cluster, user);
            k = known.get(id);
        }
        if (k == null || !k.owner().equals(user) || !k.cluster().equals(cluster)) {
            throw ApiException.notFound("DESKTOP_NOT_FOUND", "no desktop '" + id + "' on cluster " + cluster,
                    Map.of("id", id));
        }
        String base = AppService.PROXY_PREFIX + id;
        String url = base + "/vnc.html?autoconnect=true&resize=remote&path=" + base.substring(1) + "/websockify"
                + "&password=" + k.connection().password();
        return new AppService.ConnectInfo("GET", url, Map.of(), k.connection().password());
    }

    /** For the proxy: the owner of a desktop and where its noVNC bridge listens; null when not known. */
    public AppService.Target target(String id) {
        Known k = known.get(id);
        return k == null ? null : new AppService.Target(k.owner(), k.connection(), AppDefinition.Proxy.RELATIVE,
                State.RUNNING, "running on the login node " + k.node());
    }

    /** The proxy could not reach the desktop: forget it until it is listed again. */
    public void invalidate(String id) {
        known.remove(id);
    }

    private Desktop remember(String id, Map<String, String> kv, LoginConnection c, String cluster, String user) {
        try {
            int display = Integer.parseInt(kv.getOrDefault("display", ""));
            int port = Integer.parseInt(kv.getOrDefault("port", ""));
            String password = kv.getOrDefault("password", "");
            if (port < 1024 || port > 65535 || !password.matches("[0-9a-f]{1,8}")) {
                return null;
            }
            LoginNode node = c.node();
            known.put(id, new Known(user, cluster, node.name(), new Connection(node.host(), port, password, "/")));
            Instant created = Instant.ofEpochSecond(Long.parseLong(kv.getOrDefault("created", "0")));
            return new Desktop(id, cluster, node.name(), display, kv.get("windowManager"), created,
                    AppService.PROXY_PREFIX + id + "/");
        } catch (NumberFormatException e) {
            return null; // a desktop file the user changed by hand: not shown, not reachable
        }
    }

    private static byte[] bytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }

    private static boolean loopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    record Result(int status, String out, String err) {
    }

    /** Runs a script as the connection's user and waits for it (bounded). */
    static Result run(LoginConnection c, String script, List<String> args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (ChannelExec ch = c.session().createExecChannel(DesktopScripts.command(args))) {
            ch.setIn(new ByteArrayInputStream(script.getBytes(StandardCharsets.UTF_8)));
            ch.setOut(out);
            ch.setErr(err);
            ch.open().verify(TIMEOUT);
            ch.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), TIMEOUT);
            Integer status = ch.getExitStatus();
            return new Result(status == null ? -1 : status, out.toString(StandardCharsets.UTF_8),
                    err.toString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new ApiException(503, "LOGIN_NODE_UNREACHABLE", "the login node did not answer: " + e.getMessage(),
                    Map.of());
        }
    }

    private LoginConnection connect(String cluster, String user) {
        try {
            return loginNodes.connect(cluster, null, user);
        } catch (LoginNodeException e) {
            throw switch (e.reason()) {
                case UNKNOWN_CLUSTER -> ApiException.notFound("CLUSTER_NOT_FOUND", e.getMessage(),
                        Map.of("cluster", cluster));
                case NOT_CONFIGURED, UNKNOWN_NODE -> new ApiException(409, "NO_LOGIN_NODE", "desktops run on a login "
                        + "node: " + e.getMessage(), Map.of("cluster", cluster));
                case INVALID_USER -> new ApiException(403, "FORBIDDEN", e.getMessage(), Map.of());
                default -> unavailable(cluster, e.getMessage());
            };
        }
    }

    private static ApiException unavailable(String cluster, String message) {
        return new ApiException(503, "LOGIN_NODE_UNREACHABLE", message, Map.of("cluster", cluster));
    }
}
