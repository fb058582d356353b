package org.scow.crane.server;

import java.util.logging.Level;
import java.util.logging.Logger;
import org.scow.crane.ctld.Controller;

/**
 * Runs scheduling passes every {@code intervalMs}, and sooner when {@link #poke()}d (a submission, a release, a
 * finished job), but never more often than every {@code minGapMs}: under a stream of submissions a pass per
 * submission would hold the controller lock most of the time.
 */
final class SchedulerLoop implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(SchedulerLoop.class.getName());

    private final Controller ctl;
    private final long intervalMs;
    private final long minGapMs;
    private final Thread thread;
    private boolean poked;
    private volatile boolean stopped;

    SchedulerLoop(Controller ctl, long intervalMs, long minGapMs) {
        this.ctl = ctl;
        this.intervalMs = Math.max(1, intervalMs);
        this.minGapMs = Math.max(0, minGapMs);
        this.thread = new Thread(this::run, "crane-scheduler");
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    synchronized void poke() {
        poked = true;
        notifyAll();
    }

    private void run() {
        long last = 0;
        long lastPassMs = 0;
        while (!stopped) {
            try {
                waitForTurn(last, lastPassMs);
                if (stopped) return;
                last = System.nanoTime();
                ctl.schedule();
                lastPassMs = (System.nanoTime() - last) / 1_000_000;
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                // a failed pass must not stop scheduling for good; the next pass starts from consistent state
                LOG.log(Level.SEVERE, "scheduling pass failed", e);
            }
        }
    }

    /**
     * Waits for the next pass: the interval, or the minimum gap when poked, both counted from the last pass's start.
     * A poked pass also waits until as long as the last pass took has gone by after its end: passes hold the
     * controller lock, and a stream of submissions, each poking, must still get half of the controller's time however
     * long passes get with a deep queue.
     */
    private synchronized void waitForTurn(long lastNanos, long lastPassMs) throws InterruptedException {
        long gapMs = Math.max(minGapMs, 2 * lastPassMs);
        while (!stopped) {
            long sinceMs = (System.nanoTime() - lastNanos) / 1_000_000;
            long waitMs = poked ? gapMs - sinceMs : intervalMs - sinceMs;
            if (waitMs <= 0) {
                poked = false;
                return;
            }
            wait(waitMs);
        }
    }

    @Override
    public void close() {
        stopped = true;
        synchronized (this) {
            notifyAll();
        }
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
