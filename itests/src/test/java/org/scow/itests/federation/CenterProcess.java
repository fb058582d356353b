package org.scow.itests.federation;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One SCOW center as a separate Karaf process, unpacked from the real distribution into its own directory (so its
 * own data directory) and moved to its own ports, never the Pax Exam ones. Its Ed25519 key pair is made by the test
 * and written where the platform looks for it, so the test can sign as this center. The embedded Crane controller
 * is left out (its fixed port would collide) unless {@link #craneCluster} moves it to a port of its own; the other
 * clusters are the in-memory test driver's or remote ones.
 */
final class CenterProcess {
    final String id;
    final int httpPort;
    final int sshPort;
    final Path home;
    final KeyPair keys;
    private Process process;
    private boolean crane;
    /** The console admin's password (user karaf), made per center like ./scow.sh's first start does. */
    private final String consolePassword = "c" + Long.toHexString(new java.security.SecureRandom().nextLong());

    CenterProcess(String id, int portBase, Path workDir) throws Exception {
        this.id = id;
        this.httpPort = portBase + 81;
        this.sshPort = portBase + 1;
        this.home = workDir.resolve("center-" + id);
        this.keys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        unpack(Path.of(System.getProperty("scow.dist")));
        setKey("etc/org.ops4j.pax.web.cfg", "org.osgi.service.http.port", String.valueOf(httpPort));
        setKey("etc/org.apache.karaf.shell.cfg", "sshPort", String.valueOf(sshPort));
        setKey("etc/org.apache.karaf.management.cfg", "rmiRegistryPort", String.valueOf(portBase + 99));
        setKey("etc/org.apache.karaf.management.cfg", "rmiServerPort", String.valueOf(portBase + 98));
        Files.writeString(home.resolve("etc/users.properties"), "karaf = " + consolePassword
                + ",_g_:admingroup\n_g_\\:admingroup = group,admin,manager,viewer,systembundles,ssh\n",
                java.nio.file.StandardOpenOption.APPEND);
        Files.deleteIfExists(home.resolve("etc/org.scow.cluster-local.cfg"));
        Files.deleteIfExists(home.resolve("etc/org.scow.crane.ctld.cfg"));
        Path keyFile = home.resolve("data/federation/center-ed25519.key");
        Files.createDirectories(keyFile.getParent());
        Files.write(keyFile, List.of(Base64.getEncoder().encodeToString(keys.getPrivate().getEncoded()),
                publicKey()));
        config("org.scow.federation", Map.of("centerId", id, "centerName", "Center " + id.toUpperCase(),
                "url", url(), "probeIntervalSeconds", "2"));
    }

    /**
     * Keeps the embedded Crane controller as this center's own local cluster {@code clusterId}, moved to its own
     * port (its state, spool and credential socket are under this center's data directory already); {@code cpus}
     * cores on its one node, and no cgroups, since the centers share this machine's cgroup tree.
     */
    void craneCluster(String clusterId, int port, int cpus) throws IOException {
        crane = true;
        config("org.scow.crane.ctld", Map.of("port", String.valueOf(port), "nodeName", id + "-node",
                "cpus", String.valueOf(cpus), "cgroups", "off", "partition", "debug"));
        config("org.scow.cluster-" + clusterId, Map.of("id", clusterId, "displayName", "Center " + id
                + "'s Crane cluster", "driver", "crane", "driver.host", "127.0.0.1", "driver.port",
                String.valueOf(port), "driver.credentialFile", "${karaf.data}/crane/platform.cred"));
    }

    String url() {
        return "http://127.0.0.1:" + httpPort;
    }

    String publicKey() {
        return Base64.getEncoder().encodeToString(keys.getPublic().getEncoded());
    }

    /** Writes {@code etc/<pid>.cfg}. */
    void config(String pid, Map<String, String> values) throws IOException {
        List<String> lines = new ArrayList<>();
        new LinkedHashMap<>(values).forEach((k, v) -> lines.add(k + " = " + v));
        Files.write(home.resolve("etc/" + pid + ".cfg"), lines);
    }

    void trust(CenterProcess peer) throws IOException {
        config("org.scow.federation.peer-" + peer.id, Map.of("id", peer.id, "name", "Center " + peer.id,
                "url", peer.url(), "publicKey", peer.publicKey()));
    }

    /** Boots with the platform, federation and {@code extraFeatures}, the itest features repository registered. */
    void start(String adminPassword, String... extraFeatures) throws IOException {
        Path cfg = home.resolve("etc/org.apache.karaf.features.cfg");
        String text = Files.readString(cfg);
        text = text.replace("mvn:org.scow/scow-features/" + System.getProperty("scow.version") + "/xml/features",
                "mvn:org.scow/scow-features/" + System.getProperty("scow.version") + "/xml/features, \\\n    "
                        + Path.of(System.getProperty("scow.itest.features")).toUri());
        if (!crane) {
            text = text.replaceAll("\\s*scow-crane-controller/[^,]*,", "").replaceAll("\\s*scow-scheduler-crane/[^,]*,",
                    "");
        }
        text = text.replace("scow-platform/", String.join("", java.util.Arrays.stream(extraFeatures)
                .map(f -> f + ", \\\n    ").toList()) + "scow-platform/");
        Files.writeString(cfg, text);
        launch(adminPassword);
    }

    /** Starts the Karaf process again with the configuration it had: a restart after {@link #stop} or {@link #kill}. */
    void launch(String adminPassword) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(List.of(home.resolve("bin/karaf").toString(), "daemon"));
        pb.environment().put("EXTRA_JAVA_OPTS", "-Dscow.admin.password=" + adminPassword);
        pb.environment().put("JAVA_MAX_MEM", "768M");
        pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(home.resolve("console.log")
                .toFile()));
        process = pb.start();
    }

    /** Stops the Karaf process (and anything it started), forcibly after 60 s. */
    void stop() throws InterruptedException {
        if (process == null) {
            return;
        }
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** Kills the center at once, as a crash or a power cut would: no shutdown of anything. */
    void kill() throws InterruptedException {
        if (process == null) {
            return;
        }
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }

    /**
     * Runs one Karaf console command on this center (over its SSH console, as {@code ./scow.sh console} does) and
     * returns what it printed; fails when the client does not exit with 0.
     */
    String console(String command) throws Exception {
        Process p = new ProcessBuilder(List.of(home.resolve("bin/client").toString(), "-a", String.valueOf(sshPort),
                "-h", "127.0.0.1", "-u", "karaf", "-p", consolePassword, "-r", "10", "-d", "2", command))
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (!p.waitFor(3, TimeUnit.MINUTES) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new AssertionError("console '" + command + "' on center " + id + " failed: " + out);
        }
        return out;
    }

    boolean alive() {
        return process != null && process.isAlive();
    }

    private void unpack(Path tarGz) throws Exception {
        if (Files.exists(home)) {
            try (var walk = Files.walk(home)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        Files.createDirectories(home);
        Process tar = new ProcessBuilder(List.of("tar", "-xzf", tarGz.toString(), "-C", home.toString(),
                "--strip-components=1")).inheritIO().start();
        if (tar.waitFor() != 0) {
            throw new IOException("could not unpack " + tarGz);
        }
    }

    private void setKey(String file, String key, String value) throws IOException {
        Path p = home.resolve(file);
        String text = Files.readString(p);
        Matcher m = Pattern.compile("(?m)^#?\\s*" + Pattern.quote(key) + "\\s*=.*$").matcher(text);
        text = m.find() ? m.replaceFirst(Matcher.quoteReplacement(key + " = " + value)) : text + "\n" + key + " = "
                + value + "\n";
        Files.writeString(p, text);
    }

    static HttpResponse<String> get(HttpClient http, String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
