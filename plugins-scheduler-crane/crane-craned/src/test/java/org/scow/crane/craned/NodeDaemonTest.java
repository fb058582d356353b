package org.scow.crane.craned;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.After;
import org.junit.Test;
import org.scow.crane.protocol.Wire;
import org.scow.crane.protocol.v1.CraneNodeGrpc;
import org.scow.crane.protocol.v1.Job;
import org.scow.crane.protocol.v1.JobRef;
import org.scow.crane.protocol.v1.JobRequest;
import org.scow.crane.protocol.v1.JobsFinished;
import org.scow.crane.protocol.v1.Node;
import org.scow.crane.protocol.v1.NodeHeartbeat;
import org.scow.crane.protocol.v1.NodeRegistration;

/**
 * cranectld + craned over the network with real processes: registration, launch on the first node of the
 * allocation, node timeout with NODE_FAIL and requeue, return to service, re-adoption after a craned restart, and
 * the node credential's limits. Waits are generous; nothing asserts on timing.
 */
public class NodeDaemonTest {
    private CraneTestCluster c;

    @After
    public void stop() {
        if (c != null) c.close();
    }

    private static JobRequest.Builder job(String name, Path work, String script) {
        return JobRequest.newBuilder().setName(name).setAccount("phys").setTimeLimit("10").setWorkDir(work.toString())
                .setCpusPerTask(1).setMem("64M").setScript("#!/bin/sh\n" + script + "\n");
    }

    private long submit(JobRequest.Builder j) {
        return c.submitter().submitJob(j.build()).getJobId();
    }

    @Test
    public void aDaemonTrustingTheControllersCertificateRegistersAndRunsJobsOverTls() throws Exception {
        c = new CraneTestCluster("n1", 30, true);
        c.startInProcess("n1");
        c.awaitNode("n1", "IDLE");
        long id = submit(job("tls", c.work, "echo over-tls").setStdout(c.work + "/tls-%j.txt"));
        assertEquals(0, c.awaitState(id, "COMPLETED").getExitCode());
        assertEquals("over-tls\n", Files.readString(c.work.resolve("tls-" + id + ".txt")));
        // a job that cannot start: craned's report carries why, and the controller shows it as the job's reason
        long noDir = submit(job("nodir", c.work.resolve("gone"), "true"));
        Job failed = c.awaitState(noDir, "FAILED");
        assertTrue(failed.getReason(), failed.getReason().startsWith("could not start: cd: ")
                && failed.getReason().contains(c.work.resolve("gone").toString()));
    }

    @Test
    public void twoNodeJobSeesBothNodesAndRunsOnTheFirst() throws Exception {
        c = new CraneTestCluster("n[1-2]", 30);
        // before any craned registers, the nodes take no jobs
        Node silent = c.node("n1");
        assertEquals("DOWN", silent.getState());
        assertTrue(silent.getReason(), silent.getReason().contains("not responding"));
        NodeDaemon d1 = c.startInProcess("n1");
        NodeDaemon d2 = c.startInProcess("n2");
        c.awaitNode("n1", "IDLE");
        c.awaitNode("n2", "IDLE");
        assertEquals(2, c.node("n1").getCpus());

        long id = submit(job("two", c.work, "echo \"list=$CRANE_JOB_NODELIST num=$CRANE_JOB_NUM_NODES\"\nsleep 2\nexit 0")
                .setNodes(2).setNtasksPerNode(1).setStdout(c.work + "/out-%N-%j.txt"));
        Job running = c.awaitState(id, "RUNNING");
        assertEquals(2, running.getNodes());
        // exactly one daemon runs the batch script: the first node's
        CraneTestCluster.await("the batch script to start", () -> d1.executor().runningRuns().containsKey(id)
                || d2.executor().runningRuns().containsKey(id));
        String first = d1.executor().runningRuns().containsKey(id) ? "n1" : "n2";
        NodeDaemon other = first.equals("n1") ? d2 : d1;
        assertFalse(other.executor().runningRuns().containsKey(id));
        Job done = c.awaitState(id, "COMPLETED");
        assertEquals(0, done.getExitCode());
        String out = Files.readString(c.work.resolve("out-" + first + "-" + id + ".txt"));
        String second = first.equals("n1") ? "n2" : "n1";
        assertEquals("list=" + first + ";" + second + " num=2\n", out);
        CraneTestCluster.await("no reports pending", () -> d1.pendingReports() == 0 && d2.pendingReports() == 0);
    }

