package org.scow.crane.server;

import java.util.LinkedHashMap;
import java.util.Map;
import org.scow.crane.protocol.Credential;

/**
 * Credentials already verified, by their exact text, so a caller that sends the same credential on every call (the
 * commands, the driver, every craned) pays the HMAC once: a MAC computation per call was 8 % of the controller's CPU
 * samples in the end-to-end profile (issue 16). A text is kept only after it verified, and verifying the same text
 * with the same key always gives the same answer, so the cache changes no decision; expiry is still checked at every
 * call. Bounded (least recently used out), so random garbage cannot grow it: garbage never verifies anyway.
 */
final class VerifiedCredentials {
    static final int CAPACITY = 4096;

    private final byte[] key;
    private final Map<String, Credential> cache = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Credential> eldest) {
            return size() > CAPACITY;
        }
    };

    VerifiedCredentials(byte[] key) {
        this.key = key.clone();
    }

    /** {@link Credential#verify} with its answers for valid texts remembered. */
    Credential verify(String text, long nowEpochSec) throws Credential.InvalidCredentialException {
        Credential c;
        synchronized (cache) {
            c = text == null ? null : cache.get(text);
        }
        if (c == null) {
            c = Credential.verify(text, key, nowEpochSec);
            synchronized (cache) {
                cache.put(text, c);
            }
        } else if (c.expiresEpochSec() < nowEpochSec) {
            synchronized (cache) {
                cache.remove(text);
            }
            // the same wording as a first verification
            return Credential.verify(text, key, nowEpochSec);
        }
        return c;
    }

    int size() {
        synchronized (cache) {
            return cache.size();
        }
    }
}
