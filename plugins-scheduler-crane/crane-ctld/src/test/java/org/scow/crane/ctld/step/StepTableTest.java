package org.scow.crane.ctld.step;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.util.List;
import org.junit.Test;

public class StepTableTest {
    @Test
    public void stepIdsCountPerJobAndEndOnce() {
        StepTable t = new StepTable();
        StepTable.Step a = t.start(7, "hostname", "alice", List.of("cn1", "cn2"), 4, 100);
        StepTable.Step b = t.start(7, "sh", "alice", List.of("cn1"), 1, 101);
        StepTable.Step c = t.start(8, "sh", "bob", List.of("cn3"), 1, 102);
        assertEquals(0, a.stepId);
        assertEquals(1, b.stepId);
        assertEquals(0, c.stepId);
        assertEquals("7.1", b.id());
        assertEquals(List.of(7L, 8L), t.jobsWithRunningSteps().stream().sorted().toList());
        assertTrue(t.end(7, 0, StepTable.State.COMPLETED, 0, null, 110));
        assertFalse("a second end is ignored", t.end(7, 0, StepTable.State.FAILED, 1, "late", 111));
        StepTable.StepView v = t.view(7, 0);
        assertEquals(StepTable.State.COMPLETED, v.state());
        assertEquals(110, v.endTime());
        assertEquals(1, t.running(7).size());
        assertEquals(1, t.steps(List.of(7L), false).size());
        assertEquals(2, t.steps(List.of(7L), true).size());
        assertEquals(3, t.steps(List.of(), true).size());
        assertNull(t.view(9, 0));
    }

    @Test
    public void endedStepsAreTrimmedButIdsAreNeverReused() {
        StepTable t = new StepTable();
        for (int i = 0; i < StepTable.MAX_ENDED + 5; i++) {
            StepTable.Step s = t.start(1, "x", "u", List.of("n"), 1, i);
            t.end(1, s.stepId, StepTable.State.COMPLETED, 0, null, i);
        }
        assertEquals(StepTable.MAX_ENDED, t.steps(List.of(1L), true).size());
        assertNull("the oldest ended steps left the table", t.view(1, 0));
        assertEquals(StepTable.MAX_ENDED + 5, t.start(1, "y", "u", List.of("n"), 1, 0).stepId);
    }
}
