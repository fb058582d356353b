package org.scow.crane.cli;

import static org.junit.Assert.fail;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.scow.crane.ctld.Clock;
import org.scow.crane.ctld.CtldConfig;
import org.scow.crane.protocol.Credential;
import org.scow.crane.protocol.CredentialFiles;
import org.scow.crane.protocol.TestCertificates;
import org.scow.crane.server.CraneServer;

/**
 * A real cranectld (gRPC, credentials, WAL in a temporary directory, simulated nodes: a job "runs" for the sum of
 * its {@code sleep N} lines) on a free loopback port, and a way to run the commands in-process as a given user.
 */
final class Cluster implements AutoCloseable {
    static final byte[] KEY = new byte[32];

    static {
        Arrays.fill(KEY, (byte) 7);
    }

    final CraneServer server;
    final Path dir;

    /** The result of one command. */
    record Result(int exit, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    /** The controller's certificate when it serves TLS (then the commands get CRANE_TLS_TRUST), else null. */
    final Path tlsCert;

    Cluster(Path dir) throws IOException {
        this(dir, false);
    }

    /** With {@code tls}, the controller serves TLS with a fresh self-signed certificate for 127.0.0.1. */
    Cluster(Path dir, boolean tls) throws IOException {
        this.dir = dir;
        CtldConfig cfg = CtldConfig.parse("""
                ClusterName=clitest
                Node name=cn[1-3] cpus=4 mem=8G
                Node name=g1 cpus=8 mem=32G gres=gpu:a100:2
                Partition name=cpu nodes=cn[1-3] default=yes priority=1 maxtime=3-0 deftime=1:00:00
                Partition name=gpu nodes=g1 priority=1 maxtime=1-0
                """);
        cfg.stateDir = dir.resolve("state");
        cfg.listenPort = 0;
        cfg.simulatedNodes = true;
        cfg.minPassGapMs = 0;
        cfg.schedulerIntervalMs = 200;
        tlsCert = tls ? TestCertificates.selfSigned(dir, "ctld") : null;
        if (tls) {
            cfg.tlsCertFile = tlsCert;
            cfg.tlsKeyFile = TestCertificates.key(tlsCert);
        }
        server = CraneServer.start(cfg, Clock.SYSTEM, KEY);
    }

    /** Writes (once) the user's credential file under the test directory; returns its path. */
    Path credential(String user) throws IOException {
        Path f = dir.resolve("home").resolve(user).resolve(".crane").resolve("credential");
        if (!Files.exists(f)) {
            CredentialFiles.writeCredential(f, server.issue(Credential.Scope.USER, user, Duration.ofHours(1)), null);
        }
        return f;
    }

    Map<String, String> env(String user) throws IOException {
        Map<String, String> env = new HashMap<>();
        env.put("USER", user);
        env.put("HOME", dir.resolve("home").resolve(user).toString());
        env.put("PATH", "/usr/bin:/bin");
        env.put("CRANE_CONTROLLER", "127.0.0.1:" + server.port());
        env.put("CRANE_CREDENTIAL", credential(user).toString());
        if (tlsCert != null) env.put("CRANE_TLS_TRUST", tlsCert.toString());
        // no /etc/crane/crane.conf influence in tests
        Path conf = dir.resolve("empty.conf");
        if (!Files.exists(conf)) Files.writeString(conf, "# empty\n");
        env.put("CRANE_CONF", conf.toString());
        return env;
    }

    Result run(String user, String cmd, String... args) throws IOException {
        return run(env(user), "", cmd, args);
    }

    Result run(Map<String, String> env, String stdin, String cmd, String... args) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Path cwd = dir.resolve("work");
        Files.createDirectories(cwd);
        int rc;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            rc = Crane.run(cmd, args, new Io(o, e, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), env, cwd));
        }
        return new Result(rc, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** Runs a command that must succeed. */
    Result ok(String user, String cmd, String... args) throws IOException {
        Result r = run(user, cmd, args);
        if (r.exit != 0) fail(cmd + " " + String.join(" ", args) + " failed: " + r);
        return r;
    }

    /** Runs a command that must fail with a clear one-line-per-problem message and no stack trace. */
    Result fails(int exit, String user, String cmd, String... args) throws IOException {
        Result r = run(user, cmd, args);
        if (r.exit != exit) fail(cmd + " " + String.join(" ", args) + ": expected exit " + exit + ": " + r);
        if (r.err.isBlank() || r.err.contains("\tat ") || r.err.contains("Exception")) {
            fail("unclear error output: " + r);
        }
        return r;
    }

    /** Writes a script file into the working directory. */
    Path script(String name, String text) throws IOException {
        Path cwd = dir.resolve("work");
        Files.createDirectories(cwd);
        return Files.writeString(cwd.resolve(name), text);
    }

    @Override
    public void close() {
        server.close();
    }
}
