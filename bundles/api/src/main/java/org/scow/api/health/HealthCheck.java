package org.scow.api.health;

import org.osgi.annotation.versioning.ConsumerType;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * One aspect of the platform's health, e.g. the database or the clusters. Bundles register it as an OSGi service;
 * {@code GET /api/v1/health} and {@code scow:health} run every registered check and report the worst status. A check
 * must answer within a second and should not throw (a check that throws counts as DOWN).
 */
@ConsumerType
public interface HealthCheck {
    /** Short stable name, e.g. {@code database}. */
    String name();

    /** The current state of this aspect. */
    Result check();

    /**
     * @param status   UP, DEGRADED (working, but with a problem an admin should see) or DOWN
     * @param message  one line for people
     * @param details  machine-readable facts (counts, versions)
     */
    record Result(Status status, String message, Map<String, Object> details) {
        public Result {
            details = Map.copyOf(details);
        }

        /** UP with a message and details. */
        public static Result up(String message, Map<String, Object> details) {
            return new Result(Status.UP, message, details);
        }

        /** DOWN with a message and no details. */
        public static Result down(String message) {
            return new Result(Status.DOWN, message, Map.of());
        }
    }

    /** Ordered from best to worst. */
    enum Status {
        /** Working. */
        UP,
        /** Working, but with a problem an admin should see. */
        DEGRADED,
        /** Not working. */
        DOWN
    }

    /** The outcome of every check, keyed by check name, and the worst status among them. */
    record Report(Status status, Map<String, Result> checks) {
        /** Runs {@code checks}; a check that throws counts as DOWN with its message. */
        public static Report of(Collection<HealthCheck> checks) {
            Map<String, Result> results = new java.util.TreeMap<>();
            for (HealthCheck c : List.copyOf(checks)) {
                Result r;
                try {
                    r = c.check();
                } catch (RuntimeException e) {
                    r = Result.down(c.name() + " check failed: " + e.getMessage());
                }
                results.put(c.name(), r);
            }
            Status worst = results.values().stream().map(Result::status).max(Comparator.naturalOrder())
                    .orElse(Status.UP);
            return new Report(worst, results);
        }
    }
}
