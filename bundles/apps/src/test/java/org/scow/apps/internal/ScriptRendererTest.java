package org.scow.apps.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** Renders job scripts and runs them with the real bash, as a job would. */
public class ScriptRendererTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private static final FormValues.Resources RES = new FormValues.Resources("acct", "debug", null, 0, 1, 60);

    @Test
    public void quotingKeepsEveryValueOneWord() {
        assertEquals("'plain'", ScriptRenderer.quote("plain"));
        assertEquals("'it'\\''s'", ScriptRenderer.quote("it's"));
        assertEquals("'$(rm -rf ~); `id` \"x\"'", ScriptRenderer.quote("$(rm -rf ~); `id` \"x\""));
    }

    @Test
    public void hostileValuesArriveAsPlainTextInTheScript() throws Exception {
        String hostile = "x'; touch pwned; echo '$(id)`id`";
        AppDefinition app = DefinitionReader.read("t.yaml", """
                name: Echo
                type: web
                clusters: ["*"]
                attributes: [{ name: msg, type: text }]
                beforeScript: |
                  PORT=$(scow_free_port)
                  printf '%s\\n' {{ msg }} > msg.txt
                  exit 0
                script: "true"
                connect: { path: / }
                """);
        Path dir = tmp.newFolder("s1").toPath();
        Result r = run(app, dir, Map.of("msg", hostile));
        assertEquals(r.output, 0, r.exit);
        assertEquals(hostile + "\n", Files.readString(dir.resolve("msg.txt")));
        assertFalse(Files.exists(dir.resolve("pwned")));
    }

    @Test
    public void aServerThatOpensItsPortGetsAConnectionFile() throws Exception {
        AppDefinition app = DefinitionReader.read("t.yaml", """
                name: HTTP
                type: web
                clusters: ["*"]
                startTimeoutSeconds: 30
                beforeScript: |
                  PORT=$(scow_free_port)
                  PASSWORD=$(scow_random_password)
                script: |
                  exec python3 -m http.server "$PORT" --bind 0.0.0.0
                connect: { path: / }
                """);
        Path dir = tmp.newFolder("s2").toPath();
        Process p = start(app, dir, Map.of());
        try {
            Path conn = dir.resolve(ScriptRenderer.CONNECTION_FILE);
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!Files.exists(conn) && p.isAlive() && System.nanoTime() < end) {
                Thread.sleep(50);
            }
            assertTrue("connection file written; output: " + output(dir), Files.exists(conn));
            String hostname = InetAddress.getLocalHost().getHostName();
            Connection c = Connection.parse(Files.readString(conn), hostname);
            assertEquals(hostname, c.host());
            assertEquals(24, c.password().length());
            assertTrue(c.password().matches("[A-Za-z0-9]+"));
            assertEquals("/proxy/s/", c.basePath());
            try (Socket s = new Socket(c.host(), c.port())) {
                assertTrue(s.isConnected());
            }
            assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(conn)));
        } finally {
            p.destroy(); // SIGTERM: the script passes it on to the app
            assertTrue(p.waitFor(20, TimeUnit.SECONDS));
        }
    }

    /**
     * Under Slurm the connection names the node as Slurm knows it (SLURMD_NODENAME), which is what the job's node
     * list holds, even when it is not this host's name (several slurmd on one host, NodeName=c1 NodeAddr=...); the
     * port check still runs against this host.
     */
    @Test
    public void underSlurmTheConnectionNamesTheSlurmNode() throws Exception {
        AppDefinition app = DefinitionReader.read("t.yaml", """
                name: HTTP
                type: web
                clusters: ["*"]
                startTimeoutSeconds: 30
                beforeScript: PORT=$(scow_free_port)
                script: exec python3 -m http.server "$PORT" --bind 0.0.0.0
                connect: { path: / }
                """);
        Path dir = tmp.newFolder("s5").toPath();
        Process p = start(app, dir, Map.of(), Map.of("SLURMD_NODENAME", "c7"));
        try {
            Path conn = dir.resolve(ScriptRenderer.CONNECTION_FILE);
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!Files.exists(conn) && p.isAlive() && System.nanoTime() < end) {
                Thread.sleep(50);
            }
            assertTrue("connection file written; output: " + output(dir), Files.exists(conn));
            Connection c = Connection.parse(Files.readString(conn), "c[1-8]");
            assertEquals("c7", c.host());
            try (Socket s = new Socket(InetAddress.getLocalHost().getHostName(), c.port())) {
                assertTrue(s.isConnected());
            }
        } finally {
            p.destroy();
            assertTrue(p.waitFor(20, TimeUnit.SECONDS));
        }
    }

    @Test
    public void anAppThatExitsEarlyEndsWithAReadableReason() throws Exception {
        AppDefinition app = DefinitionReader.read("t.yaml", """
                name: Broken
                type: web
                clusters: ["*"]
                beforeScript: PORT=$(scow_free_port)
                script: |
                  echo "cannot find my-server" >&2
                  exit 3
                connect: { path: / }
                """);
        Path dir = tmp.newFolder("s3").toPath();
        Result r = run(app, dir, Map.of());
        assertEquals(1, r.exit);
        String failure = Files.readString(dir.resolve(ScriptRenderer.FAILURE_FILE)).trim();
        assertTrue(failure, failure.matches("the app exited with status 3 before it opened port \\d+; its output is in "
                + "output.log"));
        assertTrue(r.output, r.output.contains("cannot find my-server"));
        assertFalse(Files.exists(dir.resolve(ScriptRenderer.CONNECTION_FILE)));
    }

    @Test
    public void aPortThatNeverOpensEndsAfterTheStartTimeout() throws Exception {
        AppDefinition app = DefinitionReader.read("t.yaml", """
                name: Silent
                type: web
                clusters: ["*"]
                startTimeoutSeconds: 10
                beforeScript: PORT=$(scow_free_port)
                script: exec sleep 600
                connect: { path: / }
                """);
        Path dir = tmp.newFolder("s4").toPath();
        Result r = run(app, dir, Map.of());
        assertEquals(1, r.exit);
        String failure = Files.readString(dir.resolve(ScriptRenderer.FAILURE_FILE)).trim();
        assertTrue(failure, failure.matches("the app did not open port \\d+ within 10 seconds; .*"));
    }

    @Test
    public void aBeforeScriptWithoutAPortIsRefused() throws Exception {
        AppDefinition app = DefinitionReader.read("t.yaml", """
                name: NoPort
                type: web
                clusters: ["*"]
                beforeScript: "true"
                script: exec sleep 600
                connect: { path: / }
                """);
        Path dir = tmp.newFolder("s5").toPath();
        assertEquals(1, run(app, dir, Map.of()).exit);
        assertEquals("the app's beforeScript did not set PORT to a port number",
                Files.readString(dir.resolve(ScriptRenderer.FAILURE_FILE)).trim());
    }

    private record Result(int exit, String output) {
    }

    private Result run(AppDefinition app, Path dir, Map<String, String> values) throws Exception {
        Process p = start(app, dir, values);
        assertTrue("the script ends", p.waitFor(60, TimeUnit.SECONDS));
        return new Result(p.exitValue(), output(dir));
    }

    private static String output(Path dir) throws Exception {
        Path log = dir.resolve(ScriptRenderer.LOG_FILE);
        return Files.exists(log) ? Files.readString(log) : "";
    }

    private static Process start(AppDefinition app, Path dir, Map<String, String> values) throws Exception {
        return start(app, dir, values, Map.of());
    }

    private static Process start(AppDefinition app, Path dir, Map<String, String> values, Map<String, String> env)
            throws Exception {
        String script = ScriptRenderer.render(app, new ScriptRenderer.Context("s", dir.toString(), "/proxy/s/",
                "u", "local", RES, values));
        Path file = dir.resolve("job.sh");
        Files.writeString(file, script);
        ProcessBuilder pb = new ProcessBuilder("bash", file.toString()).directory(dir.toFile())
                .redirectErrorStream(true).redirectOutput(dir.resolve(ScriptRenderer.LOG_FILE).toFile());
        pb.environment().remove("SLURMD_NODENAME");
        pb.environment().putAll(env);
        return pb.start();
    }
}
