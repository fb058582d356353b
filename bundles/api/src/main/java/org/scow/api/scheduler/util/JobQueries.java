package org.scow.api.scheduler.util;

import org.scow.api.scheduler.JobField;
import org.scow.api.scheduler.JobInfo;
import org.scow.api.scheduler.JobQuery;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.stream.Stream;

/**
 * Applies a {@link JobQuery} to jobs already in memory, for drivers whose scheduler cannot filter, sort or page
 * itself. Drivers that can should push the query down instead.
 */
public final class JobQueries {
    private JobQueries() {
    }

    /** Filters, sorts, pages and projects {@code jobs} as {@code query} asks. */
    public static JobQuery.Result apply(JobQuery query, Stream<JobInfo> jobs) {
        Comparator<JobInfo> order = query.sort() == null ? JobQuery::compareIds : query.sort().comparator();
        List<JobInfo> matching = jobs.filter(query.filter()::test).sorted(order).toList();
        Stream<JobInfo> page = matching.stream();
        if (query.page() != null) {
            page = page.skip(query.page().offset()).limit(query.page().size());
        }
        return new JobQuery.Result(page.map(j -> project(j, query)).toList(), matching.size());
    }

    /** Keeps only the selected fields of {@code job} (id and state always stay). */
    public static JobInfo project(JobInfo job, JobQuery query) {
        if (query.fields().containsAll(EnumSet.allOf(JobField.class))) {
            return job;
        }
        JobInfo.Builder b = JobInfo.builder(job.jobId(), job.state());
        for (JobField f : query.fields()) {
            switch (f) {
                case NAME -> b.name(job.name());
                case ACCOUNT -> b.account(job.account());
                case USER -> b.user(job.user());
                case PARTITION -> b.partition(job.partition());
                case QOS -> b.qos(job.qos());
                case REASON -> b.reason(job.reason());
                case CPUS_REQ -> b.cpusReq(job.cpusReq());
                case MEM_REQ_MB -> b.memReqMb(job.memReqMb());
                case NODES_REQ -> b.nodesReq(job.nodesReq());
                case GPUS_REQ -> b.gpusReq(job.gpusReq());
                case TIME_LIMIT_MINUTES -> b.timeLimitMinutes(job.timeLimitMinutes());
                case SUBMIT_TIME -> b.submitTime(job.submitTime());
                case START_TIME -> b.startTime(job.startTime());
                case END_TIME -> b.endTime(job.endTime());
                case ELAPSED_SECONDS -> b.elapsedSeconds(job.elapsedSeconds());
                case WORKING_DIRECTORY -> b.workingDirectory(job.workingDirectory());
                case STDOUT_PATH -> b.stdoutPath(job.stdoutPath());
                case STDERR_PATH -> b.stderrPath(job.stderrPath());
                case NODE_LIST -> b.nodeList(job.nodeList());
                case CPUS_ALLOC -> b.cpusAlloc(job.cpusAlloc());
                case MEM_ALLOC_MB -> b.memAllocMb(job.memAllocMb());
                case NODES_ALLOC -> b.nodesAlloc(job.nodesAlloc());
                case GPUS_ALLOC -> b.gpusAlloc(job.gpusAlloc());
                case EXIT_CODE -> b.exitCode(job.exitCode());
                case JOB_ID, STATE -> { }
            }
        }
        return b.build();
    }
}
