package org.scow.crane.craned;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.Test;
import org.scow.crane.protocol.Credential;
import org.scow.crane.protocol.Wire;
import org.scow.crane.protocol.v1.CraneStepsGrpc;
import org.scow.crane.protocol.v1.JobRequest;
import org.scow.crane.protocol.v1.StepRequest;
import org.scow.crane.protocol.v1.StepStarted;

/**
 * Steps are not journaled: after a controller restart (kill -9 of the real cranectld process) the nodes kill the
 * steps the new controller does not know, while the job itself keeps running.
 */
public class StepRecoveryTest {
    @Test
    public void aRestartedControllerHasTheNodesEndTheStepsItForgot() throws Exception {
        try (CraneTestCluster c = CraneTestCluster.withControllerProcess("cn[1-2]", 2, 30)) {
            for (String n : List.of("cn1", "cn2")) c.startInProcess(n);
            for (NodeDaemon d : c.daemons) assertTrue(d.awaitReconciled(60, TimeUnit.SECONDS));
            long job = c.submitter().submitJob(JobRequest.newBuilder().setName("hold").setAccount("phys").setTimeLimit("10")
                    .setWorkDir(c.work.toString()).setNodes(2).setStdout("/dev/null")
                    .setScript("#!/bin/sh\nsleep 600\n").build()).getJobId();
            c.awaitState(job, "RUNNING");
            String marker = "8" + (1000 + new Random().nextInt(8999));
            StepStarted st = steps(c).startStep(StepRequest.newBuilder().setJobId(job).addArgv("sleep").addArgv(marker)
                    .setWorkDir(c.work.toString()).build());
            assertEquals(2, st.getNtasks());
            CraneTestCluster.await("both tasks running", () -> sleepers(marker).size() == 2);
            c.killController();
            c.startController();
            CraneTestCluster.await("the forgotten step's tasks killed", () -> sleepers(marker).isEmpty());
            assertEquals("RUNNING", c.job(job).getState());
        }
    }

    private static CraneStepsGrpc.CraneStepsBlockingStub steps(CraneTestCluster c) {
        Metadata md = new Metadata();
        md.put(Wire.CREDENTIAL, CraneTestCluster.issue(Credential.Scope.USER, CraneTestCluster.user()));
        return CraneStepsGrpc.newBlockingStub(c.channel).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(md))
                .withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    private static List<Long> sleepers(String arg) {
        List<Long> l = new ArrayList<>();
        ProcessHandle.allProcesses().forEach(h -> {
            String[] a = h.info().arguments().orElse(new String[0]);
            if (h.isAlive() && h.info().command().orElse("").endsWith("/sleep") && a.length == 1 && a[0].equals(arg)) l.add(h.pid());
        });
        return l;
    }
}
