package org.scow.api.scheduler;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.fail;

import java.util.ArrayList;
import java.util.List;

import org.junit.Test;

public class ClusterUsageTest {
    @Test
    public void countsMustAddUp() {
        new ClusterUsage.Counts(10, 3, 5, 2);
        try {
            new ClusterUsage.Counts(10, 3, 5, 1);
            fail("accepted counts that do not add up");
        } catch (IllegalArgumentException e) {
            assertEquals("total 10 != running 3 + idle 5 + unavailable 1", e.getMessage());
        }
    }

    @Test
    public void countsAndUsagesAddUpComponentWise() {
        ClusterUsage.Counts a = new ClusterUsage.Counts(4, 1, 2, 1);
        ClusterUsage.Counts b = new ClusterUsage.Counts(8, 8, 0, 0);
        assertEquals(new ClusterUsage.Counts(12, 9, 2, 1), a.plus(b));
        assertEquals(a, a.plus(ClusterUsage.Counts.ZERO));

        ClusterUsage.Usage u = new ClusterUsage.Usage(a, b, ClusterUsage.Counts.ZERO, 3, 4);
        ClusterUsage.Usage sum = u.plus(u);
        assertEquals(new ClusterUsage.Usage(a.plus(a), b.plus(b), ClusterUsage.Counts.ZERO, 6, 8), sum);
        assertEquals(u, ClusterUsage.Usage.ZERO.plus(u));
    }

    @Test
    public void partitionListIsCopied() {
        List<ClusterUsage.PartitionUsage> parts = new ArrayList<>();
        parts.add(new ClusterUsage.PartitionUsage("debug", ClusterUsage.Usage.ZERO));
        ClusterUsage usage = new ClusterUsage(ClusterUsage.Usage.ZERO, parts);
        parts.clear();
        assertEquals(1, usage.partitions().size());
    }
}
