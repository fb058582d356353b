package org.scow.scheduler.slurm.internal;

import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.scow.api.scheduler.JobState;

/** Slurm job states (squeue's and sacct's long names) and their normalised {@link JobState}. */
public final class JobStates {
    private static final Set<JobState> ACTIVE = EnumSet.of(JobState.PENDING, JobState.RUNNING, JobState.SUSPENDED,
            JobState.COMPLETING);

    /** Slurm's state words that are still active, as accepted by {@code squeue -t} / {@code sacct -s}. */
    private static final List<String> ACTIVE_WORDS = List.of("PENDING", "RUNNING", "SUSPENDED", "COMPLETING",
            "CONFIGURING", "REQUEUED", "REQUEUE_HOLD", "REQUEUE_FED", "RESV_DEL_HOLD", "RESIZING", "SIGNALING",
            "STAGE_OUT", "STOPPED");

    private JobStates() {
    }

    /** Normalised state of a Slurm state word; sacct adds details ("CANCELLED by 1001") that are ignored. */
    public static JobState of(String raw) {
        String word = word(raw);
        return switch (word) {
            case "PENDING", "REQUEUED", "REQUEUE_HOLD", "REQUEUE_FED", "RESV_DEL_HOLD" -> JobState.PENDING;
            // CONFIGURING: resources are allocated and the nodes are booting; the job's clock runs
            case "RUNNING", "CONFIGURING", "RESIZING", "SIGNALING" -> JobState.RUNNING;
            case "SUSPENDED", "STOPPED" -> JobState.SUSPENDED;
            case "COMPLETING", "STAGE_OUT" -> JobState.COMPLETING;
            case "COMPLETED" -> JobState.COMPLETED;
            // REVOKED: a federated sibling started the job elsewhere, this copy was withdrawn
            case "CANCELLED", "REVOKED" -> JobState.CANCELLED;
            // BOOT_FAIL: the nodes failed to boot; SPECIAL_EXIT: the job asked to be held after failing
            case "FAILED", "BOOT_FAIL", "SPECIAL_EXIT" -> JobState.FAILED;
            // DEADLINE: killed on reaching its --deadline, a time limit set by the user
            case "TIMEOUT", "DEADLINE" -> JobState.TIMEOUT;
            case "OUT_OF_MEMORY" -> JobState.OUT_OF_MEMORY;
            case "NODE_FAIL" -> JobState.NODE_FAIL;
            case "PREEMPTED" -> JobState.PREEMPTED;
            default -> JobState.UNKNOWN;
        };
    }

    /** The first word of a state column, upper case: "CANCELLED by 0" gives "CANCELLED". */
    public static String word(String raw) {
        String s = raw == null ? "" : raw.strip();
        int space = s.indexOf(' ');
        return (space < 0 ? s : s.substring(0, space)).replace("+", "").toUpperCase(Locale.ROOT);
    }

    /** Slurm state words for {@code squeue -t} that map onto any of {@code states}; empty when none do. */
    public static Set<String> activeWords(Set<JobState> states) {
        Set<String> out = new LinkedHashSet<>();
        for (String w : ACTIVE_WORDS) {
            if (states.contains(of(w))) {
                out.add(w);
            }
        }
        return out;
    }

    /** True for the states squeue shows (the job is not finished). */
    public static boolean isActive(JobState s) {
        return ACTIVE.contains(s);
    }
}
