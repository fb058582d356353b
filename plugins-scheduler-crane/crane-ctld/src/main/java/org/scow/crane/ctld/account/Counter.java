package org.scow.crane.ctld.account;

/** Live usage of one user or account under one QoS: submitted (pending+running), running jobs and CPUs. */
public final class Counter {
    public int submitted;
    public int running;
    public long runningCpus;
}
