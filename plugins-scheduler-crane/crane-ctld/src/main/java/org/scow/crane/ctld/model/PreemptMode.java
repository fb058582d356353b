package org.scow.crane.ctld.model;

import org.scow.crane.ctld.CtldException;

/**
 * What happens to a running job that a job of a preempting QoS displaces (Slurm's PreemptMode, reduced to three
 * values). Set for the cluster and optionally per partition; the victim's partition decides.
 */
public enum PreemptMode {
    /** Jobs of this partition are never preempted. */
    OFF,
    /** The victim ends CANCELLED with reason "Preempted". */
    CANCEL,
    /** The victim goes back to PENDING under its id, its requeue count incremented. */
    REQUEUE;

    public static PreemptMode parse(String field, String v) {
        if (v != null) {
            for (PreemptMode m : values()) if (m.name().equalsIgnoreCase(v.trim())) return m;
        }
        throw CtldException.invalid(field, "PreemptMode must be OFF, CANCEL or REQUEUE, not '" + v + "'");
    }
}
