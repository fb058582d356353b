package org.scow.crane.ctld;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.scow.crane.protocol.JobState;

/**
 * A job end reported late (the controller was down while the node queued it) keeps the time the job really ended,
 * clamped to its run and the present, also after a restart from the log.
 */
public class ReportedEndTimeTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Test
    public void lateReportsKeepTheRealEndTime() throws Exception {
        Path state = tmp.newFolder().toPath();
        TestCluster t = new TestCluster(state, null);
        long a = t.submit(TestCluster.alice().nodelist("cn1"));
        long b = t.submit(TestCluster.alice().nodelist("cn1"));
        long c = t.submit(TestCluster.alice().nodelist("cn1"));
        long d = t.submit(TestCluster.alice().nodelist("cn1"));
        t.c.schedule();
        long start = TestCluster.T0;
        assertEquals(start, t.job(a).startTime());
        t.clock.advance(1000); // the reports arrive 1000 s after the start
        boolean[] applied = t.c.jobsEndedOn("cn1", List.of(
                new Controller.NodeReport(a, start, JobState.COMPLETED, 0, start + 100), // ended long before
                new Controller.NodeReport(b, start, JobState.FAILED, 3, start + 5000),   // a clock ahead: now
                new Controller.NodeReport(c, start, JobState.FAILED, 1, start - 50),     // before its start: start
                new Controller.NodeReport(d, start, JobState.COMPLETED, 0)));            // no time: arrival
        assertArrayEquals(new boolean[] {true, true, true, true}, applied);
        assertEquals(start + 100, t.job(a).endTime());
        assertEquals(start + 1000, t.job(b).endTime());
        assertEquals(start, t.job(c).endTime());
        assertEquals(start + 1000, t.job(d).endTime());
        long e = t.submit(TestCluster.alice().nodelist("cn2"));
        t.c.schedule();
        t.clock.advance(500);
        t.c.jobEnded(e, start + 1000, JobState.COMPLETED, 0, start + 1200);
        assertEquals(start + 1200, t.job(e).endTime());
        t.c.close();

        TestCluster again = new TestCluster(state, null); // replay from the log
        assertEquals(start + 100, again.job(a).endTime());
        assertEquals(start + 1200, again.job(e).endTime());
        assertEquals(JobState.COMPLETED, again.job(a).state());
    }
}
