package org.scow.billing;

import java.math.BigDecimal;
import org.scow.api.scheduler.Partition;

/** How many units a job is charged for per hour. Allocated resources are used when known, else requested ones. */
public enum AmountStrategy {
    /** CPU cores. */
    CPUS,
    /** GPUs. */
    GPUS,
    /** max(CPUs, memory-equivalent CPUs): memory divided by the partition's memory per core, rounded up. */
    MAX_CPUS_MEM,
    /** max(GPUs, CPU-equivalent GPUs): CPUs divided by the partition's cores per GPU, rounded up. */
    MAX_GPUS_CPUS;

    /**
     * The units a job is charged for per hour.
     *
     * @param cpus  the job's CPU cores, or null
     * @param gpus  the job's GPUs, or null
     * @param memMb the job's memory in MiB, or null
     * @param p     the job's partition, or null if unknown (the memory and GPU equivalents then count as zero)
     * @return the units, never negative
     */
    public BigDecimal amount(Integer cpus, Integer gpus, Long memMb, Partition p) {
        long c = cpus == null ? 0 : cpus;
        long g = gpus == null ? 0 : gpus;
        long m = memMb == null ? 0 : memMb;
        long v = switch (this) {
            case CPUS -> c;
            case GPUS -> g;
            case MAX_CPUS_MEM -> p == null || p.cores() <= 0 || p.memoryMb() <= 0 ? c
                    : Math.max(c, ceilDiv(m * p.cores(), p.memoryMb()));
            case MAX_GPUS_CPUS -> p == null || p.cores() <= 0 || p.gpus() <= 0 ? g
                    : Math.max(g, ceilDiv(c * p.gpus(), p.cores()));
        };
        return BigDecimal.valueOf(v);
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }
}
