package org.scow.api.scheduler;

import java.util.List;

/**
 * One compute node.
 *
 * @param state   IDLE (nothing allocated), RUNNING (some or all allocated) or NOT_AVAILABLE (down, drained, ...)
 * @param reason  why a node is not available, or null
 */
public record NodeInfo(String name, List<String> partitions, State state, String reason,
                       int cpus, int cpusAlloc, long memoryMb, long memoryAllocMb, int gpus, int gpusAlloc) {
    public NodeInfo {
        partitions = List.copyOf(partitions);
    }

    /** Node availability, normalised across schedulers. */
    public enum State { IDLE, RUNNING, NOT_AVAILABLE }
}
