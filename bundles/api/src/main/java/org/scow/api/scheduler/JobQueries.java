package org.scow.api.scheduler;

import java.util.stream.Stream;

/**
 * Moved to {@link org.scow.api.scheduler.util.JobQueries}; this forwarder stays only until the Crane driver, which
 * is being reworked separately, imports the new place.
 *
 * @deprecated use {@link org.scow.api.scheduler.util.JobQueries}
 */
@Deprecated
public final class JobQueries {
    private JobQueries() {
    }

    /** See {@link org.scow.api.scheduler.util.JobQueries#apply}. */
    public static JobQuery.Result apply(JobQuery query, Stream<JobInfo> jobs) {
        return org.scow.api.scheduler.util.JobQueries.apply(query, jobs);
    }

    /** See {@link org.scow.api.scheduler.util.JobQueries#project}. */
    public static JobInfo project(JobInfo job, JobQuery query) {
        return org.scow.api.scheduler.util.JobQueries.project(job, query);
    }
}
