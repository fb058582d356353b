package org.scow.crane.protocol;

/** Job states; names match the platform SPI's {@code JobState} where they overlap. */
public enum JobState {
    PENDING, RUNNING, COMPLETED, FAILED, CANCELLED, TIMEOUT, OUT_OF_MEMORY, NODE_FAIL;

    public boolean finished() {
        return this != PENDING && this != RUNNING;
    }

    private static final JobState[] VALUES = values();

    public static JobState of(int ordinal) {
        if (ordinal < 0 || ordinal >= VALUES.length) throw new IllegalStateException("bad job state " + ordinal);
        return VALUES[ordinal];
    }
}
