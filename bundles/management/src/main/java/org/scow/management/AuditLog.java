package org.scow.management;

import org.osgi.annotation.versioning.ProviderType;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Every management and billing operation: who, when, from where, on what, with what, and how it ended. */
@ProviderType
public interface AuditLog {
    /** Records one operation in its own transaction; never throws. */
    void record(Actor actor, String operation, String targetType, String target, Map<String, ?> parameters,
                boolean success, String message);

    /** Matching entries, newest first. */
    List<Entry> query(Query query);

    /**
     * @param result SUCCESS or FAILURE
     */
    record Entry(long id, Instant occurredAt, String actor, String sourceIp, String operation, String targetType,
                 String target, String parameters, String result, String message) {
    }

    /** Null fields do not filter; {@code from} and {@code to} are inclusive. */
    record Query(String actor, String operation, String targetType, String target, String result, Instant from,
                 Instant to, int offset, int limit) {
        public Query {
            if (from != null && to != null && from.isAfter(to)) {
                throw ManagementException.invalid("from", "time range starts after it ends: " + from + " > " + to);
            }
            if (offset < 0) {
                throw ManagementException.invalid("offset", "must not be negative");
            }
            if (limit < 1 || limit > 10_000) {
                throw ManagementException.invalid("limit", "must be 1..10000");
            }
        }
    }
}