    @Test
    public void silentNodeGoesDownItsJobsFailOrRequeueAndItReturns() throws Exception {
        c = new CraneTestCluster("n[1-2]", 3);
        c.startInProcess("n1");
        Process n2 = c.startChild("n2");
        c.awaitNode("n1", "IDLE");
        c.awaitNode("n2", "IDLE");
        long failing = submit(job("nf", c.work, "sleep 60").setNodelist("n2"));
        long requeued = submit(job("rq", c.work, "sleep 60").setNodelist("n2").setRequeue(true));
        Job rq1 = c.awaitState(requeued, "RUNNING");
        c.awaitState(failing, "RUNNING");
        CraneTestCluster.await("both jobs to run on n2", () -> c.jobPid("n2", failing) > 0 && c.jobPid("n2", requeued) > 0);
        long failingPid = c.jobPid("n2", failing);
        long oldRunPid = c.jobPid("n2", requeued);

        n2.destroyForcibly().waitFor(10, TimeUnit.SECONDS); // kill -9 of craned: its jobs keep running
        Node down = c.awaitNode("n2", "DOWN");
        c.awaitJob(failing, j -> j.getState().equals("NODE_FAIL"), "NODE_FAIL");
        Job pending = c.awaitJob(requeued, j -> j.getRequeueCount() == 1, "requeued");
        assertEquals("PENDING", pending.getState());
        down = c.node("n2");
        assertEquals("DOWN", down.getState());
        assertTrue(down.getReason(), down.getReason().startsWith("Not responding"));
        assertEquals("IDLE", c.node("n1").getState());
        assertTrue("the job outlives its killed daemon", ProcessHandle.of(failingPid).isPresent());

        // craned comes back: ReturnToService=1 brings n2 back, the requeued job runs again there, and the
        // processes of the runs the controller ended are killed by the reconciliation
        c.startChild("n2");
        Job again = c.awaitJob(requeued, j -> j.getState().equals("RUNNING") && j.getStartTime() != rq1.getStartTime(), "running again");
        assertEquals("n2", again.getNodeList());
        CraneTestCluster.await("stale runs to be killed", () -> ProcessHandle.of(failingPid).isEmpty()
                && ProcessHandle.of(oldRunPid).isEmpty());
        CraneTestCluster.await("the new run to start", () -> c.jobPid("n2", requeued) > 0);
        long newPid = c.jobPid("n2", requeued);
        c.submitter().cancelJob(JobRef.newBuilder().setJobId(requeued).build());
        c.awaitState(requeued, "CANCELLED");
        CraneTestCluster.await("the cancelled job's process to die", () -> ProcessHandle.of(newPid).isEmpty());
        assertEquals("NODE_FAIL", c.job(failing).getState());
    }

