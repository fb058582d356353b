package org.scow.crane.driver;

import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;
import org.scow.api.scheduler.JobField;
import org.scow.api.scheduler.JobFilter;
import org.scow.api.scheduler.JobQuery;
import org.scow.api.scheduler.JobState;
import org.scow.crane.protocol.v1.JobOrder;

/**
 * Pushes a listing of finished jobs ordered by end time (the billing feed's query) down to the controller whole:
 * filter, order, offset and limit, so each page costs the controller about one page of reading instead of the
 * whole time window (see crane-server's JobSearch). Other queries are not for this class ({@link #of} answers null)
 * and keep the generic path.
 */
final class FeedQuery {
    /** The finished states Crane has, by their shared names; PREEMPTED and the rest never occur in Crane. */
    private static final Set<JobState> CRANE_FINISHED = EnumSet.of(JobState.COMPLETED, JobState.FAILED,
            JobState.CANCELLED, JobState.TIMEOUT, JobState.OUT_OF_MEMORY, JobState.NODE_FAIL);

    private FeedQuery() {
    }

    /** Answer of {@link #of} for a query that can match no job: there is nothing to ask the controller. */
    static final org.scow.crane.protocol.v1.JobQuery NONE = org.scow.crane.protocol.v1.JobQuery.newBuilder().build();

    /**
     * The controller query that answers {@code query} exactly, page included; {@link #NONE} when it matches no job;
     * null when {@code query} is not a listing of finished jobs by ascending end time or asks for something the
     * controller does not filter on.
     */
    static org.scow.crane.protocol.v1.JobQuery of(JobQuery query) {
        JobFilter f = query.filter();
        if (query.sort() == null || query.sort().field() != JobField.END_TIME || query.sort().descending()) return null;
        if (f.submitTime() != null || f.jobId() != null) return null;
        boolean finishedOnly = !f.states().isEmpty() && f.states().stream().allMatch(JobState::isFinished);
        if (!finishedOnly && f.endTime() == null) return null; // live jobs too: the generic path
        long offset = query.page() == null ? 0 : query.page().offset();
        if (offset > Integer.MAX_VALUE) return null;
        org.scow.crane.protocol.v1.JobQuery.Builder q = org.scow.crane.protocol.v1.JobQuery.newBuilder()
                .setIncludeFinished(true).setOrder(JobOrder.JOB_ORDER_END_TIME)
                .addAllUsers(f.users()).addAllAccounts(f.accounts()).setOffset((int) offset)
                .setLimit(query.page() == null ? 0 : query.page().size());
        if (f.name() != null) q.setName(f.name());
        // only finished jobs have an end time, so an end-time range alone means every finished state
        for (JobState s : CRANE_FINISHED) {
            if (f.states().isEmpty() || f.states().contains(s)) q.addStates(s.name());
        }
        if (q.getStatesCount() == 0) return NONE;
        if (f.endTime() != null) {
            Instant from = f.endTime().from();
            Instant to = f.endTime().to();
            // Crane's end times are whole seconds and the range is inclusive: from rounds up, to down (+1: exclusive)
            if (from != null) q.setEndFrom(Math.max(0, from.getEpochSecond() + (from.getNano() > 0 ? 1 : 0)));
            if (to != null) {
                if (to.getEpochSecond() < 1) return NONE;
                q.setEndTo(to.getEpochSecond() + 1);
            }
        }
        return q.build();
    }
}
