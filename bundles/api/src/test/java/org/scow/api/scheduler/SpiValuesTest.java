package org.scow.api.scheduler;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import org.scow.api.scheduler.util.JobQueriesTest;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.Test;

/** The small value types of the SPI: block status, cluster config, query defaults, job info, states, errors. */
public class SpiValuesTest {
    @Test
    public void blockedInHonoursWholeAndPerPartitionBlocks() {
        AccountBlockStatus perPartition = new AccountBlockStatus(false, Map.of("debug", true, "long", false));
        assertTrue(perPartition.blockedIn("debug"));
        assertFalse(perPartition.blockedIn("long"));
        assertFalse(perPartition.blockedIn("unknown"));
        assertTrue(new AccountBlockStatus(true, Map.of()).blockedIn("anything"));
    }

    @Test
    public void clusterConfigTreatsBlankSettingsAsMissing() throws SchedulerException {
        ClusterConfig c = new ClusterConfig("c1", "C1", "test", Map.of("host", "h", "blank", " "));
        assertEquals(Optional.of("h"), c.setting("host"));
        assertEquals(Optional.empty(), c.setting("blank"));
        assertEquals("h", c.require("host"));
        try {
            c.require("blank");
            fail("a blank required setting passed");
        } catch (SchedulerException e) {
            assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
            assertEquals("driver.blank", e.details().get("field"));
            assertTrue(e.getMessage().contains("c1"));
        }
    }

    @Test
    public void queryDefaultsToEveryFieldAndEveryJob() {
        JobQuery q = new JobQuery(null, null, null, null);
        assertEquals(EnumSet.allOf(JobField.class), q.fields());
        assertEquals(JobFilter.ALL, q.filter());
        assertEquals(EnumSet.allOf(JobField.class), JobQuery.all().withFields(Set.of()).fields());
    }

    @Test(expected = UnsupportedOperationException.class)
    public void queryFieldsCannotBeChangedAfterwards() {
        JobQuery.all().withFields(EnumSet.of(JobField.NAME)).fields().add(JobField.USER);
    }

    @Test
    public void pagesAreCheckedAndOffsetFromOne() {
        assertEquals(0, new JobQuery.Page(1, 50).offset());
        assertEquals(100, new JobQuery.Page(3, 50).offset());
        assertEquals(999_000L * JobQuery.MAX_PAGE_SIZE,
                new JobQuery.Page(999_001, JobQuery.MAX_PAGE_SIZE).offset());
        for (int[] bad : new int[][] {{0, 10}, {1, 0}, {1, JobQuery.MAX_PAGE_SIZE + 1}}) {
            try {
                new JobQuery.Page(bad[0], bad[1]);
                fail("accepted page " + bad[0] + "/" + bad[1]);
            } catch (IllegalArgumentException expected) {
                // refused
            }
        }
    }

    @Test
    public void jobInfoRequiresIdAndStateAndRoundTripsThroughItsBuilder() {
        JobInfo full = JobQueriesTest.fullJob();
        assertEquals(full, full.toBuilder().build());
        for (JobField f : JobField.values()) {
            if (f != JobField.JOB_ID && f != JobField.STATE) {
                assertNotNull("builder sets " + f, full.get(f));
            }
        }
        try {
            JobInfo.builder(null, JobState.PENDING).build();
            fail("accepted a job without id");
        } catch (IllegalArgumentException expected) {
            // refused
        }
        try {
            JobInfo.builder("1", null).build();
            fail("accepted a job without state");
        } catch (IllegalArgumentException expected) {
            // refused
        }
    }

    @Test
    public void finishedStatesAreExactlyTheFinalOnes() {
        Set<JobState> finished = EnumSet.of(JobState.COMPLETED, JobState.CANCELLED, JobState.FAILED,
                JobState.TIMEOUT, JobState.OUT_OF_MEMORY, JobState.NODE_FAIL, JobState.PREEMPTED);
        for (JobState s : JobState.values()) {
            assertEquals(s.name(), finished.contains(s), s.isFinished());
        }
    }

    @Test
    public void exceptionFactoriesCarryCodeAndDetails() {
        assertEquals(Map.of("account", "a"), SchedulerException.accountNotFound("a").details());
        assertEquals(ErrorCode.ACCOUNT_NOT_FOUND, SchedulerException.accountNotFound("a").code());
        assertEquals(ErrorCode.USER_NOT_IN_ACCOUNT, SchedulerException.userNotInAccount("u", "a").code());
        assertEquals(Map.of("user", "u", "account", "a"), SchedulerException.userNotInAccount("u", "a").details());
        assertEquals(ErrorCode.JOB_NOT_FOUND, SchedulerException.jobNotFound("1").code());
        assertEquals(ErrorCode.PARTITION_NOT_FOUND, SchedulerException.partitionNotFound("p").code());
        assertEquals(ErrorCode.ALREADY_EXISTS, SchedulerException.alreadyExists("x").code());
        assertEquals(Map.of("reason", "r"), SchedulerException.submitFailed("r").details());
        assertEquals(Map.of("feature", "NODE_INFO"),
                SchedulerException.notSupported(DriverFeature.NODE_INFO).details());
        assertEquals(Map.of(), new SchedulerException(ErrorCode.INTERNAL, "x").details());
    }

    @Test
    public void driverInfoRequiresItsIdentity() {
        DriverInfo.Version v = new DriverInfo.Version(1, 2, 3);
        assertEquals("1.2.3", v.toString());
        assertEquals(Set.of(), new DriverInfo("t", "S", v, Set.of()).features());
        try {
            new DriverInfo(null, "S", v, Set.of());
            fail("accepted a driver info without type");
        } catch (NullPointerException expected) {
            // refused
        }
    }
}