    @Test
    public void restartedCranedReadoptsRunningJobAndReportsOneThatEnded() throws Exception {
        c = new CraneTestCluster("n1", 20);
        Process n1 = c.startChild("n1");
        c.awaitNode("n1", "IDLE");
        Path marker = c.work.resolve("go");
        long adopted = submit(job("adopt", c.work, "while [ ! -e " + marker + " ]; do sleep 0.1; done\nexit 7"));
        long endsMeanwhile = submit(job("gone", c.work, "while [ ! -e " + marker + " ]; do sleep 0.1; done\nexit 3"));
        c.awaitState(adopted, "RUNNING");
        c.awaitState(endsMeanwhile, "RUNNING");
        CraneTestCluster.await("both jobs to run", () -> c.jobPid("n1", adopted) > 0 && c.jobPid("n1", endsMeanwhile) > 0);
        long pid = c.jobPid("n1", adopted);

        n1.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        Files.writeString(marker, "");               // both scripts end while no craned watches them ...
        CraneTestCluster.await("the jobs to end", () -> ProcessHandle.of(pid).isEmpty());
        Files.delete(marker);
        assertEquals("RUNNING", c.job(adopted).getState());
        c.startChild("n1");                           // ... and the restarted craned reports how
        Job a = c.awaitJob(adopted, j -> !j.getState().equals("RUNNING"), "ended");
        Job b = c.awaitJob(endsMeanwhile, j -> !j.getState().equals("RUNNING"), "ended");
        assertEquals("FAILED", a.getState());
        assertEquals(7, a.getExitCode());
        assertEquals("FAILED", b.getState());
        assertEquals(3, b.getExitCode());

        // a job still running across a restart is re-adopted, then ends normally
        long live = submit(job("live", c.work, "while [ ! -e " + marker + " ]; do sleep 0.1; done\nexit 0"));
        c.awaitState(live, "RUNNING");
        CraneTestCluster.await("the job to run", () -> c.jobPid("n1", live) > 0);
        long livePid = c.jobPid("n1", live);
        c.children.get(c.children.size() - 1).destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        c.startChild("n1");
        CraneTestCluster.await("re-adoption", () -> {
            try {
                return c.log("n1").contains("job " + live + " re-adopted");
            } catch (java.io.IOException e) {
                return false;
            }
        });
        assertTrue(ProcessHandle.of(livePid).isPresent());
        assertEquals("RUNNING", c.job(live).getState());
        Files.writeString(marker, "");
        Job done = c.awaitState(live, "COMPLETED");
        assertEquals(0, done.getExitCode());
        assertEquals("IDLE", c.node("n1").getState());
    }

    @Test
    public void nodeCredentialCannotSpeakForAnotherNode() throws Exception {
        c = new CraneTestCluster("n[1-2]", 30);
        c.startInProcess("n1");
        c.startInProcess("n2");
        c.awaitNode("n1", "IDLE");
        c.awaitNode("n2", "IDLE");
        long id = submit(job("mine", c.work, "sleep 30").setNodelist("n1"));
        c.awaitState(id, "RUNNING");
        CraneTestCluster.await("the job to run", () -> c.jobPid("n1", id) > 0);
        long pid = c.jobPid("n1", id);

        JobsFinished fake = JobsFinished.newBuilder().addJobs(JobsFinished.Finished.newBuilder().setJobId(id)
                .setExitCode(0).setState("COMPLETED")).build();
        String n2cred = c.nodeCredential("n2");
        assertEquals(0, c.stub(n2cred).reportJobsFinished(fake).getCount());
        assertEquals("RUNNING", c.job(id).getState());
        // nor register or heartbeat as n1, nor use a user credential for node calls
        expectDenied(() -> nodeStub(n2cred).heartbeat(NodeHeartbeat.newBuilder().setNode("n1").build()));
        expectDenied(() -> nodeStub(n2cred).register(NodeRegistration.newBuilder().setNode("n1").build()).hasNext());
        String userCred = c.server.issue(org.scow.crane.protocol.Credential.Scope.USER, "root", java.time.Duration.ofHours(1));
        expectDenied(() -> nodeStub(userCred).heartbeat(NodeHeartbeat.newBuilder().setNode("n1").build()));
        expectDenied(() -> c.stub(userCred).reportJobsFinished(fake));
        // and a node credential cannot submit
        expectDenied(() -> c.stub(n2cred).submitJob(job("x", c.work, "true").build()));

        c.submitter().cancelJob(JobRef.newBuilder().setJobId(id).build());
        c.awaitState(id, "CANCELLED");
        CraneTestCluster.await("the cancelled job's process to die", () -> ProcessHandle.of(pid).isEmpty());
        assertEquals(Set.of("IDLE"), Set.copyOf(List.of(c.node("n1").getState(), c.node("n2").getState())));
    }

    private CraneNodeGrpc.CraneNodeBlockingStub nodeStub(String credential) {
        Metadata md = new Metadata();
        md.put(Wire.CREDENTIAL, credential);
        return CraneNodeGrpc.newBlockingStub(c.channel).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(md))
                .withDeadlineAfter(10, TimeUnit.SECONDS);
    }

    private static void expectDenied(Runnable call) {
        try {
            call.run();
            fail("expected PERMISSION_DENIED");
        } catch (StatusRuntimeException e) {
            assertEquals(e.toString(), io.grpc.Status.Code.PERMISSION_DENIED, e.getStatus().getCode());
        }
    }
}
