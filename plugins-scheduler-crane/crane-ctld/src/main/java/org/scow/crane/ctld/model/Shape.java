package org.scow.crane.ctld.model;

/**
 * The placement-relevant shape of a job (partition, geometry, per-node needs, time limit). Jobs of one shape that
 * cannot start now in a scheduling pass are all skipped after the first failure: resources only shrink during a
 * pass. Interned by the controller so the check costs one field compare.
 */
public final class Shape {
    public final int partition;
    public final int nodes;
    public final int cpusPerNode;
    public final long memPerNode;
    public final GresRegistry.Request gres;
    public final boolean exclusive;
    public final long timeLimitSec;
    /** Pass number in which this shape last failed to start now. */
    public int failEpoch = -1;

    public Shape(int partition, int nodes, int cpusPerNode, long memPerNode, GresRegistry.Request gres,
                 boolean exclusive, long timeLimitSec) {
        this.partition = partition;
        this.nodes = nodes;
        this.cpusPerNode = cpusPerNode;
        this.memPerNode = memPerNode;
        this.gres = gres;
        this.exclusive = exclusive;
        this.timeLimitSec = timeLimitSec;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Shape s && s.partition == partition && s.nodes == nodes && s.cpusPerNode == cpusPerNode
                && s.memPerNode == memPerNode && s.gres.equals(gres) && s.exclusive == exclusive
                && s.timeLimitSec == timeLimitSec;
    }

    @Override
    public int hashCode() {
        int h = partition;
        h = h * 31 + nodes;
        h = h * 31 + cpusPerNode;
        h = h * 31 + Long.hashCode(memPerNode);
        h = h * 31 + gres.hashCode();
        h = h * 31 + (exclusive ? 1 : 0);
        return h * 31 + Long.hashCode(timeLimitSec);
    }
}
