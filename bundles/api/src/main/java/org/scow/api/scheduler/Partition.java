package org.scow.api.scheduler;

import java.util.List;

/**
 * A partition (queue) and the resources behind it.
 *
 * @param name              partition name
 * @param nodes             node count
 * @param cores             CPU cores in total
 * @param memoryMb          memory in total, MiB
 * @param gpus              GPUs in total
 * @param qos               QoS names usable in the partition (empty: any)
 * @param maxTimeMinutes    longest time limit allowed, or null for unlimited
 * @param up                false when the partition accepts no new jobs (down, drained or inactive)
 * @param comment           free text from the scheduler's configuration, or null
 */
public record Partition(String name, int nodes, int cores, long memoryMb, int gpus, List<String> qos,
                        Long maxTimeMinutes, boolean up, String comment) {
    public Partition {
        qos = qos == null ? List.of() : List.copyOf(qos);
    }
}
