package org.scow.crane.ctld;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.scow.crane.ctld.model.Job;

/**
 * The controller's one lock and the ways the {@link Controller} holds it. A {@link #change} runs its body (validate,
 * apply, journal) under the lock; then, outside it, waits until what was appended is durable and only then has the
 * launcher kill the runs the change ended. Durability waits, launcher calls and history file reads never hold it.
 * The components behind the controller take no lock of their own: they are called only inside these bodies.
 */
final class ControllerLock {
    /** An action under the lock that may fail with an I/O error (snapshots). */
    interface IoAction {
        void run() throws IOException;
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final Journal journal;
    private final LiveEvents events;
    private final Supplier<Launcher> launcher;

    ControllerLock(Journal journal, LiveEvents events, Supplier<Launcher> launcher) {
        this.journal = journal;
        this.events = events;
        this.launcher = launcher;
    }

    /** A read (or a change that is not journaled, and submissions, which wait for durability their own way). */
    <T> T read(Supplier<T> body) {
        lock.lock();
        try {
            return body.get();
        } finally {
            lock.unlock();
        }
    }

    void io(IoAction body) throws IOException {
        lock.lock();
        try {
            body.run();
        } finally {
            lock.unlock();
        }
    }

    <T> T change(Supplier<T> body) {
        T result;
        long lsn;
        List<Job> term;
        lock.lock();
        try {
            result = body.get();
            lsn = journal.lastLsn();
            term = events.drainTerminate();
        } finally {
            lock.unlock();
        }
        journal.awaitDurable(lsn);
        if (!term.isEmpty()) launcher.get().terminate(term);
        return result;
    }

    void change(Runnable body) {
        change(() -> {
            body.run();
            return null;
        });
    }
}
