package org.scow.crane.dist;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.After;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The distribution tarball (target/crane-VERSION.tar.gz), unpacked: its {@code bin/cranectld} starts the
 * controller (pid and log files), issues credentials, its {@code bin/craned} registers a node, the commands from
 * {@code bin/} submit a real job that writes its output, list it and account it, {@code bin/crane --make-cds}
 * writes the start-up archive next to the commands' jar, and both daemons stop. Runs with failsafe after
 * {@code package}.
 */
public class PackageIT {
    private static final long WAIT_MS = 120_000;

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();
    private Path home;
    private Path run;
    private final Map<String, String> env = new HashMap<>();

    /** Output and exit code of one script run. */
    private record Out(int exit, String text) {
    }

    private Out sh(String... cmd) throws Exception {
        List<String> argv = new ArrayList<>(List.of(cmd));
        argv.set(0, home.resolve(cmd[0]).toString());
        ProcessBuilder pb = new ProcessBuilder(argv).directory(tmp.getRoot()).redirectErrorStream(true);
        pb.environment().putAll(env);
        Path log = Files.createTempFile(tmp.getRoot().toPath(), "out", ".txt");
        pb.redirectOutput(log.toFile());
        Process p = pb.start();
        if (!p.waitFor(WAIT_MS, TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", cmd) + ": no exit within " + WAIT_MS + " ms: " + Files.readString(log));
        }
        return new Out(p.exitValue(), Files.readString(log));
    }

    private String ok(String... cmd) throws Exception {
        Out o = sh(cmd);
        assertEquals(String.join(" ", cmd) + ":\n" + o.text, 0, o.exit);
        return o.text;
    }

    /** Runs {@code cmd} until its output passes {@code test}; generous, for a loaded machine. */
    private String await(Predicate<String> test, String... cmd) throws Exception {
        long deadline = System.nanoTime() + WAIT_MS * 1_000_000L;
        Out o;
        while (!test.test((o = sh(cmd)).text)) {
            if (System.nanoTime() > deadline) throw new AssertionError(String.join(" ", cmd) + " never as expected:\n" + o.text);
            Thread.sleep(200);
        }
        return o.text;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    public void theTarballRunsAClusterFromItsScripts() throws Exception {
        String dist = System.getProperty("crane.dist");
        assertTrue("no tarball at " + dist + " (run by failsafe after package)", dist != null && new File(dist).isFile());
        Path root = tmp.getRoot().toPath();
        Process tar = new ProcessBuilder("tar", "xzf", dist, "-C", root.toString()).inheritIO().start();
        assertEquals(0, tar.waitFor());
        try (Stream<Path> s = Files.list(root)) {
            home = s.filter(p -> p.getFileName().toString().startsWith("crane-")).findFirst().orElseThrow();
        }
        for (String f : List.of("bin/cranectld", "bin/craned", "bin/crane", "bin/cqueue", "bin/sbatch", "etc/cranectld.conf",
                "etc/craned.conf", "etc/crane.conf", "lib/cli/crane-cli.jar", "README")) {
            assertTrue(f, Files.exists(home.resolve(f)));
        }

        run = root.resolve("run");
        env.put("JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString());
        env.put("CRANECTLD_JAVA_OPTS", "-Xmx256m");
        env.put("HOME", root.resolve("home").toString());
        int port = freePort();
        Path ctldConf = root.resolve("cranectld.conf");
        Files.writeString(ctldConf, "ClusterName=pkgtest\n"
                + "StateDir=" + root.resolve("state") + "   # a comment, as in the example\n"
                + "ListenAddress=127.0.0.1\nListenPort=" + port + "\nSchedulerIntervalMs=200\n"
                + "NodeDaemons=true\nNodeTimeout=60\nReturnToService=1\n"
                // pid and log directories from the configuration (not the environment)
                + "RunDir=" + run + "\nLogDir=" + root.resolve("log") + "   # a comment\n"
                // the job runs as the test's own user (root) in single-user mode: the documented explicit opt-in
                + "AllowRootJobs=true\n"
                + "Node name=pn1 cpus=1 mem=64M\nPartition name=p nodes=pn1 default=yes maxtime=1:00:00 deftime=10:00\n");
        Path cranedConf = root.resolve("craned.conf");
        Files.writeString(cranedConf, "ControllerAddress=127.0.0.1\nControllerPort=" + port + "\n"
                + "CredentialFile=" + root.resolve("%n.cred") + "\nSpoolDir=" + root.resolve("spool/%n") + "\n"
                + "HeartbeatInterval=1\nCPUs=0\nMemory=0\nGpus=0\nRunJobsAsUser=false\nCgroups=off\n"
                + "RunDir=" + run + "\nLogDir=" + root.resolve("log") + "\nAllowRootJobs=true\n");

        assertTrue(ok("bin/cranectld", "start", "--config", ctldConf.toString()).contains("cranectld started"));
        assertTrue(Files.exists(run.resolve("cranectld.pid")));
        assertTrue(Files.readString(root.resolve("log/cranectld.log")).contains("listening on 127.0.0.1:" + port));
        assertTrue(ok("bin/cranectld", "status", "--config", ctldConf.toString()).contains("running"));
        ok("bin/cranectld", "credential", "--config", ctldConf.toString(), "--scope", "node", "--principal", "pn1",
                "--out", root.resolve("pn1.cred").toString());
        Path userCred = root.resolve("home/.crane/credential");
        ok("bin/cranectld", "credential", "--config", ctldConf.toString(), "--scope", "user", "--principal", "root",
                "--out", userCred.toString());

        assertTrue(ok("bin/craned", "start", "--config", cranedConf.toString(), "--node", "pn1").contains("craned pn1 started"));
        assertTrue(Files.exists(run.resolve("craned-pn1.pid")));
        assertTrue(Files.exists(root.resolve("log/craned-pn1.log")));

        // the commands: controller from CRANE_CONTROLLER, credential from ~/.crane/credential
        env.put("CRANE_CONTROLLER", "127.0.0.1:" + port);
        env.put("CRANE_CONF", "/dev/null");
        await(o -> o.strip().equals("idle"), "bin/sinfo", "-h", "-o", "%t");
        ok("bin/cacctmgr", "add", "account", "pk");
        ok("bin/cacctmgr", "add", "user", "root", "Account=pk");
        Path out = root.resolve("out");
        Files.createDirectories(out);
        String id = ok("bin/cbatch", "-A", "pk", "-J", "pkg", "-o", out.resolve("job-%j.txt").toString(), "--parsable",
                "--wrap", "echo hello from job $CRANE_JOB_ID").strip();
        assertTrue(id, id.matches("\\d+"));
        await(o -> o.strip().equals("COMPLETED"), "bin/cacct", "-j", id, "-o", "State", "--parsable", "-N");
        assertEquals("hello from job " + id, Files.readString(out.resolve("job-" + id + ".txt")).strip());
        assertTrue(ok("bin/squeue", "-h").isBlank());
        assertTrue(ok("bin/crane", "cacct", "-j", id, "-o", "JobName,ExitCode", "--parsable", "-N").contains("pkg|0"));

        // the start-up archive: made by the first command next to the jar when it may write there (root), else in
        // the user's cache; and on demand at install time
        Path cli = home.resolve("lib/cli");
        boolean shared = Files.isWritable(cli);
        // a tarball with the commands' own runtime (profile native-cli) ships its AOT cache ready; it must be the
        // one the launcher looks for (not re-made: same name), and the commands' classes must come from it
        boolean runtime = Files.isExecutable(cli.resolve("runtime/bin/java"));
        String ext = runtime ? ".aot" : ".jsa";
        try (Stream<Path> s = Files.list(shared || runtime ? cli : root.resolve("home/.cache/crane"))) {
            assertTrue(s.anyMatch(p -> p.getFileName().toString().endsWith(ext)));
        }
        if (runtime) {
            try (Stream<Path> s = Files.list(cli)) {
                assertEquals("one archive: the shipped one", 1, s.filter(p -> p.getFileName().toString().endsWith(ext)).count());
            }
            env.put("CRANE_JAVA_OPTS", "-Xlog:class+load");
            String log = ok("bin/cinfo");
            env.remove("CRANE_JAVA_OPTS");
            assertTrue("the command's classes come from the AOT cache",
                    log.contains("org.scow.crane.cli.Crane source: shared objects file"));
        }
        if (shared) assertTrue(ok("bin/crane", "--make-cds").contains("class-data archive " + cli));

        assertTrue(ok("bin/craned", "stop", "--config", cranedConf.toString(), "--node", "pn1").contains("stopped"));
        assertTrue(ok("bin/cranectld", "stop", "--config", ctldConf.toString()).contains("cranectld stopped"));
        assertFalse(Files.exists(run.resolve("cranectld.pid")));
        assertEquals(3, sh("bin/cranectld", "status", "--config", ctldConf.toString()).exit);
    }

    /** Whatever the test left running: the daemons it started, found by their pid files in its own directory. */
    @After
    public void killLeftovers() throws IOException {
        if (run == null || !Files.isDirectory(run)) return;
        try (Stream<Path> s = Files.list(run)) {
            for (Path pid : s.filter(p -> p.toString().endsWith(".pid")).toList()) {
                ProcessHandle.of(Long.parseLong(Files.readString(pid).strip())).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
    }
}
