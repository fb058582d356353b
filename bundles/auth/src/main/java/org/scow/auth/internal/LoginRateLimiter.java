package org.scow.auth.internal;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts failed logins per key (a user id, or a source address) in a sliding window. Once a key has {@code max}
 * failures in the window, further attempts are refused before any password is checked.
 */
public final class LoginRateLimiter {
    private final int max;
    private final long windowMillis;
    private final Clock clock;
    private final Map<String, Deque<Long>> failures = new ConcurrentHashMap<>();

    public LoginRateLimiter(int max, long windowMillis, Clock clock) {
        this.max = max;
        this.windowMillis = windowMillis;
        this.clock = clock;
    }

    /** True while the key may try again. */
    public boolean allowed(String key) {
        Deque<Long> d = failures.get(key);
        if (d == null) {
            return true;
        }
        synchronized (d) {
            prune(d);
            return d.size() < max;
        }
    }

    public void failed(String key) {
        Deque<Long> d = failures.computeIfAbsent(key, k -> new ArrayDeque<>());
        synchronized (d) {
            prune(d);
            d.addLast(clock.millis());
        }
        if (failures.size() > 100_000) {
            failures.entrySet().removeIf(e -> {
                synchronized (e.getValue()) {
                    prune(e.getValue());
                    return e.getValue().isEmpty();
                }
            });
        }
    }

    public void succeeded(String key) {
        failures.remove(key);
    }

    /** Seconds until the oldest counted failure leaves the window. */
    public long retryAfterSeconds(String key) {
        Deque<Long> d = failures.get(key);
        if (d == null) {
            return 0;
        }
        synchronized (d) {
            prune(d);
            return d.isEmpty() ? 0 : Math.max(1, (d.peekFirst() + windowMillis - clock.millis() + 999) / 1000);
        }
    }

    private void prune(Deque<Long> d) {
        long cutoff = clock.millis() - windowMillis;
        while (!d.isEmpty() && d.peekFirst() <= cutoff) {
            d.pollFirst();
        }
    }
}
