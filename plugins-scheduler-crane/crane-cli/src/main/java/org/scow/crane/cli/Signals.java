package org.scow.crane.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * SIGINT, SIGTERM and SIGHUP of crun and calloc, caught so that they can be forwarded (to a step's tasks) or acted on
 * (release the allocation) instead of killing the command on the spot. Only the real process catches them
 * ({@link Crane#main}); commands run in-process (tests) leave the JVM's signals alone.
 */
final class Signals implements AutoCloseable {
    private static final String[] NAMES = {"INT", "TERM", "HUP"};
    private static final int[] NUMBERS = {2, 15, 1};

    private final List<Signal> caught = new ArrayList<>();
    private final List<SignalHandler> previous = new ArrayList<>();
    private volatile IntConsumer target;
    private volatile boolean interrupted;

    private Signals() {
    }

    static Signals install(Io io) {
        Signals s = new Signals();
        if (!Crane.standalone) return s;
        for (int i = 0; i < NAMES.length; i++) {
            int number = NUMBERS[i];
            try {
                Signal sig = new Signal(NAMES[i]);
                s.previous.add(Signal.handle(sig, x -> s.fire(number)));
                s.caught.add(sig);
            } catch (IllegalArgumentException e) {
                // the JVM keeps this one (e.g. run with -Xrs): it acts as by default
            }
        }
        return s;
    }

    private void fire(int number) {
        IntConsumer t = target;
        if (t != null) t.accept(number);
        else interrupted = true;
    }

    /** Where signals go from now on (null: only remembered, see {@link #interrupted}). */
    void onSignal(IntConsumer t) {
        target = t;
    }

    boolean interrupted() {
        return interrupted;
    }

    @Override
    public void close() {
        for (int i = 0; i < caught.size(); i++) Signal.handle(caught.get(i), previous.get(i));
    }
}
