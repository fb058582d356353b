package org.scow.crane.server;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.scow.crane.ctld.Controller;
import org.scow.crane.ctld.JobView;
import org.scow.crane.protocol.JobState;
import org.scow.crane.protocol.v1.JobList;
import org.scow.crane.protocol.v1.JobOrder;
import org.scow.crane.protocol.v1.JobQuery;

/**
 * The {@code QueryJobs} call: filters, orders and pages at the controller. A query of finished jobs by end time
 * with no other criterion (the billing feed's) reads just its page from the history files and counts the rest
 * without decoding it, so a caller paging through a million finished jobs pays for the pages it reads; other
 * queries collect the matching jobs, order and cut them here, and send only the page.
 */
final class JobSearch {
    private static final Set<JobState> FINISHED = EnumSet.noneOf(JobState.class);

    static {
        for (JobState s : JobState.values()) if (s.finished()) FINISHED.add(s);
    }

    private JobSearch() {
    }

    static JobList run(Controller ctl, JobQuery q) {
        if (q.getOffset() < 0 || q.getLimit() < 0) throw Errors.invalid("paging", "offset and limit must not be negative");
        if (q.getOrderValue() != JobOrder.JOB_ORDER_ID_VALUE && q.getOrderValue() != JobOrder.JOB_ORDER_END_TIME_VALUE) {
            throw Errors.invalid("order", "unknown job order " + q.getOrderValue());
        }
        Set<JobState> states = EnumSet.noneOf(JobState.class);
        for (String s : q.getStatesList()) states.add(parseState(s));
        boolean endRange = q.getEndFrom() > 0 || q.getEndTo() > 0;
        long from = q.getEndFrom();
        long to = q.getEndTo() > 0 ? q.getEndTo() : Long.MAX_VALUE;
        int limit = q.getLimit() == 0 ? Integer.MAX_VALUE : q.getLimit();
        boolean historyOnly = endRange || (q.getIncludeFinished() && !states.isEmpty() && FINISHED.containsAll(states));
        if (q.getOrder() == JobOrder.JOB_ORDER_END_TIME && historyOnly && q.getJobIdsCount() == 0
                && q.getUsersCount() == 0 && q.getAccountsCount() == 0 && q.getPartitionsCount() == 0
                && q.getName().isEmpty() && (states.isEmpty() || states.containsAll(FINISHED))) {
            JobList.Builder b = JobList.newBuilder().setTotal(ctl.historyCount(from, to));
            for (JobView v : ctl.history(from, to, q.getOffset(), limit)) b.addJobs(Messages.toJob(v));
            return b.build();
        }
        Predicate<JobView> filter = filter(q, states);
        List<JobView> found = new ArrayList<>();
        if (q.getJobIdsCount() > 0) {
            for (long id : new HashSet<>(q.getJobIdsList())) {
                JobView v = ctl.job(id);
                if (v != null && filter.test(v) && (q.getIncludeFinished() || !v.state().finished())) found.add(v);
            }
        } else {
            // an end-time range can only match finished jobs
            if (!endRange) found.addAll(ctl.jobs(filter));
            if (q.getIncludeFinished() || endRange) {
                for (JobView v : ctl.history(from, to, 0, Integer.MAX_VALUE)) {
                    if (filter.test(v)) found.add(v);
                }
            }
        }
        found.sort(q.getOrder() == JobOrder.JOB_ORDER_END_TIME ? BY_END : Comparator.comparingLong(JobView::id));
        int first = (int) Math.min(found.size(), q.getOffset());
        int last = (int) Math.min(found.size(), (long) first + limit);
        JobList.Builder b = JobList.newBuilder().setTotal(found.size());
        for (JobView v : found.subList(first, last)) b.addJobs(Messages.toJob(v));
        return b.build();
    }

    /** End time, then id; jobs that have not ended (no end time) after all ended ones, by id. */
    private static final Comparator<JobView> BY_END = Comparator
            .comparing((JobView v) -> !v.state().finished())
            .thenComparingLong(v -> v.state().finished() ? v.endTime() : 0)
            .thenComparingLong(JobView::id);

    private static Predicate<JobView> filter(JobQuery q, Set<JobState> states) {
        Set<String> users = Set.copyOf(q.getUsersList());
        Set<String> accounts = Set.copyOf(q.getAccountsList());
        Set<String> partitions = Set.copyOf(q.getPartitionsList());
        String name = Messages.given(q.getName());
        return v -> (users.isEmpty() || users.contains(v.user())) && (accounts.isEmpty() || accounts.contains(v.account()))
                && (partitions.isEmpty() || partitions.contains(v.partition()))
                && (states.isEmpty() || states.contains(v.state())) && (name == null || name.equals(v.name()));
    }

    static JobState parseState(String s) {
        try {
            return JobState.valueOf(s);
        } catch (IllegalArgumentException e) {
            throw Errors.invalid("state", "unknown job state '" + s + "'");
        }
    }
}
