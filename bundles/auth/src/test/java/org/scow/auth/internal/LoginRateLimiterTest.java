package org.scow.auth.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.Test;

public class LoginRateLimiterTest {
    private final AtomicLong now = new AtomicLong(1_000_000);
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(now.get());
        }
    };

    @Test
    public void eleventhAttemptInAMinuteIsRefused() {
        LoginRateLimiter l = new LoginRateLimiter(10, 60_000, clock);
        for (int i = 0; i < 10; i++) {
            assertTrue("attempt " + (i + 1), l.allowed("u:alice"));
            l.failed("u:alice");
            now.addAndGet(1000);
        }
        assertFalse(l.allowed("u:alice"));
        assertTrue("other users are not affected", l.allowed("u:bob"));
        assertEquals(50, l.retryAfterSeconds("u:alice"));
        now.addAndGet(50_000);
        assertTrue("the oldest failure left the window", l.allowed("u:alice"));
    }

    @Test
    public void successClearsTheCount() {
        LoginRateLimiter l = new LoginRateLimiter(3, 60_000, clock);
        l.failed("k");
        l.failed("k");
        l.succeeded("k");
        l.failed("k");
        l.failed("k");
        assertTrue(l.allowed("k"));
        l.failed("k");
        assertFalse(l.allowed("k"));
    }
}
