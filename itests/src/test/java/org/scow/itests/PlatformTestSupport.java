package org.scow.itests;

import static org.ops4j.pax.exam.CoreOptions.composite;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.CoreOptions.vmOption;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.configureConsole;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.karafDistributionConfiguration;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.logLevel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import javax.inject.Inject;
import org.apache.karaf.features.BootFinished;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.api.console.SessionFactory;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.karaf.options.LogLevelOption;
import org.ops4j.pax.exam.util.Filter;
import org.osgi.framework.BundleContext;

/**
 * Boots the real distribution (karaf-distribution/target/*.tar.gz) on test ports, so a dev instance on 8181 can run
 * alongside, and offers HTTP and shell helpers. Test code runs inside the container.
 */
public abstract class PlatformTestSupport {
    static final int HTTP_PORT = 18181;
    static final String BASE = "http://127.0.0.1:" + HTTP_PORT;
    static final int LOCAL_LOGIN_NODE_PORT = 18022;
    static final ObjectMapper JSON = new ObjectMapper();

    /** The initial platform admin's password, given to the container as {@code scow.admin.password}. */
    static final String ADMIN_PASSWORD = "itest-Admin-1234";

    /** Session cookie and CSRF token the request helpers send, after {@link #login}; null: anonymous. */
    private static volatile String sessionCookie;
    private static volatile String csrfToken;
    private static volatile String sessionUser;
    private static volatile String sessionPassword;

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Inject
    protected BundleContext bundleContext;

    /**
     * Published once the boot features are installed, including the bundle refreshes that installation may cause
     * (a refresh restarts the REST API and logging under a test that started too early).
     */
    @Inject
    @Filter(timeout = 300_000)
    protected BootFinished bootFinished;

    @Inject
    protected SessionFactory sessionFactory;

    /** The distribution plus a cluster {@code itest} served by the (not yet installed) test driver. */
    protected static Option platform(Option... extra) {
        String dist = System.getProperty("scow.dist");
        String karafHome = "target/exam";
        return composite(
                karafDistributionConfiguration().frameworkUrl(new File(dist).toURI().toString())
                        .unpackDirectory(new File(karafHome)).useDeployFolder(false),
                configureConsole().ignoreLocalConsole(),
                logLevel(LogLevelOption.LogLevel.INFO),
                editConfigurationFilePut("etc/org.ops4j.pax.web.cfg", "org.osgi.service.http.port",
                        String.valueOf(HTTP_PORT)),
                editConfigurationFilePut("etc/org.apache.karaf.shell.cfg", "sshPort", "18101"),
                editConfigurationFilePut("etc/org.apache.karaf.management.cfg", "rmiRegistryPort", "11099"),
                editConfigurationFilePut("etc/org.apache.karaf.management.cfg", "rmiServerPort", "44445"),
                // the platform's private login node (cluster local), beside a dev instance's 8022
                editConfigurationFilePut("etc/org.scow.loginnode.cfg", "localLoginNodePort",
                        String.valueOf(LOCAL_LOGIN_NODE_PORT)),
                editConfigurationFilePut("etc/org.scow.cluster-itest.cfg", "id", "itest"),
                editConfigurationFilePut("etc/org.scow.cluster-itest.cfg", "displayName", "Integration test cluster"),
                editConfigurationFilePut("etc/org.scow.cluster-itest.cfg", "driver", "test"),
                editConfigurationFilePut("etc/org.scow.cluster-itest.cfg", "driver.jobDurationMs", "300"),
                systemProperty("scow.itest.features").value(System.getProperty("scow.itest.features")),
                systemProperty("scow.admin.password").value(ADMIN_PASSWORD),
                jdkOptions(),
                composite(extra));
    }

    /** The test cluster's driver feature ({@code scow-scheduler-test}, serving cluster {@code itest}). */
    protected static Option testDriver() {
        return org.ops4j.pax.exam.karaf.options.KarafDistributionOption.features(
                new File(System.getProperty("scow.itest.features")).toURI().toString(), "scow-scheduler-test");
    }

    /** The platform with the test cluster's driver and every access rule enforced. */
    protected static Option[] enforcedWithTestDriver(Option... extra) {
        return new Option[] {platform(testDriver(), editConfigurationFilePut("etc/org.scow.auth.cfg", "enforce",
                "true"), composite(extra))};
    }

