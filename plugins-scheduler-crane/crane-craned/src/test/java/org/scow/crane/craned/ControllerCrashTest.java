package org.scow.crane.craned;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.After;
import org.junit.Test;
import org.scow.crane.protocol.v1.Job;
import org.scow.crane.protocol.v1.JobRequest;

/**
 * {@code kill -9} of cranectld while craned daemons (child JVMs) run real jobs, with the controller itself a child JVM
 * ({@code ServerMain serve}) restarted on the same port and state directory. Running jobs survive on their nodes and
 * are re-learnt through the nodes' re-registration, a job that ends during the outage is reported afterwards from the
 * node's durable report queue, pending jobs run afterwards, and no job runs twice.
 *
 * <p>Jobs end when the test creates a file, never after a fixed time, so the order of events is the test's. Every job
 * appends "start ID" and "end ID" to one ledger file: a job launched twice would leave two start lines.
 */
public class ControllerCrashTest {
    /** Longer than the controller's start-up and the daemons' reconnection on a loaded machine; the grace asserted. */
    private static final int NODE_TIMEOUT_SEC = 20;

    private CraneTestCluster c;

    @After
    public void stop() {
        if (c != null) c.close();
    }

    /** A job that logs its start, waits for {@code gate} (if any), logs its end and exits with {@code exit}. */
    private JobRequest.Builder job(String name, Path gate, int exit) {
        Path ledger = c.work.resolve("ledger");
        String script = "#!/bin/sh\n"
                + "echo \"start $CRANE_JOB_ID\" >> " + ledger + "\n"
                + (gate == null ? "" : "while [ ! -e " + gate + " ]; do sleep 0.1; done\n")
                + "echo \"done $CRANE_JOB_ID nodes=$CRANE_JOB_NODELIST\"\n"
                + "echo \"end $CRANE_JOB_ID\" >> " + ledger + "\n"
                + "exit " + exit + "\n";
        return JobRequest.newBuilder().setName(name).setAccount("phys").setTimeLimit("10:00")
                .setWorkDir(c.work.toString()).setCpusPerTask(1).setMem("64M").setScript(script)
                .setStdout(c.work + "/out-%j.txt");
    }

    private long submit(JobRequest.Builder j) {
        return c.submitter().submitJob(j.build()).getJobId();
    }

