package org.scow.itest.driver.internal;

import java.util.List;

import org.scow.api.scheduler.NodeInfo;

/** One compute node of the simulator. Mutable; guarded by the driver's lock. */
final class SimNode {
    final String name;
    final int cpus;
    final long memoryMb;
    final int gpus;
    final boolean down;
    int cpusAlloc;
    long memoryAllocMb;
    int gpusAlloc;

    SimNode(String name, int cpus, long memoryMb, int gpus, boolean down) {
        this.name = name;
        this.cpus = cpus;
        this.memoryMb = memoryMb;
        this.gpus = gpus;
        this.down = down;
    }

    boolean fits(SimJob job) {
        return !down && cpus - cpusAlloc >= job.coresPerNode && memoryMb - memoryAllocMb >= job.memoryMbPerNode
                && gpus - gpusAlloc >= job.gpusPerNode;
    }

    void allocate(SimJob job, int sign) {
        cpusAlloc += sign * job.coresPerNode;
        memoryAllocMb += sign * job.memoryMbPerNode;
        gpusAlloc += sign * job.gpusPerNode;
    }

    boolean allocated() {
        return cpusAlloc > 0 || memoryAllocMb > 0 || gpusAlloc > 0;
    }

    NodeInfo toInfo(List<String> partitions) {
        NodeInfo.State state = down ? NodeInfo.State.NOT_AVAILABLE
                : allocated() ? NodeInfo.State.RUNNING : NodeInfo.State.IDLE;
        return new NodeInfo(name, partitions, state, down ? "simulated down" : null, cpus, cpusAlloc, memoryMb,
                memoryAllocMb, gpus, gpusAlloc);
    }
}
