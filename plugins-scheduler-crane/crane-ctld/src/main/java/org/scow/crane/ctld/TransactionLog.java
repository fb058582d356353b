package org.scow.crane.ctld;

import java.util.ArrayList;
import java.util.List;
import org.scow.crane.ctld.account.AccountStore;

/**
 * The recent account-system changes as shown by {@code transactionLog()}: "epochSec actor op [args]", oldest first.
 * Bounded (the oldest half is dropped past 20,000 entries); kept in snapshots, rebuilt by replay. Guarded by the
 * controller lock.
 */
final class TransactionLog {
    private final List<String> entries = new ArrayList<>();

    void record(long now, String actor, AccountStore.Op op) {
        add(now + " " + actor + " " + op.describe());
    }

    /** An entry as stored in a snapshot. */
    void add(String entry) {
        entries.add(entry);
        if (entries.size() > 20000) entries.subList(0, 10000).clear();
    }

    List<String> entries() {
        return List.copyOf(entries);
    }
}