    @Test
    public void killedControllerRelearnsRunningJobsFromTheNodes() throws Exception {
        // 3 CPUs per node: the 2-node job, one job that outlives the outage and one that ends during it, on each node
        c = CraneTestCluster.withControllerProcess("n[1-2]", 3, NODE_TIMEOUT_SEC);
        c.startChild("n1");
        c.startChild("n2");
        c.awaitNode("n1", "IDLE");
        c.awaitNode("n2", "IDLE");
        Path release = c.work.resolve("release");    // ends the jobs that run across the restart
        Path duringOutage = c.work.resolve("outage"); // ends the jobs that finish while no controller runs

        long wide = submit(job("wide", release, 0).setNodes(2).setNtasksPerNode(1));
        long longOn1 = submit(job("long1", release, 0).setNodelist("n1"));
        long longOn2 = submit(job("long2", release, 0).setNodelist("n2"));
        long endsOk = submit(job("ends-ok", duringOutage, 0).setNodelist("n2"));
        long endsFailed = submit(job("ends-3", duringOutage, 3).setNodelist("n1"));
        List<Long> survivors = List.of(wide, longOn1, longOn2);
        List<Long> running = List.of(wide, longOn1, longOn2, endsOk, endsFailed);
        Map<Long, Job> before = new HashMap<>();
        for (long id : running) before.put(id, c.awaitState(id, "RUNNING"));
        // the nodes are full: these wait until the jobs ending during the outage have been reported
        long pending1 = submit(job("pending1", null, 0));
        long pending2 = submit(job("pending2", null, 0));
        List<Long> all = List.of(wide, longOn1, longOn2, endsOk, endsFailed, pending1, pending2);

        // the node that runs each batch script (for the 2-node job, the first of its allocation) and the script's pid
        Map<Long, String> batchNode = new HashMap<>();
        Map<Long, Long> pid = new HashMap<>();
        CraneTestCluster.await("every running job's script to start", () -> {
            for (long id : running) {
                for (String n : List.of("n1", "n2")) {
                    long p = c.jobPid(n, id);
                    if (p > 0) {
                        batchNode.put(id, n);
                        pid.put(id, p);
                    }
                }
                if (!pid.containsKey(id)) return false;
            }
            return ledger().containsAll(running.stream().map(id -> "start " + id).toList());
        });
        assertEquals("PENDING", c.job(pending1).getState());
        assertEquals("PENDING", c.job(pending2).getState());

        Map<String, Integer> registrations = new HashMap<>();
        for (String n : List.of("n1", "n2")) registrations.put(n, countIn(cranedLog(n), " reconciled "));

        c.killController();

        // while no controller runs, two jobs end; their craned keeps each end as a file until it is acknowledged
        Files.writeString(duringOutage, "");
        CraneTestCluster.await("the ends to be queued durably on the nodes", () ->
                Files.exists(reportFile(batchNode.get(endsOk), endsOk, before.get(endsOk).getStartTime()))
                        && Files.exists(reportFile(batchNode.get(endsFailed), endsFailed, before.get(endsFailed).getStartTime())));
        for (long id : survivors) assertTrue("job " + id + " outlives the controller", ProcessHandle.of(pid.get(id)).isPresent());
        // the ends are older than this; the controller starts at least 2 s later, so an end time taken from the
        // report's arrival would be visibly later than the real one
        long queuedBy = System.currentTimeMillis() / 1000;
        CraneTestCluster.await("two seconds to pass", () -> System.currentTimeMillis() / 1000 >= queuedBy + 2);
        long restart = System.currentTimeMillis() / 1000;

        c.startController();

        // every acknowledged job is there
        for (long id : all) assertEquals(id, c.job(id).getJobId());
        // the nodes come back within the grace period and re-learn their runs (their reconciliation after the restart)
        for (String n : List.of("n1", "n2")) {
            CraneTestCluster.await(n + " to register with the restarted controller", () -> countIn(cranedLog(n), " reconciled ") > registrations.get(n));
        }
        CraneTestCluster.await("both nodes back in service", () -> !c.node("n1").getState().equals("DOWN")
                && !c.node("n2").getState().equals("DOWN"));

        // the jobs that ended during the outage: reported afterwards, with their real outcome
        Job ok = c.awaitJob(endsOk, j -> !j.getState().equals("RUNNING"), "ended");
        assertEquals("COMPLETED", ok.getState());
        assertEquals(0, ok.getExitCode());
        Job failed = c.awaitJob(endsFailed, j -> !j.getState().equals("RUNNING"), "ended");
        assertEquals("FAILED", failed.getState());
        assertEquals(3, failed.getExitCode());
        // ... and with the time they really ended, not the time their reports arrived
        for (Job j : List.of(ok, failed)) {
            assertTrue("job " + j.getJobId() + " ended at " + j.getEndTime() + ", queued by " + queuedBy,
                    j.getEndTime() <= queuedBy && j.getEndTime() < restart && j.getEndTime() >= j.getStartTime());
        }
        CraneTestCluster.await("the report queues to drain", () -> reportCount("n1") == 0 && reportCount("n2") == 0);

        // the survivors run on: same run, same nodes, same processes, never requeued
        for (long id : survivors) {
            Job j = c.job(id);
            Job was = before.get(id);
            assertEquals("job " + id, "RUNNING", j.getState());
            assertEquals("job " + id, was.getNodeList(), j.getNodeList());
            assertEquals("job " + id, was.getStartTime(), j.getStartTime());
            assertEquals("job " + id, 0, j.getRequeueCount());
            assertTrue("job " + id + " keeps its process", ProcessHandle.of(pid.get(id)).isPresent());
            assertEquals("job " + id, pid.get(id).longValue(), c.jobPid(batchNode.get(id), id));
        }

        // the freed CPUs go to the pending jobs
        for (long id : List.of(pending1, pending2)) {
            Job j = c.awaitState(id, "COMPLETED");
            assertEquals(0, j.getExitCode());
        }

        Files.writeString(release, "");
        for (long id : survivors) {
            Job j = c.awaitState(id, "COMPLETED");
            assertEquals(0, j.getExitCode());
            assertEquals(before.get(id).getStartTime(), j.getStartTime());
        }

        // outputs intact; every job started and ended exactly once
        for (long id : all) {
            String first = batchNode.getOrDefault(id, c.job(id).getNodeList());
            String nodes = id == wide ? first + ";" + (first.equals("n1") ? "n2" : "n1") : first;
            assertEquals("done " + id + " nodes=" + nodes + "\n", Files.readString(c.work.resolve("out-" + id + ".txt")));
        }
        List<String> expected = new ArrayList<>();
        for (long id : all) {
            expected.add("start " + id);
            expected.add("end " + id);
        }
        List<String> lines = ledger();
        assertEquals(lines.toString(), expected.size(), lines.size());
        assertEquals(lines.toString(), new java.util.HashSet<>(expected), new java.util.HashSet<>(lines));
        CraneTestCluster.await("both nodes idle", () -> c.node("n1").getState().equals("IDLE")
                && c.node("n2").getState().equals("IDLE"));
    }

    private List<String> ledger() {
        try {
            Path l = c.work.resolve("ledger");
            return Files.exists(l) ? Files.readAllLines(l) : List.of();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private Path reportFile(String node, long id, long runStart) {
        return c.spool(node).resolve("reports").resolve(id + "-" + runStart);
    }

    private long reportCount(String node) {
        try (var s = Files.list(c.spool(node).resolve("reports"))) {
            return s.count();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private String cranedLog(String node) {
        try {
            return c.log(node);
        } catch (IOException e) {
            return "";
        }
    }

    private static int countIn(String text, String word) {
        int n = 0;
        for (int i = text.indexOf(word); i >= 0; i = text.indexOf(word, i + 1)) n++;
        return n;
    }
}
