package org.scow.itest.driver.internal;

import java.time.Instant;

/**
 * Simulated time: from the driver's creation on it runs {@code scale} times faster than the wall clock, so itests can
 * watch hour-long jobs time out in seconds. With scale 1 it is the wall clock (to the millisecond).
 */
final class SimClock {
    private final long originMillis = System.currentTimeMillis();
    private final long originNanos = System.nanoTime();
    private final int scale;

    SimClock(int scale) {
        this.scale = scale;
    }

    Instant now() {
        long realMillis = (System.nanoTime() - originNanos) / 1_000_000;
        return Instant.ofEpochMilli(originMillis + realMillis * scale);
    }

    /** The wall-clock delay, in milliseconds, until {@code simulatedMillis} of simulated time have passed. */
    long realDelay(long simulatedMillis) {
        return simulatedMillis <= 0 ? 0 : (simulatedMillis + scale - 1) / scale;
    }
}
