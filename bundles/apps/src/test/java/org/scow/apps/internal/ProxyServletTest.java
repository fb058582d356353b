package org.scow.apps.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import org.junit.Test;

/** What the proxy passes on, and what it keeps from the app and from the browser. */
public class ProxyServletTest {
    private static final String SELF = "https://portal.example.org";
    private static final String APP = "http://cn01:40000";
    private static final AppService.Target ABSOLUTE = new AppService.Target("alice", null, AppDefinition.Proxy.ABSOLUTE,
            SessionStatus.State.RUNNING, "");
    private static final AppService.Target RELATIVE = new AppService.Target("alice", null, AppDefinition.Proxy.RELATIVE,
            SessionStatus.State.RUNNING, "");

    @Test
    public void thePlatformsCredentialsNeverReachTheApp() {
        assertEquals("_xsrf=1; theme=dark", ProxyServlet.forwardedValue("cookie",
                "_xsrf=1; SCOW_SESSION=secret; theme=dark", SELF, APP));
        assertNull(ProxyServlet.forwardedValue("cookie", "SCOW_SESSION=secret", SELF, APP));
        assertNull(ProxyServlet.forwardedValue("authorization", "Bearer platform-token", SELF, APP));
        assertEquals("token app-token", ProxyServlet.forwardedValue("authorization", "token app-token", SELF, APP));
        assertTrue(ProxyServlet.HOP_BY_HOP.contains("x-csrf-token"));
    }

    @Test
    public void originAndRefererBecomeTheAppsOwn() {
        assertEquals(APP, ProxyServlet.forwardedValue("origin", SELF, SELF, APP));
        assertEquals(APP + "/proxy/x/tree", ProxyServlet.forwardedValue("referer", SELF + "/proxy/x/tree", SELF, APP));
        assertEquals("http://other.org", ProxyServlet.forwardedValue("origin", "http://other.org", SELF, APP));
    }

    @Test
    public void theAppCannotSetThePlatformsCookie() {
        assertNull(ProxyServlet.returnedValue("set-cookie", "SCOW_SESSION=attacker; Path=/", APP, ABSOLUTE, "", "x"));
        assertEquals("_xsrf=2; Path=/proxy/x/", ProxyServlet.returnedValue("set-cookie", "_xsrf=2; Path=/proxy/x/", APP,
                ABSOLUTE, "", "x"));
    }

    @Test
    public void redirectsStayBehindTheProxy() {
        assertEquals("/proxy/x/tree", ProxyServlet.returnedValue("location", APP + "/proxy/x/tree", APP, ABSOLUTE, "", "x"));
        assertEquals("/proxy/x/login", ProxyServlet.returnedValue("location", "/login", APP, RELATIVE, "", "x"));
        assertEquals("/proxy/x/login", ProxyServlet.returnedValue("location", APP + "/login", APP, RELATIVE, "", "x"));
        assertEquals("./login", ProxyServlet.returnedValue("location", "./login", APP, RELATIVE, "", "x"));
    }

    @Test
    public void writesAndUpgradesMustComeFromThisServer() {
        assertTrue(ProxyServlet.sameOrigin("http://127.0.0.1:8181", "127.0.0.1:8181"));
        assertTrue(ProxyServlet.sameOrigin("https://portal.example.org", "portal.example.org"));
        assertTrue(ProxyServlet.sameOrigin(null, "portal.example.org"));
        assertFalse(ProxyServlet.sameOrigin("http://evil.example.org", "portal.example.org"));
        assertFalse(ProxyServlet.sameOrigin("http://portal.example.org:8080", "portal.example.org:8181"));
        assertFalse(ProxyServlet.sameOrigin("null", "portal.example.org"));
        // the portal's form post into the app's tab: Origin null, but the browser's Fetch Metadata says same-origin
        assertTrue(ProxyServlet.sameOriginNavigation("null", "same-origin"));
        assertFalse(ProxyServlet.sameOriginNavigation("null", "cross-site"));
        assertFalse(ProxyServlet.sameOriginNavigation("null", "same-site"));
        assertFalse(ProxyServlet.sameOriginNavigation("null", null));
        assertFalse(ProxyServlet.sameOriginNavigation("http://evil.example.org", "same-origin"));
    }

    @Test
    public void closeCodesThatCannotBeSentBecomeNormal() {
        assertEquals(1000, ProxySocket.sendable(1006));
        assertEquals(1000, ProxySocket.sendable(1005));
        assertEquals(4001, ProxySocket.sendable(4001));
        assertEquals(1011, ProxySocket.sendable(1011));
    }
}
