package org.scow.crane.ctld;

/** Time source in epoch seconds; tests use a manual clock so time-limit and age tests need no sleeping. */
@FunctionalInterface
public interface Clock {
    long nowSec();

    Clock SYSTEM = () -> System.currentTimeMillis() / 1000;

    /** A clock moved by hand. */
    final class Manual implements Clock {
        private volatile long now;

        public Manual(long start) {
            now = start;
        }

        @Override
        public long nowSec() {
            return now;
        }

        public void advance(long sec) {
            now += sec;
        }

        public void set(long sec) {
            now = sec;
        }
    }
}