    /** What bin/karaf passes on JDK 9+; Pax Exam does not (paths are relative to the unpacked Karaf home). */
    private static Option jdkOptions() {
        return composite(
                vmOption("-Djdk.util.zip.disableZip64ExtraFieldValidation=true"),
                vmOption("--add-reads=java.xml=java.logging"),
                vmOption("--add-exports=java.base/org.apache.karaf.specs.locator=java.xml,ALL-UNNAMED"),
                vmOption("--patch-module"), vmOption("java.base=lib/endorsed/org.apache.karaf.specs.locator-4.4.10.jar"),
                vmOption("--patch-module"), vmOption("java.xml=lib/endorsed/org.apache.karaf.specs.java.xml-4.4.10.jar"),
                vmOption("--add-opens"), vmOption("java.base/java.security=ALL-UNNAMED"),
                vmOption("--add-opens"), vmOption("java.base/java.net=ALL-UNNAMED"),
                vmOption("--add-opens"), vmOption("java.base/java.lang=ALL-UNNAMED"),
                vmOption("--add-opens"), vmOption("java.base/java.util=ALL-UNNAMED"),
                vmOption("--add-opens"), vmOption("java.naming/javax.naming.spi=ALL-UNNAMED"),
                vmOption("--add-opens"), vmOption("java.rmi/sun.rmi.transport.tcp=ALL-UNNAMED"),
                vmOption("--add-exports=java.base/sun.net.www.protocol.file=ALL-UNNAMED"),
                vmOption("--add-exports=java.base/sun.net.www.protocol.ftp=ALL-UNNAMED"),
                vmOption("--add-exports=java.base/sun.net.www.protocol.http=ALL-UNNAMED"),
                vmOption("--add-exports=java.base/sun.net.www.protocol.https=ALL-UNNAMED"),
                vmOption("--add-exports=java.base/sun.net.www.protocol.jar=ALL-UNNAMED"),
                vmOption("--add-exports=jdk.xml.dom/org.w3c.dom.html=ALL-UNNAMED"),
                vmOption("--add-exports=java.base/sun.net.www.content.text=ALL-UNNAMED"),
                vmOption("--add-exports=jdk.naming.rmi/com.sun.jndi.url.rmi=ALL-UNNAMED"),
                vmOption("--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED"),
                vmOption("--add-exports=java.security.sasl/com.sun.security.sasl=ALL-UNNAMED"),
                vmOption("--add-exports=java.naming/com.sun.jndi.ldap=ALL-UNNAMED"),
                vmOption("-classpath"), vmOption("lib/jdk9plus/*" + File.pathSeparator + "lib/boot/*"));
    }

    /** An HTTP answer: status and parsed JSON body (null when the body is not JSON). */
    protected record Reply(int status, JsonNode json, String body) {
        @Override
        public String toString() {
            return status + " " + body;
        }
    }

