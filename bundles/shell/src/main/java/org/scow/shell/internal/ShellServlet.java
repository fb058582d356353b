package org.scow.shell.internal;

import java.io.IOException;
import java.net.URI;
import java.util.Map;
import java.util.Optional;
import javax.servlet.Servlet;
import javax.servlet.ServletException;
import javax.servlet.http.Cookie;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.apache.sshd.client.channel.PtyCapableChannelSession;
import org.apache.sshd.sftp.client.SftpClient;
import org.eclipse.jetty.websocket.api.WebSocketPolicy;
import org.eclipse.jetty.websocket.api.WebSocketBehavior;
import org.eclipse.jetty.websocket.server.WebSocketServerFactory;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.scow.api.scheduler.util.Names;
import org.scow.loginnode.LoginConnection;
import org.scow.loginnode.LoginNodeException;
import org.scow.loginnode.LoginNodeService;
import org.scow.rest.support.RequestAuthenticator;
import org.scow.rest.support.ScowPrincipal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /ws/shell}: a terminal on a login node as the signed-in user. The caller is authenticated before the upgrade
 * (session cookie with an Origin that matches Host, or a bearer token), and the SSH session and shell channel are
 * prepared before it too, so every refusal is a plain HTTP status with a JSON body. Jetty's own WebSocket API is used
 * because a servlet sees the whole handshake request; JSR-356 endpoints on the Pax Web whiteboard do not.
 */
@Component(service = Servlet.class, property = {
        "osgi.http.whiteboard.servlet.pattern=/ws/shell",
        "osgi.http.whiteboard.servlet.name=scow-web-shell",
        "osgi.http.whiteboard.context.select=(osgi.http.whiteboard.context.name=default)"})
