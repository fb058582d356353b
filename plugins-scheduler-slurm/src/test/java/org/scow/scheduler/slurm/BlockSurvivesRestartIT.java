package org.scow.scheduler.slurm;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.scow.scheduler.slurm.SlurmTestCluster.PARTITION;
import static org.scow.scheduler.slurm.SlurmTestCluster.USER_A;
import static org.scow.scheduler.slurm.SlurmTestCluster.USER_B;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.Test;
import org.scow.api.scheduler.AccountBlockStatus;
import org.scow.api.scheduler.ErrorCode;
import org.scow.api.scheduler.JobSpec;
import org.scow.api.scheduler.JobState;
import org.scow.api.scheduler.Partition;

/**
 * Blocks live in Slurm's accounting database, so they survive a full restart of
 * Slurm ({@code slurm-down.sh} + {@code slurm-up.sh}: slurmctld, slurmdbd and every slurmd), unlike SCOW's runtime
 * {@code AllowAccounts} edits. Covers the whole-account block, a partition block and a user block.
 */
public class BlockSurvivesRestartIT extends SlurmITSupport {

    @Test
    public void blocksSurviveASlurmRestartAndUnblockingLetsJobsRunAgain() throws Exception {
        String other = driver.partitions().stream().map(Partition::name).filter(p -> !p.equals(PARTITION))
                .findFirst().orElseThrow(() -> new AssertionError("the test needs a second partition"));
        String whole = newAccount();
        String partly = newAccount();
        String users = newAccount();
        driver.addUserToAccount(USER_B, users);

        driver.blockAccount(whole);
        driver.blockAccount(partly, Set.of(PARTITION));
        driver.blockUserInAccount(USER_B, users);
        assertBlocked(whole, partly, users, other);

        SlurmTestCluster.restartSlurm();
        driver.close();
        driver = SlurmTestCluster.driver(Map.of());

        assertTrue(driver.accountBlockStatus(whole).blocked());
        AccountBlockStatus status = driver.accountBlockStatus(partly);
        assertTrue(status.blockedIn(PARTITION));
        assertFalse(status.blockedIn(other));
        assertTrue(driver.isUserBlockedInAccount(USER_B, users));
        assertFalse(driver.isUserBlockedInAccount(USER_A, users));
        assertBlocked(whole, partly, users, other);

        driver.unblockAccount(whole);
        driver.unblockAccount(partly, Set.of(PARTITION));
        driver.unblockUserInAccount(USER_B, users);
        assertRuns(job(whole, USER_A, PARTITION));
        assertRuns(job(partly, USER_A, PARTITION));
        assertRuns(job(users, USER_B, PARTITION));
    }

    /**
     * Every blocked combination is refused by Slurm itself at submission (AssocGrpSubmitJobsLimit for account and
     * partition blocks, AssocMaxSubmitJobLimit for user blocks); the unblocked ones run.
     */
    private void assertBlocked(String whole, String partly, String users, String other) throws Exception {
        refused(job(whole, USER_A, PARTITION));
        refused(job(whole, USER_A, other));
        refused(job(partly, USER_A, PARTITION));
        refused(job(users, USER_B, PARTITION));
        assertRuns(job(partly, USER_A, other));
        assertRuns(job(users, USER_A, PARTITION));
    }

    private void refused(JobSpec spec) {
        var e = expectError(ErrorCode.SUBMIT_FAILED, () -> driver.submitJob(spec));
        assertTrue(e.getMessage(), e.getMessage().contains("SubmitJob"));
    }

    private void assertRuns(JobSpec spec) throws Exception {
        assertEquals(JobState.COMPLETED, awaitFinished(driver.submitJob(spec).jobId()).state());
    }

    private static JobSpec job(String account, String user, String partition) {
        return new JobSpec(user, uniqueName("restart"), account, partition, null, 1, 1, 0, null, 5L, "true",
                SlurmTestCluster.WORK_DIR, "/dev/null", "/dev/null", List.of());
    }
}