    protected static Reply get(String path) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(BASE + path)).GET());
    }

    protected static Reply delete(String path) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(BASE + path)).DELETE());
    }

    protected static Reply post(String path, String json) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(BASE + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    /** A POST with extra headers given as name, value, name, value... */
    protected static Reply post(String path, String json, String... headers) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(BASE + path)).header("Content-Type", "application/json")
                .headers(headers).POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    protected static Reply put(String path, String json) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(BASE + path)).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json)));
    }

    /**
     * Signs in; the request helpers then send the session cookie and CSRF token. Answers the login reply (its JSON
     * has {@code csrfToken}).
     */
    protected static Reply login(String user, String password) throws Exception {
        anonymous();
        ApiSession s = session(user, password);
        if (s.reply().status() == 200) {
            sessionCookie = s.cookie();
            csrfToken = s.csrf();
            sessionUser = user;
            sessionPassword = password;
        }
        return s.reply();
    }

    /** Signs in as the initial platform admin. */
    protected static void loginAdmin() throws Exception {
        Reply r = login("admin", ADMIN_PASSWORD);
        long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (r.status() == 404 && System.nanoTime() < end) { // the auth resource is still being registered
            Thread.sleep(200);
            r = login("admin", ADMIN_PASSWORD);
        }
        if (r.status() != 200) {
            throw new AssertionError("admin login failed: " + r);
        }
    }

    /** Further requests are anonymous. */
    protected static void anonymous() {
        sessionCookie = null;
        csrfToken = null;
        sessionUser = null;
        sessionPassword = null;
    }

    /** A signed-in session: the cookie ({@code SCOW_SESSION=...}) and CSRF token, with the login reply. */
    protected record ApiSession(String cookie, String csrf, Reply reply) {
        /** Headers to send with a request of this session. */
        String[] headers() {
            return cookie == null ? new String[0] : new String[] {"Cookie", cookie, "X-CSRF-Token", csrf};
        }
    }

    protected static ApiSession session(String user, String password) throws Exception {
        String body = JSON.writeValueAsString(java.util.Map.of("user", user, "password", password));
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(BASE + "/api/v1/auth/login"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        Reply reply = reply(r);
        if (r.statusCode() != 200) {
            return new ApiSession(null, null, reply);
        }
        String cookie = r.headers().firstValue("Set-Cookie").orElseThrow().split(";", 2)[0];
        return new ApiSession(cookie, reply.json().get("csrfToken").asText(), reply);
    }

    /** Any request with explicit headers (name, value, ...) and no session of the helpers; body null: none. */
    protected static Reply call(String method, String path, String body, String... headers) throws Exception {
        return callWithin(Duration.ofSeconds(30), method, path, body, headers);
    }

    /** {@link #call} for an operation that may rightly take long (e.g. deleting 50,000 files over SFTP). */
    protected static Reply callWithin(Duration timeout, String method, String path, String body, String... headers)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(BASE + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        if (headers.length > 0) {
            b.headers(headers);
        }
        return reply(HTTP.send(b.timeout(timeout).build(), HttpResponse.BodyHandlers.ofString()));
    }

    private static Reply send(HttpRequest.Builder request) throws Exception {
        String cookie = sessionCookie;
        if (cookie != null) {
            request.setHeader("Cookie", cookie).setHeader("X-CSRF-Token", csrfToken);
        }
        Reply r = reply(HTTP.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString()));
        if (r.status() == 401 && cookie != null && sessionUser != null) {
            // the session ended (e.g. the auth bundle was refreshed by a feature change): sign in again, once
            login(sessionUser, sessionPassword);
            if (sessionCookie != null) {
                request.setHeader("Cookie", sessionCookie).setHeader("X-CSRF-Token", csrfToken);
                r = reply(HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString()));
            }
        }
        return r;
    }

    private static Reply reply(HttpResponse<String> r) throws Exception {
        JsonNode json = null;
        if (r.headers().firstValue("Content-Type").orElse("").contains("json") && !r.body().isEmpty()) {
            json = JSON.readTree(r.body());
        }
        return new Reply(r.statusCode(), json, r.body());
    }

    /**
     * Waits until the REST API answers at all (the whiteboard starts after the test probe may), then signs in as
     * the platform admin: the request helpers send that session from then on.
     */
    protected static void awaitRest() throws Exception {
        await("REST API up", Duration.ofSeconds(60), () -> {
            try {
                return get("/api/v1/health").status() != 404;
            } catch (Exception e) {
                return false;
            }
        });
        loginAdmin();
        // roles come from management's RoleDirectory, which may start after the REST API
        await("admin has the platform-admin role", Duration.ofSeconds(60), () -> {
            try {
                return get("/api/v1/auth/me").json().at("/roles/platformAdmin").asBoolean();
            } catch (Exception e) {
                return false;
            }
        });
    }

    protected static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for: " + what);
            }
            Thread.sleep(100);
        }
    }

    /** Runs a Karaf shell command and returns what it printed. */
    protected String shell(String command) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream ps = new PrintStream(out, true, StandardCharsets.UTF_8);
        Session session = sessionFactory.create(System.in, ps, ps);
        try {
            session.execute(command);
        } finally {
            session.close();
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /**
     * The platform installs its key into users' authorized_keys as root; the test login node
     * (.ci/login-node-up.sh) trusts it for root through /etc/scow-login-node/authorized_keys/root.
     */
    protected static void authorizePlatformKeyForRoot() throws Exception {
        java.nio.file.Path pub = java.nio.file.Path.of(System.getProperty("karaf.data"), "scow", "ssh",
                "platform_ed25519.pub");
        await("the platform key exists", Duration.ofSeconds(60), () -> java.nio.file.Files.exists(pub));
        String line = java.nio.file.Files.readString(pub).trim();
        java.nio.file.Path file = java.nio.file.Path.of("/etc/scow-login-node/authorized_keys/root");
        if (!java.nio.file.Files.exists(file) || !java.nio.file.Files.readString(file).contains(line.split(" ")[1])) {
            java.nio.file.Files.writeString(file, line + "\n", java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.APPEND);
        }
    }

    /** Whether something accepts connections on 127.0.0.1:port. */
    protected static boolean listening(int port) {
        try (java.net.Socket s = new java.net.Socket()) {
            s.connect(new java.net.InetSocketAddress("127.0.0.1", port), 2000);
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
