package org.scow.crane.ctld.model;

/** A partition: an ordered set of nodes with limits and a priority tier. */
public final class Partition {
    public final int idx;
    public final String name;
    public final int[] nodes;
    /** Nodes without any GRES, tried first for jobs that ask for none. */
    public final int[] cpuOnlyNodes;
    /** Nodes with some GRES. */
    public final int[] gresNodes;
    public final int priorityTier;
    public final long maxTimeSec;
    public final long defaultTimeSec;
    public final boolean isDefault;
    /** What preemption does to this partition's running jobs (OFF: they are never preempted). */
    public final PreemptMode preemptMode;
    public boolean up = true;
    public final int totalCpus;
    public final long totalMemMb;
    public final int totalGpus;
    /** Memory per CPU (MiB) of a job that asks for no memory. */
    public final long defMemPerCpuMb;

    /** {@code defMemPerCpuMb} 0: the smallest memory/CPUs of the partition's nodes (at least 1 MiB). */
    public Partition(int idx, String name, Node[] all, int[] nodes, int priorityTier, long maxTimeSec,
                     long defaultTimeSec, boolean isDefault, PreemptMode preemptMode, long defMemPerCpuMb) {
        this.idx = idx;
        this.name = name;
        this.nodes = nodes;
        this.priorityTier = priorityTier;
        this.maxTimeSec = maxTimeSec;
        this.defaultTimeSec = defaultTimeSec;
        this.isDefault = isDefault;
        this.preemptMode = preemptMode;
        int c = 0;
        long m = 0;
        int g = 0;
        int nc = 0;
        for (int n : nodes) {
            c += all[n].cpus;
            m += all[n].memMb;
            g += all[n].gpuTotal();
            if (!all[n].hasGres()) nc++;
        }
        long share = Long.MAX_VALUE;
        for (int n : nodes) share = Math.min(share, all[n].memMb / all[n].cpus);
        this.defMemPerCpuMb = defMemPerCpuMb > 0 ? defMemPerCpuMb : nodes.length == 0 ? 1 : Math.max(1, share);
        totalCpus = c;
        totalMemMb = m;
        totalGpus = g;
        cpuOnlyNodes = new int[nc];
        gresNodes = new int[nodes.length - nc];
        int a = 0;
        int b = 0;
        for (int n : nodes) {
            if (all[n].hasGres()) gresNodes[b++] = n;
            else cpuOnlyNodes[a++] = n;
        }
    }
}
