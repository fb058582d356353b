package org.scow.crane.ctld.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** One compute node: static capacity from configuration plus current allocation and control state. */
public final class Node {
    public final int idx;
    public final String name;
    public final int cpus;
    public final long memMb;
    /** GRES capacity by {@link GresRegistry} index. */
    public final int[] gres;
    public final Set<String> features;
    public final List<Partition> partitions = new ArrayList<>();

    public int allocCpu;
    public long allocMem;
    public final int[] allocGres;
    public int jobs;
    public boolean down;
    public boolean drain;
    public String reason;
    /**
     * Whether the node's daemon is connected and heartbeating. Not persisted: a controller with node daemons
     * starts with every node not responding until its craned registers; nodes without daemons (simulated, local)
     * stay responding. A node that is not responding takes no new jobs; the DOWN state is a separate, logged event.
     */
    public boolean responding = true;

    public Node(int idx, String name, int cpus, long memMb, int[] gres, Set<String> features) {
        this.idx = idx;
        this.name = name;
        this.cpus = cpus;
        this.memMb = memMb;
        this.gres = gres;
        this.allocGres = new int[gres.length];
        this.features = Set.copyOf(features);
    }

    public boolean hasGres() {
        for (int g : gres) if (g > 0) return true;
        return false;
    }

    public int gpuTotal() {
        int s = 0;
        for (int g : gres) s += g;
        return s;
    }

    public int gpuAlloc() {
        int s = 0;
        for (int g : allocGres) s += g;
        return s;
    }

    /** True when new jobs may be placed here. */
    public boolean usable() {
        return !down && !drain && responding;
    }

    public NodeState state() {
        if (down) return NodeState.DOWN;
        if (drain) return NodeState.DRAIN;
        if (allocCpu == 0 && jobs == 0) return NodeState.IDLE;
        return allocCpu >= cpus ? NodeState.ALLOC : NodeState.MIX;
    }
}
