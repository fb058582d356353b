package org.scow.api.scheduler.contract;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.fail;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import org.junit.After;
import org.junit.Assume;
import org.junit.Before;
import org.junit.Rule;
import org.junit.rules.TestRule;
import org.junit.rules.Timeout;
import org.scow.api.scheduler.DriverFeature;
import org.scow.api.scheduler.ErrorCode;
import org.scow.api.scheduler.JobInfo;
import org.scow.api.scheduler.JobSpec;
import org.scow.api.scheduler.JobState;
import org.scow.api.scheduler.SchedulerDriver;
import org.scow.api.scheduler.SchedulerException;

/**
 * Life cycle and helpers of {@link SchedulerDriverContract}: one fresh driver per test, unique names, polling,
 * error-code assertions and best-effort clean-up of every account and job a test created.
 */
public abstract class ContractSupport {
    /** How often polling helpers look again. */
    protected static final long POLL_MILLIS = 150;

    /** A job that succeeds at once. */
    protected static final String QUICK_SCRIPT = "echo contract-ok";
    /** A job whose last command fails with status 1. */
    protected static final String FAILING_SCRIPT = "echo contract-fail\nexit 1";
    /** A job that runs until cancelled. */
    protected static final String LONG_SCRIPT = "sleep 300";

    private static final AtomicInteger COUNTER = new AtomicInteger();

    /** The driver under test; created before and closed after every test. */
    protected SchedulerDriver driver;
    /** The live cluster's description. */
    protected ContractFixture fx;

    private final List<String> createdAccounts = new ArrayList<>();
    private final Map<String, String> submittedJobs = new LinkedHashMap<>();

    /** Guards against a driver call that hangs: generous, as a test waits for several jobs in turn. */
    @Rule
    public final TestRule hangGuard = (base, description) -> Timeout.builder()
            .withTimeout(Math.max(120_000, fixture().timeout().toMillis() * 20), TimeUnit.MILLISECONDS)
            .withLookingForStuckThread(true).build().apply(base, description);

    /** A new driver for the cluster under test; the suite closes it after each test. */
    protected abstract SchedulerDriver createDriver() throws Exception;

    /** The cluster under test; may be a constant. */
    protected abstract ContractFixture fixture();

    /**
     * The batch directives that make a raw script run under {@code account} in {@code partition} with
     * {@code jobName}, for {@link SchedulerDriver#submitScript}. Slurm's {@code #SBATCH} by default; a driver for
     * another scheduler overrides it (e.g. Crane's {@code #CBATCH}). Each directive ends with a line break.
     */
    protected String scriptDirectives(String account, String partition, String jobName) {
        return "#SBATCH --account=" + account + "\n"
                + "#SBATCH --partition=" + partition + "\n"
                + "#SBATCH --job-name=" + jobName + "\n"
                + "#SBATCH --nodes=1\n"
                + "#SBATCH --time=10\n";
    }

    @Before
    public final void openDriver() throws Exception {
        fx = fixture();
        driver = createDriver();
        assertNotNull("createDriver() returned null", driver);
    }

    @After
    public final void cleanUpAndClose() {
        if (driver == null) {
            return;
        }
        try {
            cancelSubmittedJobs();
            List<String> accounts = new ArrayList<>(createdAccounts);
            Collections.reverse(accounts);
            for (String account : accounts) {
                bestEffort("unblock " + account, () -> driver.unblockAccount(account));
                bestEffort("delete " + account, () -> driver.deleteAccount(account));
            }
        } finally {
            driver.close();
        }
    }

    private void cancelSubmittedJobs() {
        List<String> active = new ArrayList<>();
        submittedJobs.forEach((id, user) -> bestEffort("cancel job " + id, () -> {
            if (!driver.getJob(id).state().isFinished()) {
                active.add(id);
                driver.cancelJob(user, id);
            }
        }));
        long deadline = System.nanoTime() + fx.timeout().toNanos();
        for (String id : active) {
            bestEffort("wait for job " + id, () -> {
                while (!driver.getJob(id).state().isFinished() && System.nanoTime() < deadline) {
                    Thread.sleep(POLL_MILLIS);
                }
            });
        }
    }

    private static void bestEffort(String what, Op op) {
        try {
            op.run();
        } catch (SchedulerException e) {
            if (e.code() != ErrorCode.ACCOUNT_NOT_FOUND && e.code() != ErrorCode.INVALID_STATE) {
                System.err.println("contract clean-up: " + what + " failed: " + e.code() + " " + e.getMessage());
            }
        } catch (Exception e) {
            System.err.println("contract clean-up: " + what + " failed: " + e);
        }
    }

    // ---- names and fixtures ----------------------------------------------------------------------------------

    /** A fresh account name that no earlier run used. */
    protected String uniqueAccountName() {
        return fx.namePrefix() + "x" + COUNTER.incrementAndGet();
    }

