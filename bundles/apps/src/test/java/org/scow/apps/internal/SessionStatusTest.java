package org.scow.apps.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.time.Instant;
import org.junit.Test;
import org.scow.api.scheduler.JobInfo;
import org.scow.api.scheduler.JobState;
import org.scow.apps.internal.SessionStatus.CancelledBy;
import org.scow.apps.internal.SessionStatus.State;

public class SessionStatusTest {
    private static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");
    private static final Connection CONN = new Connection("cn01", 40000, "pw", "/proxy/x/");

    private static JobInfo job(JobState s) {
        return JobInfo.builder("7", s).startTime(NOW.minusSeconds(600)).timeLimitMinutes(60L).nodeList("cn01").build();
    }

    @Test
    public void queuedWithTheSchedulersReason() {
        SessionStatus s = SessionStatus.derive(JobInfo.builder("7", JobState.PENDING).reason("Priority").build(), null,
                null, null, NOW);
        assertEquals(State.QUEUED, s.state());
        assertEquals("queued: Priority", s.message());
        assertEquals("Priority", s.reason());
        assertEquals("queued: waiting for resources", SessionStatus.derive(
                JobInfo.builder("7", JobState.PENDING).build(), null, null, null, NOW).message());
    }

    @Test
    public void queuedWithTheExpectedStartWhenTheSchedulerPlansOne() {
        Instant at = NOW.plusSeconds(1800);
        SessionStatus s = SessionStatus.derive(JobInfo.builder("7", JobState.PENDING).reason("Resources")
                .expectedStart(at).build(), null, null, null, NOW);
        assertEquals(at, s.expectedStart());
        assertEquals("queued: Resources", s.message());
        assertNull(SessionStatus.derive(JobInfo.builder("7", JobState.PENDING).reason("Priority").build(), null, null,
                null, NOW).expectedStart());
        // a driver built against SPI 2.0 (the old constructor) reports none
        assertNull(new JobInfo("7", null, null, null, null, null, JobState.PENDING, "Priority", null, null, null, null,
                null, null, null, null, null, null, null, null, null, null, null, null, null, null).expectedStart());
    }

    @Test
    public void runningOnlyOnceTheConnectionFileIsThere() {
        SessionStatus starting = SessionStatus.derive(job(JobState.RUNNING), null, null, null, NOW);
        assertEquals(State.STARTING, starting.state());
        assertEquals(Long.valueOf(3000), starting.timeLeftSeconds());
        SessionStatus running = SessionStatus.derive(job(JobState.RUNNING), CONN, null, null, NOW);
        assertEquals(State.RUNNING, running.state());
        assertEquals(Long.valueOf(3000), running.timeLeftSeconds());
        assertEquals("running on cn01", running.message());
        SessionStatus stopping = SessionStatus.derive(job(JobState.RUNNING), null, "the app exited with status 2", null,
                NOW);
        assertEquals(State.STARTING, stopping.state());
        assertTrue(stopping.message(), stopping.message().contains("exited with status 2"));
    }

    @Test
    public void endedSaysWhy() {
        assertEquals("cancelled by you", ended(JobState.CANCELLED, null, CancelledBy.OWNER).message());
        assertEquals("cancelled by an administrator", ended(JobState.CANCELLED, null, CancelledBy.ADMIN).message());
        assertEquals("cancelled by the scheduler", ended(JobState.CANCELLED, null, null).message());
        assertFalse(ended(JobState.CANCELLED, null, CancelledBy.OWNER).failed());
        assertEquals("the session reached its time limit of 60 minutes", ended(JobState.TIMEOUT, null, null).message());
        SessionStatus broken = ended(JobState.FAILED, "the app did not open port 4000 within 300 seconds", null);
        assertTrue(broken.failed());
        assertEquals("the app could not start: the app did not open port 4000 within 300 seconds", broken.message());
        assertEquals("FAILED", broken.reason());
        SessionStatus failed = SessionStatus.derive(job(JobState.FAILED).toBuilder().exitCode(2).build(), null, null,
                null, NOW);
        assertEquals("the app failed with exit status 2", failed.message());
        assertTrue(failed.failed());
        assertEquals("the app exited", ended(JobState.COMPLETED, null, null).message());
        assertNull(ended(JobState.COMPLETED, null, null).timeLeftSeconds());
        SessionStatus gone = SessionStatus.derive(null, null, null, null, NOW);
        assertEquals(State.ENDED, gone.state());
        assertEquals("the scheduler no longer knows this session's job", gone.message());
    }

    private static SessionStatus ended(JobState s, String failure, CancelledBy by) {
        SessionStatus r = SessionStatus.derive(job(s), null, failure, by, NOW);
        assertEquals(State.ENDED, r.state());
        return r;
    }
}
