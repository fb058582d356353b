package org.scow.api.scheduler;

import org.scow.api.scheduler.util.JobIds;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * A job listing request: which fields, which jobs, which page, in which order.
 *
 * @param fields  fields to fill in; empty means all
 * @param filter  which jobs
 * @param page    which page, or null for all matching jobs
 * @param sort    order, or null for the scheduler's natural order (by job id)
 */
public record JobQuery(Set<JobField> fields, JobFilter filter, Page page, Sort sort) {

    /** Largest page a driver must serve. */
    public static final int MAX_PAGE_SIZE = 1000;

    public JobQuery {
        fields = Collections.unmodifiableSet(
                fields == null || fields.isEmpty() ? EnumSet.allOf(JobField.class) : EnumSet.copyOf(fields));
        filter = filter == null ? JobFilter.ALL : filter;
    }

    /** Every job, every field, natural order. */
    public static JobQuery all() {
        return new JobQuery(Set.of(), JobFilter.ALL, null, null);
    }

    /** Every field of the jobs {@code filter} keeps, natural order, no paging. */
    public static JobQuery of(JobFilter filter) {
        return new JobQuery(Set.of(), filter, null, null);
    }

    /** A copy of this query for one page (null: all matching jobs). */
    public JobQuery withPage(Page p) {
        return new JobQuery(fields, filter, p, sort);
    }

    /** A copy of this query in this order (null: natural order by job id). */
    public JobQuery withSort(Sort s) {
        return new JobQuery(fields, filter, page, s);
    }

    /** A copy of this query that fills in only these fields (empty: all). */
    public JobQuery withFields(Set<JobField> f) {
        return new JobQuery(f, filter, page, sort);
    }

    /**
     * One page: {@code number} counts from 1.
     */
    public record Page(int number, int size) {
        public Page {
            if (number < 1) throw new IllegalArgumentException("page number must be at least 1, was " + number);
            if (size < 1 || size > MAX_PAGE_SIZE) {
                throw new IllegalArgumentException("page size must be 1.." + MAX_PAGE_SIZE + ", was " + size);
            }
        }

        /** Index of the first element of this page. */
        public long offset() {
            return (long) (number - 1) * size;
        }
    }

    /** Sort order on one field; nulls sort last in both directions. */
    public record Sort(JobField field, boolean descending) {
        public Sort {
            if (field == null) throw new IllegalArgumentException("sort field is required");
        }

        @SuppressWarnings({"unchecked", "rawtypes"})
        /** This order as a comparator; ties are broken by job id so pages never overlap or skip a job. */
        public Comparator<JobInfo> comparator() {
            if (field == JobField.JOB_ID) {
                Comparator<JobInfo> ids = JobQuery::compareIds;
                return descending ? ids.reversed() : ids;
            }
            Comparator<Comparable> values = descending ? Comparator.reverseOrder() : Comparator.naturalOrder();
            Comparator<JobInfo> byField = Comparator.comparing(j -> (Comparable) j.get(field),
                    Comparator.nullsLast(values));
            return byField.thenComparing(JobQuery::compareIds);
        }
    }

    /** Natural job order: numeric ids numerically, then array task index. */
    public static int compareIds(JobInfo a, JobInfo b) {
        return JobIds.COMPARATOR.compare(a.jobId(), b.jobId());
    }

    /** The result of a query. {@code totalCount} counts all matching jobs, not only this page. */
    public record Result(List<JobInfo> jobs, long totalCount) {
        public Result {
            jobs = List.copyOf(jobs);
        }
    }
}
