package org.scow.crane.ctld;

import org.scow.crane.ctld.model.Job;
import org.scow.crane.ctld.model.PreemptMode;

/**
 * What a scheduling pass decides. The controller applies each decision to its state and journals it at once
 * ({@link LiveEvents}), because the rest of the same pass depends on it: QoS run counters and array limits, and the
 * resources a preempted victim frees.
 */
interface SchedulingDecisions {
    /** Start {@code j} now on {@code nodes}, with the GRES type chosen on each (-1: none). */
    void start(Job j, int[] nodes, int[] gres, long now);

    /** End or requeue running job {@code victim} (by {@code mode}) so that {@code preemptor} can start. */
    void preempt(Job victim, Job preemptor, PreemptMode mode, long now);
}
