package org.scow.scheduler.slurm.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;

import java.time.Instant;
import java.util.List;

import org.junit.Test;
import org.scow.api.scheduler.JobInfo;
import org.scow.api.scheduler.JobState;

public class JobColumnsTest {
    private static final String S = SlurmCli.SEP;

    /** A squeue row in {@link JobColumns#SQUEUE} order, each field followed by the separator as squeue prints. */
    static String squeueRow(String... fields) {
        return String.join(S, fields) + S;
    }

    @Test
    public void runningJobFromSqueue() {
        String row = squeueRow("2", "we|ird name", "acc1", "alice", "long", "normal", "RUNNING", "None", "4", "2",
                "cpu=4,mem=600M,node=2,billing=4", "gres:gpu:0", "N/A", "7-00:00:00", "2026-11-24T00:13:26",
                "2026-11-24T00:13:27", "2026-12-01T00:13:27", "0:10", "/tmp", "/tmp/out", "/tmp/err", "c[1-2]", "0");
        JobInfo j = JobColumns.parseSqueue(row + "\n").get(0);
        assertEquals("2", j.jobId());
        assertEquals(JobState.RUNNING, j.state());
        assertEquals("we|ird name", j.name());
        assertEquals("acc1", j.account());
        assertEquals("alice", j.user());
        assertEquals("long", j.partition());
        assertEquals("normal", j.qos());
        assertNull("None is no reason", j.reason());
        assertEquals(Integer.valueOf(4), j.cpusReq());
        assertEquals(Long.valueOf(600), j.memReqMb());
        assertEquals(Integer.valueOf(2), j.nodesReq());
        assertEquals(Integer.valueOf(0), j.gpusReq());
        assertEquals(Long.valueOf(10080), j.timeLimitMinutes());
        assertEquals(Instant.parse("2026-11-24T00:13:26Z"), j.submitTime());
        assertEquals(Instant.parse("2026-11-24T00:13:27Z"), j.startTime());
        assertNull("the projected end of a running job is no end time", j.endTime());
        assertEquals(Long.valueOf(10), j.elapsedSeconds());
        assertEquals("/tmp", j.workingDirectory());
        assertEquals("/tmp/out", j.stdoutPath());
        assertEquals("/tmp/err", j.stderrPath());
        assertEquals("c[1-2]", j.nodeList());
        assertEquals(Integer.valueOf(4), j.cpusAlloc());
        assertEquals(Long.valueOf(600), j.memAllocMb());
        assertEquals(Integer.valueOf(2), j.nodesAlloc());
        assertNull(j.exitCode());
    }

    @Test
    public void pendingArrayTaskFromSqueue() {
        String row = squeueRow("4_2", "big2", "acc1", "alice", "long", "normal", "PENDING", "Priority", "16", "4",
                "cpu=16,mem=12000M,node=4,billing=16", "gres:gpu:2", "N/A", "10:00", "2026-11-24T00:13:26",
                "2026-11-24T01:00:00", "N/A", "0:00", "/tmp", "/dev/null", "/dev/null", "", "0");
        JobInfo j = JobColumns.parseSqueue(row).get(0);
        assertEquals("4_2", j.jobId());
        assertEquals(JobState.PENDING, j.state());
        assertEquals("Priority", j.reason());
        assertEquals("GPUs per node times nodes", Integer.valueOf(8), j.gpusReq());
        assertEquals(Long.valueOf(10), j.timeLimitMinutes());
        assertNull("a pending job's start is only an estimate", j.startTime());
        assertEquals(java.time.Instant.parse("2026-11-24T01:00:00Z"), j.expectedStart());
        assertNull(j.cpusAlloc());
        assertNull(j.nodeList());
        assertEquals(Long.valueOf(0), j.elapsedSeconds());
    }

