package org.scow.crane.ctld;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.scow.crane.protocol.JobState;

/**
 * Kills a real controller JVM with SIGKILL in the middle of a stream of concurrent submissions (plus scheduling,
 * job completions and snapshots) and checks that every acknowledged job is there after restart; twice, so the
 * second run also starts from recovered state.
 */
public class CrashRecoveryTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Test
    public void everyAcknowledgedJobSurvivesKillMinus9() throws Exception {
        Path dir = tmp.newFolder().toPath();
        Path conf = dir.resolve("crane.conf");
        Files.writeString(conf, """
                ClusterName=crash
                SnapshotEveryRecords=700
                Node name=n[1-8] cpus=4 mem=8G
                Partition name=batch nodes=n[1-8] default=yes
                """);
        Path state = dir.resolve("state");
        Map<Long, String> acked = new ConcurrentHashMap<>();
        Set<Long> ended = ConcurrentHashMap.newKeySet();
        for (int round = 0; round < 2; round++) {
            int before = acked.size();
            runAndKill(conf, state, acked, ended, 1500);
            assertTrue("round " + round + " acknowledged too few jobs", acked.size() - before >= 1500);
            assertTrue("snapshots were taken during the run", !org.scow.crane.ctld.wal.SnapshotFile.list(state).isEmpty());
            CtldConfig cfg = CtldConfig.load(conf);
            cfg.stateDir = state;
            try (Controller c = new Controller(cfg, Clock.SYSTEM)) {
                int missing = 0;
                for (Map.Entry<Long, String> e : acked.entrySet()) {
                    JobView v = c.job(e.getKey());
                    if (v == null || !v.name().equals(e.getValue())) missing++;
                }
                assertEquals("acknowledged jobs lost or altered after kill -9", 0, missing);
                // the recovered controller is consistent: running jobs hold exactly their nodes' CPUs
                int alloc = c.nodes().stream().mapToInt(Controller.NodeView::cpusAlloc).sum();
                int running = c.jobs(v -> v.state() == JobState.RUNNING).stream().mapToInt(JobView::cpus).sum();
                assertEquals(running, alloc);
                assertNotNull(c.job(acked.keySet().iterator().next()));
                // the history files hold every finished job exactly once, including those the crash left unwritten
                List<JobView> history = c.history(0, Long.MAX_VALUE, 0, Integer.MAX_VALUE);
                Set<Long> inHistory = new HashSet<>();
                for (JobView v : history) assertTrue("job " + v.id() + " twice in the history", inHistory.add(v.id()));
                assertTrue("acknowledged completions missing from the history", inHistory.containsAll(ended));
                int finished = 0;
                for (long id : acked.keySet()) {
                    JobView v = c.job(id);
                    if (v.state().finished()) {
                        finished++;
                        assertTrue("finished job " + id + " not in the history", inHistory.contains(id));
                    }
                }
                assertEquals("the history holds exactly the finished jobs", finished, history.size());
            }
        }
    }

    private static void runAndKill(Path conf, Path state, Map<Long, String> acked, Set<Long> ended, int atLeast)
            throws Exception {
        // the controller's classes and the one jar it depends on (crane-protocol: the shared host-list parser)
        String cp = new File(CrashLoad.class.getProtectionDomain().getCodeSource().getLocation().toURI()).getPath()
                + File.pathSeparator + new File(org.scow.crane.protocol.HostList.class.getProtectionDomain()
                        .getCodeSource().getLocation().toURI()).getPath();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx256m", "-cp", cp, "org.scow.crane.ctld.CrashLoad",
                "--config", conf.toString(), "--state", state.toString(), "--threads", "6");
        pb.redirectError(ProcessBuilder.Redirect.DISCARD);
        Process p = pb.start();
        AtomicInteger seen = new AtomicInteger();
        Thread reader = new Thread(() -> {
            try (BufferedReader br = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = br.readLine()) != null) {
                    if (line.startsWith("END ") && line.length() > 4 && line.indexOf(' ', 4) < 0) {
                        ended.add(Long.parseLong(line.substring(4)));
                        continue;
                    }
                    if (!line.startsWith("ACK ")) continue;
                    String[] f = line.split(" ");
                    if (f.length != 3) continue; // a line torn by the kill was never fully acknowledged
                    String prev = acked.put(Long.parseLong(f[1]), f[2]);
                    if (prev != null) throw new AssertionError("job id " + f[1] + " acknowledged twice");
                    seen.incrementAndGet();
                }
            } catch (Exception ignored) {
                // stream closed by the kill
            }
        });
        reader.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (seen.get() < atLeast && p.isAlive() && System.nanoTime() < deadline) Thread.sleep(5);
        p.destroyForcibly();
        p.waitFor(30, TimeUnit.SECONDS);
        reader.join(10_000);
    }
}
