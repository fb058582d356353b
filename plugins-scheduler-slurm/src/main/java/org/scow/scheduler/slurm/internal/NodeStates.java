package org.scow.scheduler.slurm.internal;

import java.util.Arrays;
import java.util.Locale;
import java.util.Set;

import org.scow.api.scheduler.NodeInfo;

/** Slurm node states ({@code IDLE}, {@code MIXED+DRAIN}, {@code DOWN*}, ...) normalised to {@link NodeInfo.State}. */
public final class NodeStates {
    /** Base states in which a node takes no new jobs. */
    private static final Set<String> DOWN_BASES = Set.of("DOWN", "FUTURE", "UNKNOWN", "ERROR");
    /**
     * Flags that make a node unavailable whatever its base state. A powered-down cloud node is not among them:
     * Slurm powers it up for the next job that needs it.
     */
    private static final Set<String> DOWN_FLAGS = Set.of("DRAIN", "DRAINING", "DRAINED", "FAIL", "FAILING",
            "NOT_RESPONDING", "POWERING_DOWN", "REBOOT_ISSUED", "INVALID_REG", "INVAL");

    /** States and flags of a node with jobs on it. */
    private static final Set<String> BUSY = Set.of("ALLOCATED", "MIXED", "COMPLETING");

    private NodeStates() {
    }

    /**
     * {@code NOT_AVAILABLE} when down, drained, failing or not responding ({@code *}); otherwise {@code RUNNING}
     * when anything is allocated and {@code IDLE} when nothing is.
     */
    public static NodeInfo.State of(String raw, int cpusAlloc) {
        String[] parts = raw.toUpperCase(Locale.ROOT).strip().split("\\+");
        boolean notResponding = false;
        for (int i = 0; i < parts.length; i++) {
            if (parts[i].endsWith("*")) {
                notResponding = true;
                parts[i] = parts[i].substring(0, parts[i].length() - 1);
            }
        }
        if (notResponding || DOWN_BASES.contains(parts[0])) {
            return NodeInfo.State.NOT_AVAILABLE;
        }
        for (String flag : parts) {
            if (DOWN_FLAGS.contains(flag)) {
                return NodeInfo.State.NOT_AVAILABLE;
            }
        }
        boolean busy = cpusAlloc > 0 || Arrays.stream(parts).anyMatch(BUSY::contains);
        return busy ? NodeInfo.State.RUNNING : NodeInfo.State.IDLE;
    }

    /** The state text as a reason for an unavailable node that has none of its own. */
    public static String word(String raw) {
        return raw == null || raw.isBlank() ? null : raw.strip();
    }
}
