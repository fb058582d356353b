package org.scow.api.scheduler;

import java.util.List;

/**
 * Resource use of a whole cluster and of each partition, at the time of the call.
 */
public record ClusterUsage(Usage total, List<PartitionUsage> partitions) {
    public ClusterUsage {
        partitions = List.copyOf(partitions);
    }

    /** Counts for one resource kind: {@code total = running + idle + unavailable}. */
    public record Counts(int total, int running, int idle, int unavailable) {
        public Counts {
            if (total != running + idle + unavailable) {
                throw new IllegalArgumentException(
                        "total " + total + " != running " + running + " + idle " + idle + " + unavailable "
                                + unavailable);
            }
        }

        public Counts plus(Counts o) {
            return new Counts(total + o.total, running + o.running, idle + o.idle, unavailable + o.unavailable);
        }

        public static final Counts ZERO = new Counts(0, 0, 0, 0);
    }

    /** Usage of a set of nodes: nodes (running = allocated, fully or partly), CPUs, GPUs, and job counts. */
    public record Usage(Counts nodes, Counts cpus, Counts gpus, int runningJobs, int pendingJobs) {
        public Usage plus(Usage o) {
            return new Usage(nodes.plus(o.nodes), cpus.plus(o.cpus), gpus.plus(o.gpus),
                    runningJobs + o.runningJobs, pendingJobs + o.pendingJobs);
        }

        public static final Usage ZERO = new Usage(Counts.ZERO, Counts.ZERO, Counts.ZERO, 0, 0);
    }

    /** Usage of one partition. */
    public record PartitionUsage(String partition, Usage usage) {
    }
}
