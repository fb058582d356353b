package org.scow.scheduler.slurm.internal;

import java.util.concurrent.locks.ReentrantLock;

import org.scow.api.scheduler.SchedulerException;

/**
 * Serialises one driver's changes to associations: most of them read the associations first and then change
 * them, and two interleaved block/unblock sequences would leave a mix of both.
 */
final class ChangeLock {
    private final ReentrantLock lock = new ReentrantLock();

    void run(Change change) throws SchedulerException {
        lock.lock();
        try {
            change.run();
        } finally {
            lock.unlock();
        }
    }

    /** A change of associations. */
    @FunctionalInterface
    interface Change {
        void run() throws SchedulerException;
    }
}
