package org.scow.crane.ctld.account;

import java.util.LinkedHashSet;
import java.util.Set;

/** A user in an account: allowed partitions and QoS (empty = the account's), default QoS, block flag. */
public final class Membership {
    public final String user;
    public final Account account;
    public final Set<String> partitions = new LinkedHashSet<>();
    public final Set<String> qos = new LinkedHashSet<>();
    public String defaultQos;
    public boolean blocked;
    public boolean coordinator;
    /** Pending or running jobs of the user under this account. */
    public int liveJobs;

    Membership(String user, Account account) {
        this.user = user;
        this.account = account;
    }

    public boolean partitionAllowed(String p) {
        return partitions.isEmpty() ? account.partitionAllowed(p) : partitions.contains(p);
    }

    public boolean qosAllowed(String q) {
        return qos.isEmpty() ? account.qosAllowed(q) : qos.contains(q);
    }

    public String effectiveDefaultQos() {
        return defaultQos != null ? defaultQos : account.defaultQos;
    }
}
