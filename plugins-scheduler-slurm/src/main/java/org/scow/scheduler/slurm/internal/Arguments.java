package org.scow.scheduler.slurm.internal;

import java.util.regex.Pattern;

import org.scow.api.scheduler.util.Names;
import org.scow.api.scheduler.SchedulerException;

/** Checks of caller input, before any of it reaches a Slurm command line. */
final class Arguments {
    /** Slurm job ids: {@code 42}, or {@code 42_7} for an array task. */
    static final Pattern JOB_ID = Pattern.compile("\\d{1,18}(_\\d{1,9})?");

    private Arguments() {
    }

    /** A user, account or partition name that is safe on any command line ({@link Names}). */
    static void requireName(String field, String value) throws SchedulerException {
        if (!Names.isValid(value)) {
            throw SchedulerException.invalid(field, "'" + value + "' " + Names.RULE);
        }
    }

    static void requireJobId(String jobId) throws SchedulerException {
        if (jobId == null || !JOB_ID.matcher(jobId).matches()) {
            throw SchedulerException.invalid("jobId", "'" + jobId + "' is not a Slurm job id (e.g. 42 or 42_7)");
        }
    }
}
