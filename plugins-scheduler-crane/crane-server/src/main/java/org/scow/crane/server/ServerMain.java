package org.scow.crane.server;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.scow.crane.ctld.Clock;
import org.scow.crane.ctld.CtldConfig;
import org.scow.crane.ctld.util.TimeSpec;
import org.scow.crane.protocol.Credential;
import org.scow.crane.protocol.CredentialFiles;

/**
 * The standalone daemon and its credential tool.
 *
 * <pre>
 *   cranectld serve --config crane.conf [--state DIR] [--port N] [--pid FILE]
 *   cranectld credential --key FILE --scope user|proxy|node --principal NAME [--ttl 30-0] --out FILE [--owner USER]
 *   cranectld credential-service --key FILE --socket PATH [--ttl 1:00:00] [--min-uid 1000] [--denied root,nobody]
 *                                [--allowed-system NAMES]
 * </pre>
 * {@code credential} is run by root on the head node (it must read the key): it writes the credential to a file
 * mode 0600, owned by {@code --owner} when given, e.g. {@code /home/alice/.crane/credential} for alice.
 *
 * <p>{@code credential-service} runs the local credential service alone, for login and compute nodes of a networked
 * cluster: with a copy of the controller's key (root's, 0600, as munge shares its key) every ordinary user of that
 * node gets a short-lived credential from the socket, judged by that node's kernel. The key must exist: a service
 * that made up a key of its own would issue credentials the controller refuses.
 */
public final class ServerMain {
    private ServerMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0) usage();
        Map<String, String> opt = new HashMap<>();
        for (int i = 1; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) usage();
            opt.put(args[i].substring(2), args[++i]);
        }
        switch (args[0]) {
            case "serve" -> serve(opt);
            case "credential" -> credential(opt);
            case "credential-service" -> credentialService(opt);
            default -> usage();
        }
    }

    private static void serve(Map<String, String> opt) throws Exception {
        CtldConfig cfg = CtldConfig.load(Path.of(require(opt, "config")));
        if (opt.containsKey("state")) cfg.stateDir = Path.of(opt.get("state"));
        if (opt.containsKey("port")) cfg.listenPort = Integer.parseInt(opt.get("port"));
        if (cfg.stateDir == null) throw new IllegalArgumentException("StateDir= or --state is required");
        long t0 = System.nanoTime();
        CraneServer server = CraneServer.start(cfg, Clock.SYSTEM);
        System.err.printf("cranectld: recovered %d live jobs in %d ms; listening on %s:%d%s%n",
                server.controller().liveCount(), (System.nanoTime() - t0) / 1_000_000, cfg.listenAddress,
                server.port(), cfg.simulatedNodes ? " (SIMULATED nodes: jobs do not really run)" : cfg.localExecutor ? " (single machine: jobs run here)"
                : cfg.nodeDaemons ? " (node daemons: waiting for craned registrations, NodeTimeout " + cfg.nodeTimeoutSec + " s)" : "");
        if (opt.containsKey("pid")) Files.writeString(Path.of(opt.get("pid")), ProcessHandle.current().pid() + "\n");
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stop.countDown();
        }));
        stop.await();
    }

    private static void credentialService(Map<String, String> opt) throws Exception {
        CredentialService service = startCredentialService(opt);
        System.err.println("cranectld: credential service on " + service.path());
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            service.close();
            stop.countDown();
        }));
        stop.await();
    }

    /** The standalone credential service of {@code credential-service}, signing with an existing key. */
    static CredentialService startCredentialService(Map<String, String> opt) throws Exception {
        Path keyFile = Path.of(require(opt, "key"));
        if (!Files.isRegularFile(keyFile)) {
            throw new IllegalArgumentException("--key " + keyFile + " does not exist: copy the controller's key"
                    + " (AuthKeyFile, default <StateDir>/auth.key) to this node, readable by root only");
        }
        byte[] key = CredentialFiles.loadOrCreateKey(keyFile);
        long ttl = TimeSpec.parseDuration("ttl", opt.getOrDefault("ttl", "1:00:00"));
        var policy = org.scow.crane.protocol.JobUserPolicy.of(
                Integer.parseInt(opt.getOrDefault("min-uid", "1000")),
                CtldConfig.names(opt.getOrDefault("denied", "root,nobody")),
                CtldConfig.names(opt.getOrDefault("allowed-system", "")), false);
        return CredentialService.start(Path.of(require(opt, "socket")), policy, java.time.Duration.ofSeconds(ttl),
                (user, t) -> new Credential(Credential.Scope.USER, user,
                        System.currentTimeMillis() / 1000 + t.toSeconds()).sign(key));
    }

    private static void credential(Map<String, String> opt) throws Exception {
        System.err.println(issueCredential(opt));
    }

    /** Writes the credential file; answers the line that says what was written and until when (a date, not epoch). */
    static String issueCredential(Map<String, String> opt) throws Exception {
        byte[] key = CredentialFiles.loadOrCreateKey(Path.of(require(opt, "key")));
        Credential.Scope scope = Credential.Scope.valueOf(require(opt, "scope").toUpperCase(Locale.ROOT));
        long ttl = TimeSpec.parseDuration("ttl", opt.getOrDefault("ttl", "30-0"));
        Credential c = new Credential(scope, require(opt, "principal"), System.currentTimeMillis() / 1000 + ttl);
        Path out = Path.of(require(opt, "out"));
        CredentialFiles.writeCredential(out, c.sign(key), opt.get("owner"));
        return "cranectld: wrote " + scope.name().toLowerCase(Locale.ROOT) + " credential of '"
                + c.principal() + "' to " + out + ", valid until " + EXPIRY.format(Instant.ofEpochSecond(c.expiresEpochSec()));
    }

    /** Credential expiry as people read it; UTC, so the line means the same on every node. */
    static final DateTimeFormatter EXPIRY = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

    private static String require(Map<String, String> opt, String name) {
        String v = opt.get(name);
        if (v == null) throw new IllegalArgumentException("--" + name + " is required");
        return v;
    }

    private static void usage() {
        System.err.println("usage: cranectld serve --config FILE [--state DIR] [--port N] [--pid FILE]\n"
                + "       cranectld credential --key FILE --scope user|proxy|node --principal NAME [--ttl 30-0]"
                + " --out FILE [--owner USER]\n"
                + "       cranectld credential-service --key FILE --socket PATH [--ttl 1:00:00] [--min-uid 1000]"
                + " [--denied root,nobody] [--allowed-system NAMES]");
        System.exit(2);
    }
}