public class ShellServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ShellServlet.class);
    static final int MAX_SIZE = 1000;

    @Reference
    private transient LoginNodeService loginNodes;

    @Reference
    private transient RequestAuthenticator authenticator;

    private transient WebSocketServerFactory factory;

    @Override
    public void init() throws ServletException {
        WebSocketPolicy policy = new WebSocketPolicy(WebSocketBehavior.SERVER);
        policy.setIdleTimeout(30L * 60 * 1000); // an idle terminal stays open half an hour
        policy.setMaxTextMessageSize(1024 * 1024);
        factory = new WebSocketServerFactory(getServletContext(), policy);
        try {
            factory.start();
        } catch (Exception e) {
            throw new ServletException("cannot start the WebSocket factory", e);
        }
    }

    @Override
    public void destroy() {
        try {
            factory.stop();
        } catch (Exception e) {
            LOG.debug("stop", e);
        }
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        if (!"websocket".equalsIgnoreCase(req.getHeader("Upgrade"))) {
            refuse(resp, 400, "UPGRADE_REQUIRED", "this is a WebSocket endpoint");
            return;
        }
        if (!sameOrigin(req.getHeader("Origin"), req.getHeader("Host"))) {
            refuse(resp, 403, "FORBIDDEN_ORIGIN", "the page's origin is not this server");
            return;
        }
        ScowPrincipal caller = caller(req);
        if (caller == null) {
            refuse(resp, 401, "UNAUTHENTICATED", "sign in first or send a bearer token");
            return;
        }
        String cluster = req.getParameter("cluster");
        String node = req.getParameter("node");
        String path = req.getParameter("path");
        Integer cols = size(req.getParameter("cols"), 80);
        Integer rows = size(req.getParameter("rows"), 24);
        if (!Names.isValid(cluster)) {
            refuse(resp, 400, "INVALID_ARGUMENT", "cluster: " + Names.RULE);
            return;
        }
        if (node != null && !node.isEmpty() && !Names.isValid(node)) {
            refuse(resp, 400, "INVALID_ARGUMENT", "node: " + Names.RULE);
            return;
        }
        if (cols == null || rows == null) {
            refuse(resp, 400, "INVALID_ARGUMENT", "cols and rows must be whole numbers from 1 to " + MAX_SIZE);
            return;
        }
        LoginConnection connection;
        try {
            connection = loginNodes.connect(cluster, node == null || node.isEmpty() ? null : node, caller.userId());
        } catch (LoginNodeException e) {
            switch (e.reason()) {
                case UNKNOWN_CLUSTER -> refuse(resp, 404, "CLUSTER_NOT_FOUND", e.getMessage());
                case NOT_CONFIGURED, UNKNOWN_NODE -> refuse(resp, 409, "NO_LOGIN_NODE", e.getMessage());
                case INVALID_USER -> refuse(resp, 403, "FORBIDDEN", e.getMessage());
                default -> refuse(resp, 503, "LOGIN_NODE_UNREACHABLE", e.getMessage());
            }
            return;
        }
        boolean handedOver = false;
        try {
            PtyCapableChannelSession channel = channel(connection, path, cols, rows, resp);
            if (channel == null) {
                return;
            }
            handedOver = factory.acceptWebSocket((upgradeReq, upgradeResp) -> new ShellSocket(connection, channel),
                    req, resp);
            if (!handedOver) {
                channel.close(true);
            }
        } finally {
            if (!handedOver) {
                connection.close();
            }
        }
    }

    /**
     * The PTY channel: a login shell, or, for a start directory, {@code cd -- '<dir>' && exec "$SHELL" -l} with the
     * directory single-quoted ({@link ShellQuoting}) after SFTP has confirmed it is a directory the user can see.
     */
    private static PtyCapableChannelSession channel(LoginConnection c, String path, int cols, int rows,
            HttpServletResponse resp) throws IOException {
        PtyCapableChannelSession channel;
        if (path == null || path.isEmpty()) {
            channel = c.session().createShellChannel();
        } else {
            if (!path.startsWith("/") || path.indexOf('\0') >= 0) {
                refuse(resp, 400, "INVALID_ARGUMENT", "path: must be an absolute path");
                return null;
            }
            String quoted;
            try {
                quoted = ShellQuoting.quote(path);
                SftpClient.Attributes a = c.sftp().stat(path);
                if (!a.isDirectory()) {
                    refuse(resp, 400, "INVALID_ARGUMENT", "path: " + path + " is not a directory");
                    return null;
                }
            } catch (IllegalArgumentException e) {
                refuse(resp, 400, "INVALID_ARGUMENT", "path: " + e.getMessage());
                return null;
            } catch (IOException e) {
                refuse(resp, 404, "FILE_NOT_FOUND", "path: " + path + " does not exist or is not accessible");
                return null;
            }
            channel = c.session().createExecChannel("cd -- " + quoted + " && exec \"$SHELL\" -l");
        }
        channel.setUsePty(true);
        channel.setPtyType("xterm-256color");
        channel.setPtyColumns(cols);
        channel.setPtyLines(rows);
        channel.setEnv("LANG", "C.UTF-8");
        return channel;
    }

    private ScowPrincipal caller(HttpServletRequest req) {
        String authorization = req.getHeader("Authorization");
        if (authorization != null) {
            if (!authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
                return null;
            }
            return authenticator.token(authorization.substring(7).trim(), req.getRemoteAddr()).orElse(null);
        }
        Cookie[] cookies = req.getCookies();
        if (cookies != null) {
            for (Cookie c : cookies) {
                if (RequestAuthenticator.SESSION_COOKIE.equals(c.getName())) {
                    Optional<ScowPrincipal> p = authenticator.session(c.getValue());
                    if (p.isPresent()) {
                        return p.get();
                    }
                }
            }
        }
        return null;
    }

    /**
     * Browsers cannot send the CSRF header on a WebSocket, but always send Origin: it must name this server (as the
     * Host header does). Clients that are not browsers send no Origin and authenticate with a token or cookie.
     */
    static boolean sameOrigin(String origin, String host) {
        if (origin == null) {
            return true;
        }
        if (host == null) {
            return false;
        }
        try {
            URI o = URI.create(origin);
            if (o.getHost() == null || !("http".equals(o.getScheme()) || "https".equals(o.getScheme()))) {
                return false;
            }
            int port = o.getPort() != -1 ? o.getPort() : "https".equals(o.getScheme()) ? 443 : 80;
            URI h = URI.create("http://" + host);
            int hostPort = h.getPort() != -1 ? h.getPort() : port;
            return o.getHost().equalsIgnoreCase(h.getHost()) && port == hostPort;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static Integer size(String value, int fallback) {
        if (value == null || value.isEmpty()) {
            return fallback;
        }
        try {
            int v = Integer.parseInt(value);
            return v >= 1 && v <= MAX_SIZE ? v : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static void refuse(HttpServletResponse resp, int status, String code, String message) throws IOException {
        resp.setStatus(status);
        resp.setContentType("application/json");
        resp.setCharacterEncoding("UTF-8");
        resp.getWriter().write(com.fasterxml.jackson.databind.json.JsonMapper.builder().build()
                .writeValueAsString(Map.of("code", code, "message", message)));
    }
}
