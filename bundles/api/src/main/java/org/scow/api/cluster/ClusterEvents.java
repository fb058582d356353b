package org.scow.api.cluster;

/** EventAdmin topics and property names for cluster and job events. */
public final class ClusterEvents {
    /** A cluster's driver became available. Property: {@link #CLUSTER}. */
    public static final String ONLINE = "org/scow/cluster/ONLINE";
    /** A cluster's driver went away or failed. Properties: {@link #CLUSTER}, {@link #REASON}. */
    public static final String OFFLINE = "org/scow/cluster/OFFLINE";
    /** An online cluster's scheduler stopped answering the platform's probe. Properties: {@link #CLUSTER}, {@link #REASON}. */
    public static final String UNREACHABLE = "org/scow/cluster/UNREACHABLE";
    /** An online cluster's scheduler answers again. Property: {@link #CLUSTER}. */
    public static final String REACHABLE = "org/scow/cluster/REACHABLE";
    /** A job was submitted through the platform. Properties: {@link #CLUSTER}, {@link #JOB_ID}, {@link #USER}. */
    public static final String JOB_SUBMITTED = "org/scow/job/SUBMITTED";
    /** A job reached a finished state. Properties: {@link #CLUSTER}, {@link #JOB_ID}, {@link #STATE}. */
    public static final String JOB_FINISHED = "org/scow/job/FINISHED";
    /** An account was blocked, wholly or in some partitions. Properties: {@link #CLUSTER}, {@link #ACCOUNT}. */
    public static final String ACCOUNT_BLOCKED = "org/scow/account/BLOCKED";
    /** An account was unblocked. Properties: {@link #CLUSTER}, {@link #ACCOUNT}. */
    public static final String ACCOUNT_UNBLOCKED = "org/scow/account/UNBLOCKED";
    /** Every topic under this prefix is a platform event. */
    public static final String ALL = "org/scow/*";

    public static final String CLUSTER = "cluster";
    public static final String REASON = "reason";
    public static final String JOB_ID = "jobId";
    public static final String USER = "user";
    public static final String STATE = "state";
    public static final String ACCOUNT = "account";

    private ClusterEvents() {
    }
}