    @Test
    public void recentlyFinishedJobFromSqueueDecodesTheWaitStatus() {
        String row = squeueRow("5", "x", "a", "alice", "debug", "normal", "FAILED", "NonZeroExitCode", "1", "1",
                "cpu=1,mem=100M,node=1,billing=1", "N/A", "N/A", "10:00", "2026-11-24T00:13:26",
                "2026-11-24T00:13:27", "2026-11-24T00:13:30", "0:03", "/tmp", "/o", "/e", "c1", "256");
        JobInfo j = JobColumns.parseSqueue(row).get(0);
        assertEquals(JobState.FAILED, j.state());
        assertEquals(Instant.parse("2026-11-24T00:13:30Z"), j.endTime());
        assertEquals(Integer.valueOf(1), j.exitCode());
        assertNull("finished jobs carry no stale reason", j.reason());
    }

    @Test
    public void finishedAndNeverStartedJobsFromSacct() {
        String done = String.join(S, "2", "we|ird name", "acc1", "alice", "long", "normal", "COMPLETED", "None", "4",
                "2", "billing=4,cpu=4,mem=600M,node=2", "600M", "10080", "2026-11-24T00:13:26",
                "2026-11-24T00:13:27", "2026-11-24T00:13:57", "30", "/tmp", "c[1-2]", "4", "2",
                "billing=4,cpu=4,mem=600M,node=2,gres/gpu=2", "0:0");
        String cancelled = String.join(S, "3", "big", "acc1", "alice", "long", "normal", "CANCELLED by 0", "None",
                "16", "4", "billing=16,cpu=16,mem=12000M,node=4", "12000M", "Partition_Limit", "2026-11-24T00:13:26",
                "None", "2026-11-24T00:13:46", "0", "/tmp", "None assigned", "16", "0", "", "0:0");
        List<JobInfo> jobs = JobColumns.parseSacct(done + "\n" + cancelled + "\n");
        JobInfo j = jobs.get(0);
        assertEquals(JobState.COMPLETED, j.state());
        assertEquals(Long.valueOf(10080), j.timeLimitMinutes());
        assertEquals(Instant.parse("2026-11-24T00:13:57Z"), j.endTime());
        assertEquals(Long.valueOf(30), j.elapsedSeconds());
        assertEquals(Integer.valueOf(0), j.exitCode());
        assertEquals(Integer.valueOf(2), j.gpusAlloc());
        assertEquals(Integer.valueOf(0), j.gpusReq());
        assertEquals("c[1-2]", j.nodeList());

        JobInfo c = jobs.get(1);
        assertEquals(JobState.CANCELLED, c.state());
        assertNull("partition default limit", c.timeLimitMinutes());
        assertNull(c.startTime());
        assertEquals(Instant.parse("2026-11-24T00:13:46Z"), c.endTime());
        assertNull("never started: no allocation", c.cpusAlloc());
        assertNull("never started: no exit code", c.exitCode());
        assertNull(c.nodeList());
    }

    @Test
    public void unknownStateKeepsSlurmsWord() {
        String row = squeueRow("7", "x", "a", "alice", "debug", "normal", "LAUNCH_PENDING", "None", "1", "1", "",
                "N/A", "N/A", "10:00", "2026-11-24T00:13:26", "N/A", "N/A", "0:00", "/tmp", "", "", "", "0");
        JobInfo j = JobColumns.parseSqueue(row).get(0);
        assertEquals(JobState.UNKNOWN, j.state());
        assertEquals("LAUNCH_PENDING", j.reason());
    }

    @Test
    public void shortRowsAreSkipped() {
        assertEquals(List.of(), JobColumns.parseSqueue("garbage\n\n"));
        assertEquals(List.of(), JobColumns.parseSacct("1" + S + "2\n"));
    }

    @Test
    public void squeueFormatUsesUnlimitedWidthAndTheSeparator() {
        String format = JobColumns.squeueFormat();
        assertEquals(JobColumns.SQUEUE.size(), format.split(",").length);
        assertEquals("JobArrayID:0" + S, format.split(",")[0]);
    }
}
