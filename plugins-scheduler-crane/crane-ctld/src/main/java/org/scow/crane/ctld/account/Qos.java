package org.scow.crane.ctld.account;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/** A quality of service: priority, limits (0 means unlimited) and the QoS whose running jobs it may preempt. */
public final class Qos {
    public final String name;
    public long priority;
    public long maxJobsPerUser;
    public long maxSubmitJobsPerUser;
    public long maxCpusPerUser;
    public long maxJobsPerAccount;
    public long maxSubmitJobsPerAccount;
    public long maxWallSec;
    /** Names of the QoS whose running jobs this QoS' pending jobs may preempt; empty: none (read-only outside). */
    public final Set<String> preempt = new LinkedHashSet<>();
    final Map<String, Counter> users = new HashMap<>();
    final Map<String, Counter> accounts = new HashMap<>();

    Qos(String name) {
        this.name = name;
    }

    public Counter userCounter(String user) {
        return users.computeIfAbsent(user, k -> new Counter());
    }

    public Counter accountCounter(String account) {
        return accounts.computeIfAbsent(account, k -> new Counter());
    }

    /** Limits in the order the transaction log records them. */
    public long[] limits() {
        return new long[] {priority, maxJobsPerUser, maxSubmitJobsPerUser, maxCpusPerUser, maxJobsPerAccount,
                maxSubmitJobsPerAccount, maxWallSec};
    }

    void setLimits(long[] v) {
        priority = v[0];
        maxJobsPerUser = v[1];
        maxSubmitJobsPerUser = v[2];
        maxCpusPerUser = v[3];
        maxJobsPerAccount = v[4];
        maxSubmitJobsPerAccount = v[5];
        maxWallSec = v[6];
    }
}
