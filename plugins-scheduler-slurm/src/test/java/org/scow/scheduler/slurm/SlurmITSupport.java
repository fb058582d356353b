package org.scow.scheduler.slurm;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.After;
import org.junit.Before;
import org.scow.api.scheduler.ErrorCode;
import org.scow.api.scheduler.JobFilter;
import org.scow.api.scheduler.JobInfo;
import org.scow.api.scheduler.JobQuery;
import org.scow.api.scheduler.JobSpec;
import org.scow.api.scheduler.SchedulerDriver;
import org.scow.api.scheduler.SchedulerException;

/** A driver on the real cluster per test, unique account names, polling and clean-up. */
abstract class SlurmITSupport {
    private static final String RUN = Long.toString(System.currentTimeMillis(), 36);
    private static int counter;

    protected SchedulerDriver driver;
    private final List<String> accounts = new ArrayList<>();

    @Before
    public void openDriver() throws Exception {
        SlurmTestCluster.requireSlurm();
        driver = SlurmTestCluster.driver(Map.of());
    }

    @After
    public void cleanUp() {
        if (driver == null) {
            return;
        }
        try {
            for (String account : accounts) {
                try {
                    for (JobInfo j : driver.queryJobs(JobQuery.of(
                            JobFilter.ALL.withAccounts(Set.of(account)))).jobs()) {
                        if (!j.state().isFinished()) {
                            driver.cancelJob(j.user(), j.jobId());
                        }
                    }
                    driver.unblockAccount(account);
                    awaitNoActiveJobs(account);
                    driver.deleteAccount(account);
                } catch (Exception e) {
                    System.err.println("clean-up of " + account + ": " + e);
                }
            }
        } finally {
            driver.close();
        }
    }

    private void awaitNoActiveJobs(String account) throws Exception {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline && driver.queryJobs(JobQuery.of(
                JobFilter.ALL.withAccounts(Set.of(account)))).jobs().stream()
                .anyMatch(j -> !j.state().isFinished())) {
            Thread.sleep(250);
        }
    }

    /** A new account owned by {@link SlurmTestCluster#USER_A}, deleted after the test. */
    protected String newAccount() throws SchedulerException {
        String name = uniqueName("it");
        driver.createAccount(name, SlurmTestCluster.USER_A);
        accounts.add(name);
        return name;
    }

    protected static synchronized String uniqueName(String prefix) {
        return prefix + RUN + "x" + (++counter);
    }

    protected static JobSpec spec(String account, String user, String script) {
        return new JobSpec(user, uniqueName("job"), account, SlurmTestCluster.PARTITION, null, 1, 1, 0, null, 10L,
                script, SlurmTestCluster.WORK_DIR, "/dev/null", "/dev/null", List.of());
    }

    protected JobInfo awaitFinished(String jobId) throws Exception {
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (true) {
            JobInfo j = driver.getJob(jobId);
            if (j.state().isFinished()) {
                return j;
            }
            if (System.nanoTime() > deadline) {
                fail("job " + jobId + " did not finish: " + j);
            }
            Thread.sleep(200);
        }
    }

    protected static SchedulerException expectError(ErrorCode code, Op op) {
        try {
            op.run();
        } catch (SchedulerException e) {
            assertEquals(e.getMessage(), code, e.code());
            return e;
        } catch (Exception e) {
            throw new AssertionError("expected " + code + " but got " + e, e);
        }
        throw new AssertionError("expected " + code + " but it succeeded");
    }

    interface Op {
        void run() throws Exception;
    }
}
