package org.scow.apps.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.servlet.Servlet;
import javax.servlet.ServletException;
import javax.servlet.http.Cookie;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.eclipse.jetty.websocket.api.WebSocketBehavior;
import org.eclipse.jetty.websocket.api.WebSocketPolicy;
import org.eclipse.jetty.websocket.server.WebSocketServerFactory;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.scow.apps.internal.AppService.Target;
import org.scow.rest.support.RequestAuthenticator;
import org.scow.rest.support.ScowPrincipal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /proxy/<session>/...}: HTTP and WebSocket from the browser to the app of a running session on its compute
 * node, so no node port is opened to the network. Every request and every WebSocket upgrade is authenticated (session
 * cookie or bearer token, as the REST API) and must come from the session's owner (403 for anyone else, admins
 * included). The platform's own credentials (its session cookie, a bearer token, the CSRF header) never reach the
 * app, and the app cannot set the platform's cookie. Browser requests that change something, and every WebSocket
 * upgrade, must come from this server's own pages (Origin), against cross-site request forgery.
 */
@Component(service = Servlet.class, property = {
        "osgi.http.whiteboard.servlet.pattern=/proxy/*",
        "osgi.http.whiteboard.servlet.name=scow-app-proxy",
        "osgi.http.whiteboard.servlet.asyncSupported=true",
        "osgi.http.whiteboard.context.select=(osgi.http.whiteboard.context.name=default)"})
