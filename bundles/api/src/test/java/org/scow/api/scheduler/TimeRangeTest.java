package org.scow.api.scheduler;

import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.time.Instant;

import org.junit.Test;

public class TimeRangeTest {
    private static final Instant T = Instant.parse("2024-05-01T12:00:00Z");

    @Test
    public void bothEndsAreInclusive() {
        TimeRange r = new TimeRange(T, T.plusSeconds(10));
        assertTrue(r.contains(T));
        assertTrue(r.contains(T.plusSeconds(10)));
        assertTrue(r.contains(T.plusSeconds(5)));
        assertFalse(r.contains(T.minusNanos(1)));
        assertFalse(r.contains(T.plusSeconds(10).plusNanos(1)));
        assertTrue(new TimeRange(T, T).contains(T));
    }

    @Test
    public void openEndsAcceptEverythingOnThatSide() {
        assertTrue(new TimeRange(null, T).contains(Instant.EPOCH));
        assertFalse(new TimeRange(null, T).contains(T.plusSeconds(1)));
        assertTrue(new TimeRange(T, null).contains(Instant.MAX));
        assertFalse(new TimeRange(T, null).contains(T.minusSeconds(1)));
        assertTrue(new TimeRange(null, null).contains(T));
    }

    @Test
    public void aMissingTimeIsNeverContained() {
        assertFalse(new TimeRange(null, null).contains(null));
    }

    @Test(expected = IllegalArgumentException.class)
    public void startAfterEndIsRefused() {
        new TimeRange(T.plusSeconds(1), T);
    }
}