    /** A fresh job name. */
    protected String uniqueJobName(String hint) {
        return fx.namePrefix() + "-" + hint + "-" + COUNTER.incrementAndGet();
    }

    /** Creates an account owned by {@link ContractFixture#userA} and registers it for clean-up. */
    protected String newAccount() throws SchedulerException {
        String account = uniqueAccountName();
        createAccount(account, fx.userA());
        return account;
    }

    /** Creates an account and registers it for clean-up. */
    protected void createAccount(String account, String owner) throws SchedulerException {
        driver.createAccount(account, owner);
        createdAccounts.add(account);
    }

    /** A one-node, one-core job with a 10 minute limit in the fixture partition and working directory. */
    protected JobSpec spec(String account, String user, String name, String script) {
        return new JobSpec(user, name, account, fx.partition(), null, 1, 1, 0, null, 10L, script,
                fx.workingDirectory(), null, null, List.of());
    }

    /** Submits {@code spec} (validated first, as the platform does) and registers the job for clean-up. */
    protected String submit(JobSpec spec) throws SchedulerException {
        spec.validate();
        String id = driver.submitJob(spec).jobId();
        track(id, spec.user());
        return id;
    }

    protected String submit(String account, String user, String script) throws SchedulerException {
        return submit(spec(account, user, uniqueJobName("job"), script));
    }

    /** Registers a job submitted by other means for clean-up. */
    protected void track(String jobId, String user) {
        if (jobId == null || jobId.isBlank()) {
            fail("the driver returned no job id");
        }
        submittedJobs.put(jobId, user);
    }

    // ---- features --------------------------------------------------------------------------------------------

    protected boolean hasFeature(DriverFeature feature) {
        return driver.info().features().contains(feature);
    }

    /** Skips the test unless the driver declares the optional {@code feature}. */
    protected void assumeFeature(DriverFeature feature) {
        Assume.assumeTrue("driver does not declare " + feature, hasFeature(feature));
    }

    // ---- polling ---------------------------------------------------------------------------------------------

    /** Polls the job until {@code condition} holds; fails with the last state seen after the fixture timeout. */
    protected JobInfo awaitJob(String jobId, String what, Predicate<JobInfo> condition) throws Exception {
        long deadline = System.nanoTime() + fx.timeout().toNanos();
        while (true) {
            JobInfo job = driver.getJob(jobId);
            if (condition.test(job)) {
                return job;
            }
            if (System.nanoTime() > deadline) {
                fail("job " + jobId + " did not become " + what + " within " + fx.timeout() + "; last seen: " + job);
            }
            Thread.sleep(POLL_MILLIS);
        }
    }

    protected JobInfo awaitState(String jobId, JobState state) throws Exception {
        return awaitJob(jobId, state.name(), j -> j.state() == state);
    }

    protected JobInfo awaitFinished(String jobId) throws Exception {
        return awaitJob(jobId, "finished", j -> j.state().isFinished());
    }

    /** Polls {@code condition} until it holds; fails after the fixture timeout. */
    protected void eventually(String what, Check condition) throws Exception {
        long deadline = System.nanoTime() + fx.timeout().toNanos();
        while (!condition.holds()) {
            if (System.nanoTime() > deadline) {
                fail("not within " + fx.timeout() + ": " + what);
            }
            Thread.sleep(POLL_MILLIS);
        }
    }

    // ---- assertions ------------------------------------------------------------------------------------------

    /** Runs {@code op} and asserts that it fails with {@code expected}. */
    protected static SchedulerException expectError(ErrorCode expected, String what, Op op) {
        return expectError(EnumSet.of(expected), what, op);
    }

    /** Runs {@code op} and asserts that it fails with one of {@code expected}. */
    protected static SchedulerException expectError(Set<ErrorCode> expected, String what, Op op) {
        try {
            op.run();
        } catch (SchedulerException e) {
            if (!expected.contains(e.code())) {
                throw new AssertionError(what + ": expected " + expected + " but got " + e.code() + ": "
                        + e.getMessage(), e);
            }
            return e;
        } catch (Exception e) {
            throw new AssertionError(what + ": expected a SchedulerException " + expected + " but got " + e, e);
        }
        throw new AssertionError(what + ": expected " + expected + " but it succeeded");
    }

    /** Asserts {@code actual} equals {@code expected} when the driver reports the field at all. */
    protected static void assertIfReported(String field, Object expected, Object actual) {
        if (actual != null) {
            assertEquals(field, expected, actual);
        }
    }

    /** Asserts {@code a <= b} when both are reported. */
    protected static void assertNotAfter(String what, Instant a, Instant b) {
        if (a != null && b != null && a.isAfter(b)) {
            fail(what + ": " + a + " is after " + b);
        }
    }

    /** A step that may fail with a scheduler error. */
    @FunctionalInterface
    protected interface Op {
        void run() throws Exception;
    }

    /** A condition that may need the scheduler. */
    @FunctionalInterface
    protected interface Check {
        boolean holds() throws Exception;
    }
}
