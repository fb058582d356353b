package org.scow.crane.ctld.account;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A node of the account tree with its members, rules, block flags and decayed usage for fair share. */
public final class Account {
    public final String name;
    public final Account parent;
    public final List<Account> children = new ArrayList<>();
    public final Map<String, Membership> members = new LinkedHashMap<>();
    public String description;
    /** Allowed partitions; empty means all. */
    public final Set<String> partitions = new LinkedHashSet<>();
    /** Allowed QoS; never empty. */
    public final Set<String> qos = new LinkedHashSet<>();
    public String defaultQos;
    public boolean blocked;
    public final Set<String> blockedPartitions = new LinkedHashSet<>();
    public long shares = 1;

    // fair share: decayed usage in CPU-seconds as of usageTime, plus the live charge rate of running jobs
    public double usage;
    public long usageTime;
    public double runRate;
    public double runRateStartSum;
    /** Fair-share factor in (0,1], recomputed each scheduling pass. */
    public double fsFactor = 1.0;
    /** Jobs pending or running under this account (for delete checks). */
    public int liveJobs;

    Account(String name, Account parent) {
        this.name = name;
        this.parent = parent;
    }

    public boolean partitionAllowed(String p) {
        return partitions.isEmpty() || partitions.contains(p);
    }

    public boolean qosAllowed(String q) {
        return qos.contains(q);
    }

    /** The account or an ancestor blocked as a whole; returns the blocked one or null. */
    public Account blockedAncestor() {
        for (Account a = this; a != null; a = a.parent) if (a.blocked) return a;
        return null;
    }

    /** The account or an ancestor blocked in the partition; returns the blocked one or null. */
    public Account blockedIn(String partition) {
        for (Account a = this; a != null; a = a.parent) if (a.blockedPartitions.contains(partition)) return a;
        return null;
    }

    public boolean isAncestorOf(Account other) {
        for (Account a = other; a != null; a = a.parent) if (a == this) return true;
        return false;
    }
}
