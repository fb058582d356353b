package org.scow.billing.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.scow.api.scheduler.JobField;
import org.scow.api.scheduler.JobFilter;
import org.scow.api.scheduler.JobQuery;
import org.scow.api.scheduler.JobState;
import org.scow.api.scheduler.Partition;
import org.scow.api.scheduler.SchedulerDriver;
import org.scow.api.scheduler.SchedulerException;
import org.scow.api.scheduler.TimeRange;

/**
 * The job fetch and charge loop of one cluster run: first charges what an earlier run stored but did not charge
 * (a crash between the steps), then pages through the jobs that ended since the watermark (minus an overlap, so late
 * reported jobs are not lost; already stored ones are skipped), storing each page and then charging its jobs.
 */
public class JobFetcher {
    /** Test hook: runs between "page stored" and "jobs charged"; throwing there simulates a crash. */
    public interface Hook {
        void afterStore(String cluster, List<Long> stored);
    }

    public record Result(String cluster, int repaired, int fetched, int stored, int charged, Instant watermark) {
    }

    private final JobCharging store;
    private final Clock clock;
    private final int pageSize;
    private final Duration overlap;
    private volatile Hook hook = (c, s) -> { };

    JobFetcher(JobCharging store, Clock clock, int pageSize, Duration overlap) {
        if (pageSize < 1 || pageSize > JobQuery.MAX_PAGE_SIZE) {
            throw new IllegalArgumentException("page size must be 1.." + JobQuery.MAX_PAGE_SIZE);
        }
        this.store = store;
        this.clock = clock;
        this.pageSize = pageSize;
        this.overlap = overlap;
    }

    public void hook(Hook h) {
        this.hook = h == null ? (c, s) -> { } : h;
    }

    public Result run(String cluster, SchedulerDriver driver) throws SchedulerException {
        int repaired = 0;
        for (long id : store.pendingJobs(cluster)) {
            if (store.chargeJob(id)) {
                repaired++;
            }
        }
        Map<String, Partition> partitions = new HashMap<>();
        for (Partition p : driver.partitions()) {
            partitions.put(p.name(), p);
        }
        Instant watermark = store.watermark(cluster);
        Instant from = watermark == null ? null : watermark.minus(overlap);
        TimeRange range = new TimeRange(from, clock.instant());
        JobFilter filter = JobFilter.ALL.withEndTime(range).withStates(finishedStates());
        int fetched = 0;
        int stored = 0;
        int charged = 0;
        for (int page = 1; ; page++) {
            JobQuery q = JobQuery.of(filter).withPage(new JobQuery.Page(page, pageSize))
                    .withSort(new JobQuery.Sort(JobField.END_TIME, false));
            JobQuery.Result r = driver.queryJobs(q);
            fetched += r.jobs().size();
            List<Long> ids = store.storeJobs(cluster, r.jobs(), partitions);
            stored += ids.size();
            hook.afterStore(cluster, ids);
            for (long id : ids) {
                if (store.chargeJob(id)) {
                    charged++;
                }
            }
            if (r.jobs().size() < pageSize || (long) page * pageSize >= r.totalCount()) {
                break;
            }
        }
        return new Result(cluster, repaired, fetched, stored, charged, store.watermark(cluster));
    }

    private static Set<JobState> finishedStates() {
        java.util.EnumSet<JobState> s = java.util.EnumSet.noneOf(JobState.class);
        for (JobState st : JobState.values()) {
            if (st.isFinished()) {
                s.add(st);
            }
        }
        return s;
    }
}
