package org.scow.crane.ctld.model;

/** Shared counters of one job array: concurrency limit and aggregate outcome for dependencies on the array. */
public final class ArrayGroup {
    public final long arrayJobId;
    public final int maxConcurrent;
    public final int total;
    public int running;
    public int started;
    public int finished;
    public int completedOk;

    public ArrayGroup(long arrayJobId, int maxConcurrent, int total) {
        this.arrayJobId = arrayJobId;
        this.maxConcurrent = maxConcurrent;
        this.total = total;
    }
}