public class ProxyServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ProxyServlet.class);

    /** Not passed on in either direction (RFC 9110 7.6.1), or set by the HTTP client itself. */
    static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-authenticate",
            "proxy-authorization", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade", "host",
            "content-length", "expect", "date", "from", "via", "warning", "x-csrf-token");

    @Reference
    private transient AppService apps;

    /** Login-node desktops are reached the same way (their noVNC bridge), with the same owner check. */
    @Reference
    private transient LoginDesktops desktops;

    @Reference
    private transient RequestAuthenticator authenticator;

    private transient HttpClient client;
    private transient WebSocketServerFactory factory;

    @Override
    public void init() throws ServletException {
        client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(10)).build();
        WebSocketPolicy policy = new WebSocketPolicy(WebSocketBehavior.SERVER);
        policy.setIdleTimeout(60L * 60 * 1000);
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
        String path = req.getRequestURI(); // raw: the app sees the path exactly as the browser sent it
        String ctx = req.getContextPath() == null ? "" : req.getContextPath();
        String rest = path.substring(ctx.length() + "/proxy/".length());
        int slash = rest.indexOf('/');
        String id = slash < 0 ? rest : rest.substring(0, slash);
        if (!id.matches("[0-9a-f]{32}")) {
            refuse(req, resp, 404, "SESSION_NOT_FOUND", "no app session here");
            return;
        }
        boolean upgrade = "websocket".equalsIgnoreCase(req.getHeader("Upgrade"));
        ScowPrincipal caller = caller(req);
        if (caller == null) {
            refuse(req, resp, 401, "UNAUTHENTICATED", "sign in to the portal first");
            return;
        }
        boolean safe = Set.of("GET", "HEAD", "OPTIONS").contains(req.getMethod()) && !upgrade;
        if (!safe && !sameOrigin(req.getHeader("Origin"), req.getHeader("Host"))
                && !sameOriginNavigation(req.getHeader("Origin"), req.getHeader("Sec-Fetch-Site"))) {
            refuse(req, resp, 403, "FORBIDDEN_ORIGIN", "the page's origin is not this server");
            return;
        }
        Target t = apps.target(id);
        if (t == null) {
            t = desktops.target(id);
        }
        if (t == null) {
            refuse(req, resp, 404, "SESSION_NOT_FOUND", "no app session here");
            return;
        }
        if (!t.owner().equals(caller.userId())) {
            refuse(req, resp, 403, "FORBIDDEN", "this app session belongs to someone else");
            return;
        }
        if (slash < 0 && !upgrade) { // the app's pages are below the base path
            resp.sendRedirect(ctx + "/proxy/" + id + "/" + (req.getQueryString() == null ? "" : "?" + req.getQueryString()));
            return;
        }
        if (t.connection() == null) {
            int status = t.state() == SessionStatus.State.ENDED ? 410 : 503;
            refuse(req, resp, status, "SESSION_NOT_RUNNING", "the app session is not running: " + t.message());
            return;
        }
        String appPath = t.proxy() == AppDefinition.Proxy.RELATIVE ? path.substring(ctx.length() + "/proxy/".length()
                + id.length()) : path.substring(ctx.length());
        String query = req.getQueryString() == null ? "" : "?" + req.getQueryString();
        if (upgrade) {
            webSocket(req, resp, id, t, appPath + query);
        } else {
            http(req, resp, id, t, appPath + query);
        }
    }

    private void http(HttpServletRequest req, HttpServletResponse resp, String id, Target t, String pathAndQuery)
            throws IOException {
        Connection c = t.connection();
        String origin = "http://" + c.host() + ":" + c.port();
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(origin + pathAndQuery));
        for (String name : Collections.list(req.getHeaderNames())) {
            String lower = name.toLowerCase(Locale.ROOT);
            if (HOP_BY_HOP.contains(lower)) {
                continue;
            }
            for (String value : Collections.list(req.getHeaders(name))) {
                String v = forwardedValue(lower, value, self(req), origin);
                if (v != null) {
                    try {
                        b.header(name, v);
                    } catch (IllegalArgumentException e) {
                        LOG.debug("header {} not passed on: {}", name, e.getMessage()); // the JDK refuses it
                    }
                }
            }
        }
        b.header("X-Forwarded-For", req.getRemoteAddr());
        b.header("X-Forwarded-Proto", req.getScheme());
        if (req.getHeader("Host") != null) {
            b.header("X-Forwarded-Host", req.getHeader("Host"));
        }
        long length = req.getContentLengthLong();
        boolean chunked = req.getHeader("Transfer-Encoding") != null;
        HttpRequest.BodyPublisher body;
        if (length > 0) {
            body = HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(
                    () -> stream(req)), length);
        } else if (chunked) {
            body = HttpRequest.BodyPublishers.ofInputStream(() -> stream(req));
        } else {
            body = HttpRequest.BodyPublishers.noBody();
        }
        b.method(req.getMethod(), body);
        HttpResponse<InputStream> r;
        try {
            r = client.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (ConnectException | HttpConnectTimeoutException e) {
            apps.invalidate(id);
            refuse(req, resp, 502, "APP_UNREACHABLE", "the app does not answer on " + c.host() + ":" + c.port()
                    + " (it may just have ended)");
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            refuse(req, resp, 503, "INTERRUPTED", "the platform is stopping");
            return;
        } catch (IOException | IllegalArgumentException e) {
            LOG.debug("proxy request to {} failed", origin, e);
            refuse(req, resp, 502, "APP_UNREACHABLE", "the app's answer broke off: " + e.getMessage());
            return;
        }
        resp.setStatus(r.statusCode());
        for (Map.Entry<String, List<String>> h : r.headers().map().entrySet()) {
            String lower = h.getKey().toLowerCase(Locale.ROOT);
            if (lower.startsWith(":") || HOP_BY_HOP.contains(lower) && !lower.equals("content-length")) {
                continue;
            }
            for (String v : h.getValue()) {
                String out = returnedValue(lower, v, origin, t, req.getContextPath(), id);
                if (out != null) {
                    resp.addHeader(h.getKey(), out);
                }
            }
        }
        try (InputStream in = r.body(); OutputStream out = resp.getOutputStream()) {
            byte[] buf = new byte[16 * 1024];
            for (int n; (n = in.read(buf)) >= 0;) {
                out.write(buf, 0, n);
                if (in.available() == 0) {
                    out.flush(); // streamed answers (server-sent events, progress) reach the browser at once
                }
            }
        }
    }

    private void webSocket(HttpServletRequest req, HttpServletResponse resp, String id, Target t, String pathAndQuery)
            throws IOException {
        Connection c = t.connection();
        String origin = "http://" + c.host() + ":" + c.port();
        ProxySocket socket = new ProxySocket();
        WebSocket.Builder b = client.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10));
        List<String> protocols = new ArrayList<>();
        for (String h : Collections.list(req.getHeaders("Sec-WebSocket-Protocol"))) {
            for (String p : h.split(",")) {
                if (!p.isBlank()) {
                    protocols.add(p.strip());
                }
            }
        }
        if (!protocols.isEmpty()) {
            b.subprotocols(protocols.get(0), protocols.subList(1, protocols.size()).toArray(String[]::new));
        }
        for (String name : List.of("Cookie", "Authorization", "Origin", "User-Agent", "Accept-Language")) {
            String v = req.getHeader(name) == null ? null
                    : forwardedValue(name.toLowerCase(Locale.ROOT), req.getHeader(name), self(req), origin);
            if (v != null) {
                b.header(name, v);
            }
        }
        WebSocket app;
        try {
            app = b.buildAsync(URI.create("ws://" + c.host() + ":" + c.port() + pathAndQuery), socket.appListener)
                    .get(15, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            apps.invalidate(id);
            refuse(req, resp, 502, "APP_UNREACHABLE", "the app refused the WebSocket on " + c.host() + ":"
                    + c.port() + ": " + (e.getCause() == null ? e : e.getCause()).getMessage());
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        socket.app(app);
        String chosen = app.getSubprotocol();
        boolean accepted = factory.acceptWebSocket((upgradeReq, upgradeResp) -> {
            if (chosen != null && !chosen.isEmpty()) {
                upgradeResp.setAcceptedSubProtocol(chosen);
            }
            return socket;
        }, req, resp);
        if (!accepted) {
            app.abort();
        }
    }

    /**
     * A request header as the app gets it, or null to drop it: the platform's session cookie and bearer tokens are
     * removed, Origin and Referer are rewritten to the app's own origin (apps check that they match Host).
     */
    static String forwardedValue(String lowerName, String value, String self, String appOrigin) {
        switch (lowerName) {
            case "cookie" -> {
                List<String> kept = new ArrayList<>();
                for (String part : value.split(";")) {
                    String p = part.strip();
                    if (!p.isEmpty() && !p.startsWith(RequestAuthenticator.SESSION_COOKIE + "=")) {
                        kept.add(p);
                    }
                }
                return kept.isEmpty() ? null : String.join("; ", kept);
            }
            case "authorization" -> {
                return value.regionMatches(true, 0, "Bearer ", 0, 7) ? null : value;
            }
            case "origin", "referer" -> {
                return value.startsWith(self) ? appOrigin + value.substring(self.length()) : value;
            }
            default -> {
                return value;
            }
        }
    }

    /** A response header as the browser gets it, or null to drop it. */
    static String returnedValue(String lowerName, String value, String appOrigin, Target t, String ctx, String id) {
        if (lowerName.equals("set-cookie")) {
            String name = value.split("=", 2)[0].strip();
            return name.equalsIgnoreCase(RequestAuthenticator.SESSION_COOKIE) ? null : value;
        }
        if (lowerName.equals("location") || lowerName.equals("content-location")) {
            String v = value.startsWith(appOrigin) ? value.substring(appOrigin.length()) : value;
            if (t.proxy() == AppDefinition.Proxy.RELATIVE && v.startsWith("/")) {
                v = (ctx == null ? "" : ctx) + "/proxy/" + id + v;
            }
            return v;
        }
        return value;
    }

    /** This server's origin as the browser sees it. */
    private static String self(HttpServletRequest req) {
        return req.getScheme() + "://" + req.getHeader("Host");
    }

    private static InputStream stream(HttpServletRequest req) {
        try {
            return req.getInputStream();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private ScowPrincipal caller(HttpServletRequest req) {
        String authorization = req.getHeader("Authorization");
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
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
     * A form posted by the portal into another tab (an app's login form, e.g. code-server's): under the portal's
     * {@code Referrer-Policy: no-referrer} Chromium sends {@code Origin: null}, but its Fetch Metadata, which pages
     * cannot set, says the request came from this origin. Without that header a null Origin stays refused.
     */
    static boolean sameOriginNavigation(String origin, String secFetchSite) {
        return "null".equals(origin) && "same-origin".equals(secFetchSite);
    }

    /** Browsers send Origin with writes and WebSocket upgrades: it must name this server (as Host does). */
    static boolean sameOrigin(String origin, String host) {
        if (origin == null) {
            return true; // not a browser: it authenticated with a token or cookie of its own
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

    /** An error as JSON, or as a small page for a browser navigating to the app. */
    private static void refuse(HttpServletRequest req, HttpServletResponse resp, int status, String code,
                               String message) throws IOException {
        if (resp.isCommitted()) {
            return;
        }
        resp.setStatus(status);
        resp.setCharacterEncoding("UTF-8");
        resp.setHeader("Cache-Control", "no-store");
        String accept = req.getHeader("Accept");
        if (accept != null && accept.contains("text/html")) {
            resp.setContentType("text/html");
            String m = message.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
            resp.getWriter().write("<!doctype html><html><head><meta charset=\"utf-8\"><title>App session</title>"
                    + "</head><body style=\"font-family:sans-serif;margin:3em\"><h1>" + status + "</h1><p>" + m
                    + "</p><p><a href=\"/\">Back to the portal</a></p></body></html>");
            return;
        }
        resp.setContentType("application/json");
        resp.getWriter().write(com.fasterxml.jackson.databind.json.JsonMapper.builder().build()
                .writeValueAsString(Map.of("code", code, "message", message)));
    }
}
