package org.scow.api.scheduler.util;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import org.junit.Test;

public class JobIdsTest {
    private static int cmp(String a, String b) {
        return Integer.signum(JobIds.COMPARATOR.compare(a, b));
    }

    @Test
    public void numericIdsCompareAsNumbersAndArrayTasksFollowTheirJob() {
        assertEquals(-1, cmp("9", "10"));
        assertEquals(-1, cmp("10", "10_1"));
        assertEquals(-1, cmp("10_2", "10_10"));
        assertEquals(-1, cmp("10_10", "11"));
        assertEquals(0, cmp("7", "7"));
    }

    @Test
    public void numericIdsComeBeforeOtherIds() {
        assertEquals(-1, cmp("99", "1a"));
        assertEquals(1, cmp("job-1", "5"));
        assertEquals(-1, cmp("a", "b"));
    }

    @Test
    public void mixedIdsAreOrderedTransitively() {
        // "9" < "10" numerically, "10" < "1a" and "1a" < "9" as text: the order must not be cyclic.
        List<String> ids = List.of("9", "10", "1a", "10_1", "x", "2", "10_x", "");
        for (String a : ids) {
            for (String b : ids) {
                assertEquals(a + " vs " + b, -cmp(b, a), cmp(a, b));
                for (String c : ids) {
                    if (cmp(a, b) <= 0 && cmp(b, c) <= 0) {
                        assertTrue(a + " <= " + b + " <= " + c, cmp(a, c) <= 0);
                    }
                }
            }
        }
        List<String> shuffled = new ArrayList<>(ids);
        Collections.shuffle(shuffled, new Random(1));
        shuffled.sort(JobIds.COMPARATOR);
        assertEquals(List.of("2", "9", "10", "10_1", "", "10_x", "1a", "x"), shuffled);
    }
}
