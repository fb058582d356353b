package org.scow.api.scheduler.util;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertSame;

import org.scow.api.scheduler.JobField;
import org.scow.api.scheduler.JobFilter;
import org.scow.api.scheduler.JobInfo;
import org.scow.api.scheduler.JobQuery;
import org.scow.api.scheduler.JobState;
import org.scow.api.scheduler.TimeRange;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.Test;

public class JobQueriesTest {
    private static final Instant T0 = Instant.parse("2024-01-01T00:00:00Z");

    private static JobInfo job(String id, String user, String account, JobState state, String name, int submitMin,
                               Integer endMin) {
        return JobInfo.builder(id, state).user(user).account(account).name(name).partition("debug")
                .submitTime(T0.plusSeconds(60L * submitMin))
                .endTime(endMin == null ? null : T0.plusSeconds(60L * endMin)).cpusReq(2).build();
    }

    private static final List<JobInfo> JOBS = List.of(
            job("10", "alice", "a1", JobState.COMPLETED, "zeta", 0, 5),
            job("9", "bob", "a1", JobState.FAILED, "alpha", 1, 6),
            job("11", "alice", "a2", JobState.RUNNING, "mid", 2, null),
            job("10_2", "alice", "a2", JobState.PENDING, null, 3, null),
            job("10_1", "bob", "a2", JobState.CANCELLED, "beta", 4, 7));

    private static List<String> ids(JobQuery query) {
        return JobQueries.apply(query, JOBS.stream()).jobs().stream().map(JobInfo::jobId).toList();
    }

    private static List<String> ids(JobFilter filter) {
        return ids(JobQuery.of(filter));
    }

    @Test
    public void naturalOrderIsNumericByIdThenArrayTask() {
        assertEquals(List.of("9", "10", "10_1", "10_2", "11"), ids(JobQuery.all()));
    }

    @Test
    public void everyFilterCriterionNarrowsAndTheyCombineWithAnd() {
        assertEquals(List.of("10", "10_2", "11"), ids(JobFilter.ALL.withUsers(Set.of("alice"))));
        assertEquals(List.of("9", "10"), ids(JobFilter.ALL.withAccounts(Set.of("a1"))));
        assertEquals(List.of("9", "10_1"), ids(JobFilter.ALL.withStates(Set.of(JobState.FAILED, JobState.CANCELLED))));
        assertEquals(List.of("10_1"), ids(JobFilter.ALL.withJobId("10_1")));
        assertEquals(List.of("11"), ids(JobFilter.ALL.withName("mid")));
        assertEquals(List.of("9", "10_1", "10_2", "11"),
                ids(JobFilter.ALL.withSubmitTime(new TimeRange(T0.plusSeconds(60), T0.plusSeconds(240)))));
        assertEquals(List.of("9", "10_1"), ids(JobFilter.ALL.withEndTime(new TimeRange(T0.plusSeconds(360), null))));
        assertEquals(List.of("10_1"),
                ids(JobFilter.ALL.withUsers(Set.of("bob")).withAccounts(Set.of("a2"))));
        assertEquals(List.of(), ids(JobFilter.ALL.withUsers(Set.of("bob")).withStates(Set.of(JobState.RUNNING))));
    }

    @Test
    public void timeRangesAreInclusiveAndSkipJobsWithoutTheTime() {
        TimeRange minutes1to3 = new TimeRange(T0.plusSeconds(60), T0.plusSeconds(180));
        assertEquals(List.of("9", "10_2", "11"), ids(JobFilter.ALL.withSubmitTime(minutes1to3)));
        assertEquals("unfinished jobs have no end time", List.of("9", "10", "10_1"),
                ids(JobFilter.ALL.withEndTime(new TimeRange(null, null))));
    }

    @Test
    public void sortsAscendingAndDescendingWithNullsLastAndIdTieBreak() {
        JobQuery byName = JobQuery.all().withSort(new JobQuery.Sort(JobField.NAME, false));
        assertEquals(List.of("9", "10_1", "11", "10", "10_2"), ids(byName));
        JobQuery byNameDesc = JobQuery.all().withSort(new JobQuery.Sort(JobField.NAME, true));
        assertEquals(List.of("10", "11", "10_1", "9", "10_2"), ids(byNameDesc));
        JobQuery byCpus = JobQuery.all().withSort(new JobQuery.Sort(JobField.CPUS_REQ, true));
        assertEquals("equal values keep the natural order", ids(JobQuery.all()), ids(byCpus));
        JobQuery byEnd = JobQuery.all().withSort(new JobQuery.Sort(JobField.END_TIME, true));
        assertEquals(List.of("10_1", "9", "10", "10_2", "11"), ids(byEnd));
    }

