package org.scow.scheduler.slurm.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.Set;

import org.junit.Test;
import org.scow.api.scheduler.JobState;
import org.scow.api.scheduler.NodeInfo;

public class JobStatesTest {

    @Test
    public void slurmJobStates() {
        assertEquals(JobState.PENDING, JobStates.of("PENDING"));
        assertEquals(JobState.PENDING, JobStates.of("REQUEUE_HOLD"));
        assertEquals(JobState.RUNNING, JobStates.of("RUNNING"));
        assertEquals(JobState.RUNNING, JobStates.of("CONFIGURING"));
        assertEquals(JobState.SUSPENDED, JobStates.of("SUSPENDED"));
        assertEquals(JobState.COMPLETING, JobStates.of("COMPLETING"));
        assertEquals(JobState.COMPLETED, JobStates.of("COMPLETED"));
        assertEquals("sacct's detail is ignored", JobState.CANCELLED, JobStates.of("CANCELLED by 1001"));
        assertEquals(JobState.FAILED, JobStates.of("FAILED"));
        assertEquals(JobState.FAILED, JobStates.of("BOOT_FAIL"));
        assertEquals(JobState.TIMEOUT, JobStates.of("TIMEOUT"));
        assertEquals(JobState.TIMEOUT, JobStates.of("DEADLINE"));
        assertEquals(JobState.OUT_OF_MEMORY, JobStates.of("OUT_OF_MEMORY"));
        assertEquals(JobState.NODE_FAIL, JobStates.of("NODE_FAIL"));
        assertEquals(JobState.PREEMPTED, JobStates.of("PREEMPTED"));
        assertEquals(JobState.UNKNOWN, JobStates.of("SOMETHING_NEW"));
    }

    @Test
    public void activeWordsForSqueue() {
        assertEquals(Set.of("PENDING", "REQUEUED", "REQUEUE_HOLD", "REQUEUE_FED", "RESV_DEL_HOLD"),
                JobStates.activeWords(Set.of(JobState.PENDING)));
        assertTrue(JobStates.activeWords(Set.of(JobState.COMPLETED)).isEmpty());
    }

    @Test
    public void nodeStates() {
        assertEquals(NodeInfo.State.IDLE, NodeStates.of("IDLE", 0));
        assertEquals(NodeInfo.State.RUNNING, NodeStates.of("MIXED", 2));
        assertEquals(NodeInfo.State.RUNNING, NodeStates.of("ALLOCATED", 4));
        assertEquals(NodeInfo.State.RUNNING, NodeStates.of("IDLE+COMPLETING", 0));
        assertEquals(NodeInfo.State.NOT_AVAILABLE, NodeStates.of("IDLE+DRAIN", 0));
        assertEquals(NodeInfo.State.NOT_AVAILABLE, NodeStates.of("MIXED+DRAIN", 2));
        assertEquals(NodeInfo.State.NOT_AVAILABLE, NodeStates.of("DOWN*", 0));
        assertEquals(NodeInfo.State.NOT_AVAILABLE, NodeStates.of("IDLE*", 0));
        assertEquals(NodeInfo.State.NOT_AVAILABLE, NodeStates.of("FUTURE", 0));
        assertEquals("a powered-down cloud node boots for the next job", NodeInfo.State.IDLE,
                NodeStates.of("IDLE+POWERED_DOWN", 0));
    }
}
