package org.scow.api.scheduler;

import java.util.Set;

/**
 * Which jobs to return; all given criteria must hold (AND). Empty sets and null values do not filter.
 *
 * @param users       job owners
 * @param accounts    charged accounts
 * @param states      job states
 * @param submitTime  submit time range
 * @param endTime     end time range (only finished jobs have one)
 * @param jobId       one job id
 * @param name        exact job name
 */
public record JobFilter(Set<String> users, Set<String> accounts, Set<JobState> states,
                        TimeRange submitTime, TimeRange endTime, String jobId, String name) {

    /** A filter that keeps every job. */
    public static final JobFilter ALL = new JobFilter(Set.of(), Set.of(), Set.of(), null, null, null, null);

    public JobFilter {
        users = users == null ? Set.of() : Set.copyOf(users);
        accounts = accounts == null ? Set.of() : Set.copyOf(accounts);
        states = states == null ? Set.of() : Set.copyOf(states);
    }

    /** True when the job meets every criterion. */
    public boolean test(JobInfo job) {
        return (users.isEmpty() || users.contains(job.user()))
                && (accounts.isEmpty() || accounts.contains(job.account()))
                && (states.isEmpty() || states.contains(job.state()))
                && (submitTime == null || submitTime.contains(job.submitTime()))
                && (endTime == null || endTime.contains(job.endTime()))
                && (jobId == null || jobId.equals(job.jobId()))
                && (name == null || name.equals(job.name()));
    }

    /** A copy of this filter with the job owners replaced (null or empty: no filter on it). */
    public JobFilter withUsers(Set<String> v) {
        return new JobFilter(v, accounts, states, submitTime, endTime, jobId, name);
    }

    /** A copy of this filter with the charged accounts replaced (null or empty: no filter on it). */
    public JobFilter withAccounts(Set<String> v) {
        return new JobFilter(users, v, states, submitTime, endTime, jobId, name);
    }

    /** A copy of this filter with the job states replaced (null or empty: no filter on it). */
    public JobFilter withStates(Set<JobState> v) {
        return new JobFilter(users, accounts, v, submitTime, endTime, jobId, name);
    }

    /** A copy of this filter with the submit time range replaced (null or empty: no filter on it). */
    public JobFilter withSubmitTime(TimeRange v) {
        return new JobFilter(users, accounts, states, v, endTime, jobId, name);
    }

    /** A copy of this filter with the end time range replaced (null or empty: no filter on it). */
    public JobFilter withEndTime(TimeRange v) {
        return new JobFilter(users, accounts, states, submitTime, v, jobId, name);
    }

    /** A copy of this filter with the job id replaced (null or empty: no filter on it). */
    public JobFilter withJobId(String v) {
        return new JobFilter(users, accounts, states, submitTime, endTime, v, name);
    }

    /** A copy of this filter with the exact job name replaced (null or empty: no filter on it). */
    public JobFilter withName(String v) {
        return new JobFilter(users, accounts, states, submitTime, endTime, jobId, v);
    }
}
