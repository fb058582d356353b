package org.scow.scheduler.slurm.internal;

import org.scow.api.scheduler.SchedulerException;

/** Runs processes; the seam between the driver's logic and the operating system (replaced in unit tests). */
public interface CommandRunner extends AutoCloseable {

    /**
     * Runs {@code command} to completion.
     *
     * @return the result, whatever the exit code
     * @throws SchedulerException {@code UNAVAILABLE} when the program cannot be started or exceeds its timeout
     */
    CommandResult run(Command command) throws SchedulerException;

    @Override
    void close();
}