    @Test
    public void sortsByJobIdNumerically() {
        assertEquals(List.of("9", "10", "10_1", "10_2", "11"),
                ids(JobQuery.all().withSort(new JobQuery.Sort(JobField.JOB_ID, false))));
        assertEquals(List.of("11", "10_2", "10_1", "10", "9"),
                ids(JobQuery.all().withSort(new JobQuery.Sort(JobField.JOB_ID, true))));
    }

    @Test
    public void pagesAfterSortingAndCountsEveryMatch() {
        JobQuery query = JobQuery.all().withSort(new JobQuery.Sort(JobField.SUBMIT_TIME, false));
        JobQuery.Result page2 = JobQueries.apply(query.withPage(new JobQuery.Page(2, 2)), JOBS.stream());
        assertEquals(5, page2.totalCount());
        assertEquals(List.of("11", "10_2"), page2.jobs().stream().map(JobInfo::jobId).toList());
        JobQuery.Result page3 = JobQueries.apply(query.withPage(new JobQuery.Page(3, 2)), JOBS.stream());
        assertEquals(List.of("10_1"), page3.jobs().stream().map(JobInfo::jobId).toList());
        JobQuery.Result beyond = JobQueries.apply(query.withPage(new JobQuery.Page(9, 2)), JOBS.stream());
        assertEquals(List.of(), beyond.jobs());
        assertEquals(5, beyond.totalCount());
        JobQuery.Result filtered = JobQueries.apply(
                JobQuery.of(JobFilter.ALL.withUsers(Set.of("bob"))).withPage(new JobQuery.Page(1, 1)), JOBS.stream());
        assertEquals("totalCount counts matches, not all jobs", 2, filtered.totalCount());
    }

    @Test
    public void projectionKeepsIdStateAndSelectedFieldsOnly() {
        JobQuery query = JobQuery.of(JobFilter.ALL.withJobId("10")).withFields(EnumSet.of(JobField.USER));
        JobInfo only = JobQueries.apply(query, JOBS.stream()).jobs().get(0);
        assertEquals("10", only.jobId());
        assertEquals(JobState.COMPLETED, only.state());
        assertEquals("alice", only.user());
        for (JobField f : EnumSet.complementOf(EnumSet.of(JobField.JOB_ID, JobField.STATE, JobField.USER))) {
            assertNull(f.name(), only.get(f));
        }
    }

    @Test
    public void projectionOfEveryFieldCopiesEachField() {
        JobInfo full = fullJob();
        for (JobField f : JobField.values()) {
            JobInfo projected = JobQueries.project(full, JobQuery.all().withFields(EnumSet.of(f)));
            assertEquals(f.name(), full.get(f), projected.get(f));
        }
        assertSame("all fields: the job itself", full, JobQueries.project(full, JobQuery.all()));
    }

    @Test
    public void sortingUsesUnselectedFields() {
        JobQuery query = JobQuery.all().withFields(EnumSet.of(JobField.USER))
                .withSort(new JobQuery.Sort(JobField.NAME, false));
        assertEquals(List.of("9", "10_1", "11", "10", "10_2"), ids(query));
    }

    @Test
    public void emptyInputGivesEmptyResult() {
        JobQuery.Result r = JobQueries.apply(JobQuery.all(), Stream.empty());
        assertEquals(List.of(), r.jobs());
        assertEquals(0, r.totalCount());
    }

    public static JobInfo fullJob() {
        return JobInfo.builder("42_3", JobState.RUNNING).name("n").account("acc").user("u").partition("p")
                .qos("normal").reason("r").cpusReq(4).memReqMb(1000L).nodesReq(2).gpusReq(1)
                .timeLimitMinutes(60L).submitTime(T0).startTime(T0.plusSeconds(1)).endTime(T0.plusSeconds(2))
                .elapsedSeconds(1L).workingDirectory("/w").stdoutPath("/w/o").stderrPath("/w/e")
                .nodeList("n[1-2]").cpusAlloc(4).memAllocMb(1000L).nodesAlloc(2).gpusAlloc(1).exitCode(0).build();
    }
}
