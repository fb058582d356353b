package org.scow.api.scheduler.contract;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.Assume;
import org.junit.Test;
import org.scow.api.scheduler.AccountBlockStatus;
import org.scow.api.scheduler.ClusterAccount;
import org.scow.api.scheduler.ClusterUsage;
import org.scow.api.scheduler.DriverFeature;
import org.scow.api.scheduler.DriverInfo;
import org.scow.api.scheduler.ErrorCode;
import org.scow.api.scheduler.JobField;
import org.scow.api.scheduler.JobFilter;
import org.scow.api.scheduler.JobInfo;
import org.scow.api.scheduler.JobQuery;
import org.scow.api.scheduler.JobSpec;
import org.scow.api.scheduler.JobState;
import org.scow.api.scheduler.util.Names;
import org.scow.api.scheduler.NodeInfo;
import org.scow.api.scheduler.Partition;
import org.scow.api.scheduler.SchedulerDriver;
import org.scow.api.scheduler.SubmittedJob;
import org.scow.api.scheduler.TimeRange;

/**
 * The adapter contract: every {@link SchedulerDriver} must pass this suite against a live cluster (or, for the
 * in-memory test driver, against itself). It drives every SPI operation and checks the results and error codes the
 * SPI documents; optional operations are checked only when the driver declares the {@link DriverFeature}, and must
 * then answer {@link ErrorCode#NOT_SUPPORTED} when it does not.
 *
 * <h2>Using it from a driver module</h2>
 * Depend on the api test-jar and JUnit 4 in test scope:
 * <pre>{@code
 * <dependency>
 *   <groupId>org.scow</groupId><artifactId>scow-api</artifactId>
 *   <version>${project.version}</version><type>test-jar</type><scope>test</scope>
 * </dependency>
 * <dependency><groupId>junit</groupId><artifactId>junit</artifactId><scope>test</scope></dependency>
 * }</pre>
 * and extend this class, giving a fresh driver per test and the {@link ContractFixture} of the cluster:
 * <pre>{@code
 * public class SlurmDriverContractIT extends SchedulerDriverContract {
 *     private static final ContractFixture FIXTURE = new ContractFixture("slurm", "alice", "bob", "compute",
 *             "/tmp", ContractFixture.uniquePrefix("ct"), Duration.ofMinutes(2));
 *
 *     protected SchedulerDriver createDriver() throws Exception {
 *         return new SlurmDriverFactory().create(new ClusterConfig("test", "Test", "slurm", Map.of(...)));
 *     }
 *
 *     protected ContractFixture fixture() {
 *         return FIXTURE;
 *     }
 * }
 * }</pre>
 * A driver whose raw scripts do not use {@code #SBATCH} directives also overrides
 * {@link #scriptDirectives(String, String, String)}. Name the subclass {@code *IT} and run it with failsafe when it
 * needs a real cluster, so that ordinary builds stay offline.
 *
 * <h2>What the cluster must offer</h2>
 * Two existing Unix users that may run jobs, one up partition with room for a few one-core jobs, a directory both
 * can write, and an administrator identity for the driver (it creates and deletes accounts). The suite creates
 * accounts named after {@link ContractFixture#namePrefix}, deletes them afterwards, and once removes
 * {@link ContractFixture#userB} from every scheduler account ({@link SchedulerDriver#deleteUser}): use a dedicated
 * user. {@link #usageFollowsSubmittedJobs} compares cluster-wide job counts, so run on a cluster where nobody else
 * submits meanwhile.
 *
 * <h2>Choices the suite makes where the SPI leaves room</h2>
 * A blocked account or user is refused at submission with {@link ErrorCode#SUBMIT_FAILED}. Submitting under an
 * unknown account or to an unknown partition may fail with the specific not-found code or with
 * {@code SUBMIT_FAILED}; submitting under an account the user is not a member of with {@code USER_NOT_IN_ACCOUNT} or
 * {@code SUBMIT_FAILED}. Fields a driver cannot know may be null; the ones every scheduler knows (user, account,
 * partition, name, submit and end time) are required.
 */
public abstract class SchedulerDriverContract extends ContractSupport {

    private static final Set<JobState> ACTIVE = EnumSet.of(JobState.PENDING, JobState.RUNNING);

    // ---- driver info and optional features -------------------------------------------------------------------

    @Test
    public void infoReportsTypeVersionAndFeatures() {
        DriverInfo info = driver.info();
        assertEquals("driver type", fx.driverType(), info.type());
        assertFalse("scheduler name is blank", info.schedulerName().isBlank());
        DriverInfo.Version v = info.version();
        assertTrue("version numbers must not be negative: " + v, v.major() >= 0 && v.minor() >= 0 && v.patch() >= 0);
        assertNotNull(info.features());
        assertEquals("info() is stable", info, driver.info());
    }

    @Test
    public void undeclaredFeaturesAnswerNotSupported() throws Exception {
        Set<DriverFeature> missing = EnumSet.allOf(DriverFeature.class);
        missing.removeAll(driver.info().features());
        Assume.assumeFalse("the driver declares every optional feature", missing.isEmpty());
        String account = newAccount();
        Set<String> partition = Set.of(fx.partition());
        if (missing.contains(DriverFeature.PARTITION_BLOCKING)) {
            expectError(ErrorCode.NOT_SUPPORTED, "blockAccount(partitions)",
                    () -> driver.blockAccount(account, partition));
            expectError(ErrorCode.NOT_SUPPORTED, "unblockAccount(partitions)",
                    () -> driver.unblockAccount(account, partition));
        }
        if (missing.contains(DriverFeature.TIME_LIMIT_CHANGE)) {
            String job = submit(account, fx.userA(), LONG_SCRIPT);
            expectError(ErrorCode.NOT_SUPPORTED, "changeTimeLimit", () -> driver.changeTimeLimit(job, 1));
        }
        if (missing.contains(DriverFeature.NODE_INFO)) {
            expectError(ErrorCode.NOT_SUPPORTED, "nodes", () -> driver.nodes(Set.of()));
        }
    }

    @Test
    public void closeIsIdempotent() {
        driver.close();
        driver.close();
    }

    // ---- accounts --------------------------------------------------------------------------------------------

    @Test
    public void createAccountMakesOwnerTheFirstMember() throws Exception {
        String account = newAccount();
        List<String> accounts = driver.listAccounts(fx.userA());
        assertTrue("listAccounts(owner) lacks " + account + ": " + accounts, accounts.contains(account));
        assertSorted("listAccounts", accounts);

        ClusterAccount created = findAccount(account);
        assertEquals("members of a new account", List.of(fx.userA()), memberIds(created));
        assertFalse("owner is blocked in a new account", created.users().get(0).blocked());
        assertIfReported("owner", fx.userA(), created.owner());
        assertFalse("a new account is blocked", created.block().blocked());
        assertFalse("a new account is blocked in " + fx.partition(), created.block().blockedIn(fx.partition()));
        assertFalse(driver.isUserBlockedInAccount(fx.userA(), account));
    }

    @Test
    public void createExistingAccountFailsAlreadyExists() throws Exception {
        String account = newAccount();
        expectError(ErrorCode.ALREADY_EXISTS, "second createAccount", () -> driver.createAccount(account, fx.userB()));
        assertEquals("a failed create changes the members", List.of(fx.userA()), memberIds(findAccount(account)));
    }

    @Test
    public void operationsOnUnknownAccountFailAccountNotFound() {
        String unknown = uniqueAccountName();
        String a = fx.userA();
        Map<String, Op> ops = Map.of(
                "deleteAccount", () -> driver.deleteAccount(unknown),
                "blockAccount", () -> driver.blockAccount(unknown),
                "unblockAccount", () -> driver.unblockAccount(unknown),
                "accountBlockStatus", () -> driver.accountBlockStatus(unknown),
                "addUserToAccount", () -> driver.addUserToAccount(a, unknown),
                "removeUserFromAccount", () -> driver.removeUserFromAccount(a, unknown),
                "blockUserInAccount", () -> driver.blockUserInAccount(a, unknown),
                "unblockUserInAccount", () -> driver.unblockUserInAccount(a, unknown),
                "isUserBlockedInAccount", () -> driver.isUserBlockedInAccount(a, unknown));
        ops.forEach((name, op) -> expectError(ErrorCode.ACCOUNT_NOT_FOUND, name + " of an unknown account", op));
        if (hasFeature(DriverFeature.PARTITION_BLOCKING)) {
            Set<String> p = Set.of(fx.partition());
            expectError(ErrorCode.ACCOUNT_NOT_FOUND, "blockAccount(partitions) of an unknown account",
                    () -> driver.blockAccount(unknown, p));
            expectError(ErrorCode.ACCOUNT_NOT_FOUND, "unblockAccount(partitions) of an unknown account",
                    () -> driver.unblockAccount(unknown, p));
        }
    }

    @Test
    public void listAccountsOfUnknownUserIsEmpty() throws Exception {
        assertEquals(List.of(), driver.listAccounts(fx.namePrefix() + "nobody"));
    }

    @Test
    public void addAndRemoveUser() throws Exception {
        String account = newAccount();
        driver.addUserToAccount(fx.userB(), account);
        assertTrue(driver.listAccounts(fx.userB()).contains(account));
        assertEquals(Set.of(fx.userA(), fx.userB()), Set.copyOf(memberIds(findAccount(account))));
        expectError(ErrorCode.ALREADY_EXISTS, "adding a member again", () -> driver.addUserToAccount(fx.userB(), account));

        driver.removeUserFromAccount(fx.userB(), account);
        assertFalse(driver.listAccounts(fx.userB()).contains(account));
        assertEquals(List.of(fx.userA()), memberIds(findAccount(account)));
        expectError(ErrorCode.USER_NOT_IN_ACCOUNT, "removing a non-member",
                () -> driver.removeUserFromAccount(fx.userB(), account));
    }

    @Test
    public void removeUserWithActiveJobFailsInvalidState() throws Exception {
        String account = newAccount();
        driver.addUserToAccount(fx.userB(), account);
        String job = submit(account, fx.userB(), LONG_SCRIPT);
        expectError(ErrorCode.INVALID_STATE, "removing a user with a running job",
                () -> driver.removeUserFromAccount(fx.userB(), account));
        driver.cancelJob(fx.userB(), job);
        awaitFinished(job);
        driver.removeUserFromAccount(fx.userB(), account);
        assertFalse(driver.listAccounts(fx.userB()).contains(account));
    }

    @Test
    public void blockAccountIsIdempotentAndVisible() throws Exception {
        String account = newAccount();
        driver.blockAccount(account);
        driver.blockAccount(account);
        AccountBlockStatus status = driver.accountBlockStatus(account);
        assertTrue("blocked", status.blocked());
        assertTrue("blocked in " + fx.partition(), status.blockedIn(fx.partition()));
        assertEquals("block status covers every partition", partitionNames(driver.partitions()),
                status.partitions().keySet());
        assertTrue("allAccounts shows the block", findAccount(account).block().blocked());
        assertFalse("a blocked account offers " + fx.partition(),
                partitionNames(driver.availablePartitions(account, fx.userA())).contains(fx.partition()));

        driver.unblockAccount(account);
        driver.unblockAccount(account);
        status = driver.accountBlockStatus(account);
        assertFalse("unblocked", status.blocked());
        assertFalse("unblocked in " + fx.partition(), status.blockedIn(fx.partition()));
        assertFalse("allAccounts shows the unblock", findAccount(account).block().blocked());
        assertTrue(partitionNames(driver.availablePartitions(account, fx.userA())).contains(fx.partition()));
    }

    @Test
    public void blockedAccountCannotSubmitUntilUnblocked() throws Exception {
        String account = newAccount();
        driver.blockAccount(account);
        expectError(ErrorCode.SUBMIT_FAILED, "submitting under a blocked account",
                () -> submit(account, fx.userA(), QUICK_SCRIPT));
        driver.unblockAccount(account);
        String job = submit(account, fx.userA(), QUICK_SCRIPT);
        assertEquals(JobState.COMPLETED, awaitFinished(job).state());
    }

    @Test
    public void blockAccountInOnePartitionOnly() throws Exception {
        assumeFeature(DriverFeature.PARTITION_BLOCKING);
        String account = newAccount();
        Set<String> all = partitionNames(driver.partitions());
        Set<String> p = Set.of(fx.partition());
        driver.blockAccount(account, p);
        driver.blockAccount(account, p);

        AccountBlockStatus status = driver.accountBlockStatus(account);
        assertTrue("blocked in " + fx.partition(), status.blockedIn(fx.partition()));
        assertEquals("block status covers every partition", all, status.partitions().keySet());
        assertEquals("blocked overall only when every partition is blocked", all.size() == 1, status.blocked());
        for (String other : all) {
            if (!other.equals(fx.partition())) {
                assertFalse("blocked in untouched partition " + other, status.blockedIn(other));
            }
        }
        Set<String> available = partitionNames(driver.availablePartitions(account, fx.userA()));
        assertFalse("a partition-blocked account offers that partition", available.contains(fx.partition()));
        Set<String> others = new HashSet<>(all);
        others.remove(fx.partition());
        assertTrue("untouched partitions stay available: " + available, available.containsAll(others));
        expectError(ErrorCode.SUBMIT_FAILED, "submitting to a blocked partition",
                () -> submit(account, fx.userA(), QUICK_SCRIPT));

        driver.unblockAccount(account, p);
        driver.unblockAccount(account, p);
        assertFalse(driver.accountBlockStatus(account).blockedIn(fx.partition()));
        assertEquals(JobState.COMPLETED, awaitFinished(submit(account, fx.userA(), QUICK_SCRIPT)).state());
    }

    @Test
    public void blockAccountInUnknownPartitionFailsPartitionNotFound() throws Exception {
        assumeFeature(DriverFeature.PARTITION_BLOCKING);
        String account = newAccount();
        Set<String> unknown = Set.of(fx.namePrefix() + "nopart");
        expectError(ErrorCode.PARTITION_NOT_FOUND, "blocking in an unknown partition",
                () -> driver.blockAccount(account, unknown));
        assertFalse(driver.accountBlockStatus(account).blockedIn(fx.partition()));
    }

    @Test
    public void unblockAccountLiftsPartitionBlocks() throws Exception {
        assumeFeature(DriverFeature.PARTITION_BLOCKING);
        String account = newAccount();
        driver.blockAccount(account, Set.of(fx.partition()));
        driver.unblockAccount(account);
        AccountBlockStatus status = driver.accountBlockStatus(account);
        assertFalse(status.blocked());
        assertFalse("whole-account unblock left a partition block", status.blockedIn(fx.partition()));
    }

    @Test
    public void blockUserInAccountIsIdempotentAndVisible() throws Exception {
        String account = newAccount();
        driver.addUserToAccount(fx.userB(), account);
        driver.blockUserInAccount(fx.userB(), account);
        driver.blockUserInAccount(fx.userB(), account);
        assertTrue(driver.isUserBlockedInAccount(fx.userB(), account));
        assertFalse("blocking one member blocked another", driver.isUserBlockedInAccount(fx.userA(), account));
        assertFalse("blocking a user blocked the account", driver.accountBlockStatus(account).blocked());
        assertEquals(Map.of(fx.userA(), false, fx.userB(), true), memberFlags(findAccount(account)));
        assertEquals("a blocked user may submit somewhere", List.of(),
                driver.availablePartitions(account, fx.userB()));

        driver.unblockUserInAccount(fx.userB(), account);
        driver.unblockUserInAccount(fx.userB(), account);
        assertFalse(driver.isUserBlockedInAccount(fx.userB(), account));
        assertEquals(Map.of(fx.userA(), false, fx.userB(), false), memberFlags(findAccount(account)));
    }

    @Test
    public void blockedUserCannotSubmitUnderThatAccount() throws Exception {
        String account = newAccount();
        driver.addUserToAccount(fx.userB(), account);
        driver.blockUserInAccount(fx.userB(), account);
        expectError(ErrorCode.SUBMIT_FAILED, "submitting as a blocked user",
                () -> submit(account, fx.userB(), QUICK_SCRIPT));
        String other = submit(account, fx.userA(), QUICK_SCRIPT);
        assertEquals("an unblocked member's job", JobState.COMPLETED, awaitFinished(other).state());

        driver.unblockUserInAccount(fx.userB(), account);
        String job = submit(account, fx.userB(), QUICK_SCRIPT);
        assertEquals(JobState.COMPLETED, awaitFinished(job).state());
    }

    @Test
    public void blockingNonMemberFailsUserNotInAccount() throws Exception {
        String account = newAccount();
        expectError(ErrorCode.USER_NOT_IN_ACCOUNT, "blocking a non-member",
                () -> driver.blockUserInAccount(fx.userB(), account));
        expectError(ErrorCode.USER_NOT_IN_ACCOUNT, "unblocking a non-member",
                () -> driver.unblockUserInAccount(fx.userB(), account));
    }

    @Test
    public void allAccountsListsCreatedAccountsSortedWithMembersAndFlags() throws Exception {
        String first = newAccount();
        String second = newAccount();
        driver.addUserToAccount(fx.userB(), second);
        driver.blockAccount(second);
        driver.blockUserInAccount(fx.userB(), second);

        List<ClusterAccount> all = driver.allAccounts();
        assertSorted("allAccounts", all.stream().map(ClusterAccount::name).toList());
        ClusterAccount a = find(all, first);
        ClusterAccount b = find(all, second);
        assertEquals(Map.of(fx.userA(), false), memberFlags(a));
        assertFalse(a.block().blocked());
        assertEquals(Map.of(fx.userA(), false, fx.userB(), true), memberFlags(b));
        assertTrue(b.block().blocked());
    }

    @Test
    public void deleteUserRemovesEveryMembership() throws Exception {
        String first = newAccount();
        String second = newAccount();
        driver.addUserToAccount(fx.userB(), first);
        driver.addUserToAccount(fx.userB(), second);

        driver.deleteUser(fx.userB());
        assertEquals(List.of(), driver.listAccounts(fx.userB()));
        assertEquals(List.of(fx.userA()), memberIds(findAccount(first)));
        assertEquals(List.of(fx.userA()), memberIds(findAccount(second)));
        expectError(ErrorCode.USER_NOT_FOUND, "deleting a deleted user", () -> driver.deleteUser(fx.userB()));

        driver.addUserToAccount(fx.userB(), first);
        assertEquals("a deleted user can be added again", List.of(first), driver.listAccounts(fx.userB()));
    }

    @Test
    public void deleteUnknownUserFailsUserNotFound() {
        expectError(ErrorCode.USER_NOT_FOUND, "deleting an unknown user",
                () -> driver.deleteUser(fx.namePrefix() + "nobody"));
    }

    @Test
    public void deleteAccountOnceItsJobsFinished() throws Exception {
        String account = newAccount();
        String job = submit(account, fx.userA(), LONG_SCRIPT);
        expectError(ErrorCode.INVALID_STATE, "deleting an account with an active job",
                () -> driver.deleteAccount(account));
        driver.cancelJob(fx.userA(), job);
        awaitFinished(job);

        driver.deleteAccount(account);
        assertFalse(driver.listAccounts(fx.userA()).contains(account));
        assertTrue(driver.allAccounts().stream().noneMatch(a -> a.name().equals(account)));
        expectError(ErrorCode.ACCOUNT_NOT_FOUND, "status of a deleted account",
                () -> driver.accountBlockStatus(account));
    }

    // ---- submitting and watching jobs ------------------------------------------------------------------------

    @Test
    public void submitJobRunsToCompletion() throws Exception {
        String account = newAccount();
        JobSpec spec = spec(account, fx.userA(), uniqueJobName("ok"), QUICK_SCRIPT);
        spec.validate();
        SubmittedJob submitted = driver.submitJob(spec);
        track(submitted.jobId(), fx.userA());
        assertNotNull("generated script", submitted.generatedScript());
        assertTrue("generated script lacks the commands: " + submitted.generatedScript(),
                submitted.generatedScript().contains(QUICK_SCRIPT));

        JobInfo job = driver.getJob(submitted.jobId());
        assertEquals(submitted.jobId(), job.jobId());
        assertEquals(fx.userA(), job.user());
        assertEquals(account, job.account());
        assertEquals(fx.partition(), job.partition());
        assertEquals(spec.name(), job.name());
        assertNotNull("submit time", job.submitTime());
        assertIfReported("cpusReq", 1, job.cpusReq());
        assertIfReported("nodesReq", 1, job.nodesReq());
        assertIfReported("timeLimitMinutes", 10L, job.timeLimitMinutes());
        assertIfReported("workingDirectory", fx.workingDirectory(), job.workingDirectory());

        JobInfo done = awaitFinished(job.jobId());
        assertEquals(JobState.COMPLETED, done.state());
        assertNotNull("end time of a finished job", done.endTime());
        assertNotAfter("submit before start", done.submitTime(), done.startTime());
        assertNotAfter("start before end", done.startTime(), done.endTime());
        assertNotAfter("submit before end", done.submitTime(), done.endTime());
        assertIfReported("exit code", 0, done.exitCode());
        if (done.elapsedSeconds() != null) {
            assertTrue("elapsed seconds", done.elapsedSeconds() >= 0);
        }
    }

    @Test
    public void failingScriptEndsFailed() throws Exception {
        String account = newAccount();
        String job = submit(account, fx.userA(), FAILING_SCRIPT);
        JobInfo done = awaitFinished(job);
        assertEquals(JobState.FAILED, done.state());
        assertNotNull(done.endTime());
        if (done.exitCode() != null) {
            assertTrue("exit code of a failed job: " + done.exitCode(), done.exitCode() != 0);
        }
    }

    @Test
    public void submitScriptHonoursItsDirectives() throws Exception {
        String account = newAccount();
        String name = uniqueJobName("script");
        String body = "echo contract-script";
        String script = "#!/bin/bash\n" + scriptDirectives(account, fx.partition(), name) + body + "\n";
        SubmittedJob submitted = driver.submitScript(fx.userA(), script, fx.workingDirectory());
        track(submitted.jobId(), fx.userA());
        assertNotNull(submitted.generatedScript());
        assertTrue(submitted.generatedScript().contains(body));

        JobInfo job = driver.getJob(submitted.jobId());
        assertEquals(fx.userA(), job.user());
        assertEquals(account, job.account());
        assertEquals(fx.partition(), job.partition());
        assertEquals(name, job.name());
        assertEquals(JobState.COMPLETED, awaitFinished(job.jobId()).state());
    }

    @Test
    public void submitScriptNeedsAbsoluteWorkingDirectory() throws Exception {
        String account = newAccount();
        String script = "#!/bin/bash\n" + scriptDirectives(account, fx.partition(), uniqueJobName("rel")) + "true\n";
        expectError(ErrorCode.INVALID_ARGUMENT, "relative working directory",
                () -> track(driver.submitScript(fx.userA(), script, "relative/dir").jobId(), fx.userA()));
    }

    @Test
    public void submitUnderUnknownAccountOrPartitionIsRejected() throws Exception {
        String account = newAccount();
        String nowhere = uniqueAccountName();
        expectError(EnumSet.of(ErrorCode.ACCOUNT_NOT_FOUND, ErrorCode.SUBMIT_FAILED), "unknown account",
                () -> submit(nowhere, fx.userA(), QUICK_SCRIPT));
        JobSpec spec = spec(account, fx.userA(), uniqueJobName("nopart"), QUICK_SCRIPT);
        JobSpec badPartition = new JobSpec(spec.user(), spec.name(), spec.account(), fx.namePrefix() + "nopart",
                null, 1, 1, 0, null, 10L, spec.script(), spec.workingDirectory(), null, null, List.of());
        expectError(EnumSet.of(ErrorCode.PARTITION_NOT_FOUND, ErrorCode.SUBMIT_FAILED), "unknown partition",
                () -> submit(badPartition));
    }

    @Test
    public void submitByNonMemberIsRejected() throws Exception {
        String account = newAccount();
        expectError(EnumSet.of(ErrorCode.USER_NOT_IN_ACCOUNT, ErrorCode.SUBMIT_FAILED), "non-member",
                () -> submit(account, fx.userB(), QUICK_SCRIPT));
    }

    @Test
    public void getUnknownJobFailsJobNotFound() {
        expectError(ErrorCode.JOB_NOT_FOUND, "getJob", () -> driver.getJob("999999999"));
        expectError(ErrorCode.JOB_NOT_FOUND, "timeLimitMinutes", () -> driver.timeLimitMinutes("999999999"));
    }

    // ---- querying jobs ---------------------------------------------------------------------------------------

    @Test
    public void queryJobsFiltersOnEveryCriterion() throws Exception {
        String account = newAccount();
        driver.addUserToAccount(fx.userB(), account);
        String okName = uniqueJobName("ok");
        String failName = uniqueJobName("fail");
        String ok = submit(spec(account, fx.userA(), okName, QUICK_SCRIPT));
        String failed = submit(spec(account, fx.userA(), failName, FAILING_SCRIPT));
        String byB = submit(account, fx.userB(), QUICK_SCRIPT);
        List<JobInfo> finished = List.of(awaitFinished(ok), awaitFinished(failed), awaitFinished(byB));
        String running = submit(account, fx.userA(), LONG_SCRIPT);

        JobFilter mine = JobFilter.ALL.withAccounts(Set.of(account));
        eventually("queryJobs sees the 4 jobs", () -> driver.queryJobs(JobQuery.of(mine)).totalCount() == 4);
        assertIds(mine, ok, failed, byB, running);
        assertIds(mine.withUsers(Set.of(fx.userB())), byB);
        assertIds(mine.withUsers(Set.of(fx.userA())), ok, failed, running);
        assertIds(mine.withStates(Set.of(JobState.FAILED)), failed);
        assertIds(mine.withStates(Set.of(JobState.COMPLETED)), ok, byB);
        assertIds(mine.withStates(ACTIVE), running);
        assertIds(mine.withJobId(ok), ok);
        assertIds(JobFilter.ALL.withJobId(failed), failed);
        assertIds(mine.withName(failName), failed);
        assertIds(mine.withUsers(Set.of(fx.userB())).withStates(Set.of(JobState.FAILED)));
        assertIds(JobFilter.ALL.withAccounts(Set.of(uniqueAccountName())));

        List<Instant> submits = new ArrayList<>();
        for (String id : List.of(ok, failed, byB, running)) {
            submits.add(driver.getJob(id).submitTime());
        }
        Instant firstSubmit = submits.stream().min(Comparator.naturalOrder()).orElseThrow();
        Instant lastSubmit = submits.stream().max(Comparator.naturalOrder()).orElseThrow();
        assertIds(mine.withSubmitTime(new TimeRange(firstSubmit, lastSubmit)), ok, failed, byB, running);
        assertIds(mine.withSubmitTime(new TimeRange(lastSubmit.plusSeconds(1), null)));
        assertIds(mine.withSubmitTime(new TimeRange(null, firstSubmit.minusSeconds(1))));

        Instant firstEnd = finished.stream().map(JobInfo::endTime).min(Comparator.naturalOrder()).orElseThrow();
        Instant lastEnd = finished.stream().map(JobInfo::endTime).max(Comparator.naturalOrder()).orElseThrow();
        assertIds(mine.withEndTime(new TimeRange(firstEnd, lastEnd)), ok, failed, byB);
        assertIds(mine.withEndTime(new TimeRange(null, null)), ok, failed, byB);
        assertIds(mine.withEndTime(new TimeRange(lastEnd.plusSeconds(1), null)));
    }

    @Test
    public void queryJobsPagesWithTotalCount() throws Exception {
        String account = newAccount();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(submit(account, fx.userA(), QUICK_SCRIPT));
        }
        for (String id : ids) {
            awaitFinished(id);
        }
        JobQuery mine = JobQuery.of(JobFilter.ALL.withAccounts(Set.of(account)));
        eventually("queryJobs sees the 5 jobs", () -> driver.queryJobs(mine).totalCount() == 5);

        List<String> natural = jobIds(driver.queryJobs(mine).jobs());
        List<String> sorted = new ArrayList<>(natural);
        sorted.sort((a, b) -> JobQuery.compareIds(JobInfo.builder(a, JobState.UNKNOWN).build(),
                JobInfo.builder(b, JobState.UNKNOWN).build()));
        assertEquals("natural order is by job id", sorted, natural);
        assertEquals(Set.copyOf(ids), Set.copyOf(natural));

        List<String> paged = new ArrayList<>();
        int[] sizes = {2, 2, 1, 0};
        for (int page = 1; page <= sizes.length; page++) {
            JobQuery.Result result = driver.queryJobs(mine.withPage(new JobQuery.Page(page, 2)));
            assertEquals("totalCount on page " + page, 5, result.totalCount());
            assertEquals("size of page " + page, sizes[page - 1], result.jobs().size());
            paged.addAll(jobIds(result.jobs()));
        }
        assertEquals("pages concatenate to the whole list", natural, paged);
    }

    @Test
    public void queryJobsSortsAscendingAndDescending() throws Exception {
        String account = newAccount();
        String base = uniqueJobName("sort");
        List<String> ids = new ArrayList<>();
        for (String suffix : List.of("c", "a", "b")) {
            ids.add(submit(spec(account, fx.userA(), base + "-" + suffix, QUICK_SCRIPT)));
        }
        for (String id : ids) {
            awaitFinished(id);
        }
        JobQuery mine = JobQuery.of(JobFilter.ALL.withAccounts(Set.of(account)));
        eventually("queryJobs sees the 3 jobs", () -> driver.queryJobs(mine).totalCount() == 3);

        List<String> byNameAsc = names(driver.queryJobs(mine.withSort(new JobQuery.Sort(JobField.NAME, false))));
        assertEquals(List.of(base + "-a", base + "-b", base + "-c"), byNameAsc);
        List<String> byNameDesc = names(driver.queryJobs(mine.withSort(new JobQuery.Sort(JobField.NAME, true))));
        assertEquals(List.of(base + "-c", base + "-b", base + "-a"), byNameDesc);

        List<String> natural = jobIds(driver.queryJobs(mine).jobs());
        List<String> idDesc = jobIds(driver.queryJobs(mine.withSort(new JobQuery.Sort(JobField.JOB_ID, true))).jobs());
        List<String> reversed = new ArrayList<>(natural);
        Collections.reverse(reversed);
        assertEquals("JOB_ID descending", reversed, idDesc);

        List<Instant> submitAsc = driver.queryJobs(mine.withSort(new JobQuery.Sort(JobField.SUBMIT_TIME, false)))
                .jobs().stream().map(JobInfo::submitTime).toList();
        assertSorted("SUBMIT_TIME ascending", submitAsc);
        List<Instant> submitDesc = driver.queryJobs(mine.withSort(new JobQuery.Sort(JobField.SUBMIT_TIME, true)))
                .jobs().stream().map(JobInfo::submitTime).toList();
        List<Instant> submitDescReversed = new ArrayList<>(submitDesc);
        Collections.reverse(submitDescReversed);
        assertSorted("SUBMIT_TIME descending", submitDescReversed);
    }

    @Test
    public void queryJobsFillsOnlySelectedFields() throws Exception {
        String account = newAccount();
        String name = uniqueJobName("fields");
        String id = submit(spec(account, fx.userA(), name, QUICK_SCRIPT));
        awaitFinished(id);
        JobQuery query = JobQuery.of(JobFilter.ALL.withJobId(id)).withFields(EnumSet.of(JobField.NAME, JobField.USER));
        eventually("queryJobs sees job " + id, () -> driver.queryJobs(query).totalCount() == 1);

        JobInfo job = driver.queryJobs(query).jobs().get(0);
        assertEquals(id, job.jobId());
        assertEquals(JobState.COMPLETED, job.state());
        assertEquals(name, job.name());
        assertEquals(fx.userA(), job.user());
        for (JobField f : EnumSet.complementOf(EnumSet.of(JobField.JOB_ID, JobField.STATE, JobField.NAME,
                JobField.USER))) {
            assertEquals("unselected field " + f, null, job.get(f));
        }
        JobInfo accountOnly = driver.queryJobs(query.withFields(EnumSet.of(JobField.ACCOUNT))).jobs().get(0);
        assertEquals(account, accountOnly.account());
        assertEquals(null, accountOnly.name());
    }

    // ---- cancelling and time limits --------------------------------------------------------------------------

    @Test
    public void ownerCancelsRunningJob() throws Exception {
        String account = newAccount();
        String job = submit(account, fx.userA(), LONG_SCRIPT);
        awaitState(job, JobState.RUNNING);
        driver.cancelJob(fx.userA(), job);
        JobInfo done = awaitFinished(job);
        assertEquals(JobState.CANCELLED, done.state());
        assertNotNull("end time of a cancelled job", done.endTime());
        expectError(ErrorCode.INVALID_STATE, "cancelling a finished job", () -> driver.cancelJob(fx.userA(), job));
    }

    @Test
    public void cancelByAnotherUserFailsPermissionDenied() throws Exception {
        String account = newAccount();
        String job = submit(account, fx.userA(), LONG_SCRIPT);
        expectError(ErrorCode.PERMISSION_DENIED, "cancelling another user's job",
                () -> driver.cancelJob(fx.userB(), job));
        assertTrue("the job survived a denied cancel", ACTIVE.contains(driver.getJob(job).state()));
    }

    @Test
    public void cancelUnknownJobFailsJobNotFound() {
        expectError(ErrorCode.JOB_NOT_FOUND, "cancelling an unknown job",
                () -> driver.cancelJob(fx.userA(), "999999999"));
    }

    @Test
    public void timeLimitIsTheRequestedOne() throws Exception {
        String account = newAccount();
        JobSpec spec = spec(account, fx.userA(), uniqueJobName("limit"), LONG_SCRIPT);
        String job = submit(new JobSpec(spec.user(), spec.name(), spec.account(), spec.partition(), null, 1, 1, 0,
                null, 7L, spec.script(), spec.workingDirectory(), null, null, List.of()));
        assertEquals(7L, driver.timeLimitMinutes(job));
        assertIfReported("timeLimitMinutes in getJob", 7L, driver.getJob(job).timeLimitMinutes());
    }

    @Test
    public void changeTimeLimitOfActiveJob() throws Exception {
        assumeFeature(DriverFeature.TIME_LIMIT_CHANGE);
        String account = newAccount();
        String job = submit(account, fx.userA(), LONG_SCRIPT);
        assertEquals(10L, driver.timeLimitMinutes(job));
        driver.changeTimeLimit(job, 5);
        assertEquals(15L, driver.timeLimitMinutes(job));
        driver.changeTimeLimit(job, -7);
        assertEquals(8L, driver.timeLimitMinutes(job));
        assertIfReported("timeLimitMinutes in getJob", 8L, driver.getJob(job).timeLimitMinutes());
        expectError(ErrorCode.INVALID_ARGUMENT, "shortening below one minute", () -> driver.changeTimeLimit(job, -8));
        assertEquals("a refused change kept the limit", 8L, driver.timeLimitMinutes(job));
        assertTrue("changing the limit ended the job", ACTIVE.contains(driver.getJob(job).state()));
        expectError(ErrorCode.JOB_NOT_FOUND, "unknown job", () -> driver.changeTimeLimit("999999999", 1));
    }

    @Test
    public void changeTimeLimitOfFinishedJobFailsInvalidState() throws Exception {
        assumeFeature(DriverFeature.TIME_LIMIT_CHANGE);
        String job = submit(newAccount(), fx.userA(), QUICK_SCRIPT);
        awaitFinished(job);
        expectError(ErrorCode.INVALID_STATE, "changing a finished job's limit", () -> driver.changeTimeLimit(job, 1));
    }

    // ---- partitions, usage, nodes ----------------------------------------------------------------------------

    @Test
    public void partitionsIncludeTheFixturePartition() throws Exception {
        List<Partition> partitions = driver.partitions();
        assertFalse("no partitions", partitions.isEmpty());
        assertEquals("partition names are unique", partitions.size(), partitionNames(partitions).size());
        Partition p = fixturePartition(partitions);
        assertTrue("cores of " + p, p.cores() > 0);
        assertTrue("nodes of " + p, p.nodes() > 0);
        assertTrue("memory of " + p, p.memoryMb() >= 0);
        assertTrue("gpus of " + p, p.gpus() >= 0);
        assertTrue(p.name() + " is up", p.up());
        for (Partition each : partitions) {
            assertTrue("partition name " + each.name(), Names.isValid(each.name()));
        }
    }

    @Test
    public void availablePartitionsOfAMember() throws Exception {
        String account = newAccount();
        List<Partition> available = driver.availablePartitions(account, fx.userA());
        Set<String> names = partitionNames(available);
        assertTrue("available to the owner: " + names, names.contains(fx.partition()));
        assertTrue("available partitions exist", partitionNames(driver.partitions()).containsAll(names));
    }

    @Test
    public void usageMatchesPartitions() throws Exception {
        List<Partition> partitions = driver.partitions();
        ClusterUsage usage = driver.usage();
        Map<String, ClusterUsage.Usage> byName = usage.partitions().stream()
                .collect(Collectors.toMap(ClusterUsage.PartitionUsage::partition, ClusterUsage.PartitionUsage::usage));
        assertEquals("usage covers every partition", partitionNames(partitions), byName.keySet());
        assertNonNegative("total", usage.total());
        for (Partition p : partitions) {
            ClusterUsage.Usage u = byName.get(p.name());
            assertNonNegative(p.name(), u);
            assertEquals("nodes of " + p.name(), p.nodes(), u.nodes().total());
            assertEquals("cpus of " + p.name(), p.cores(), u.cpus().total());
            assertEquals("gpus of " + p.name(), p.gpus(), u.gpus().total());
            assertTrue("cluster has fewer nodes than " + p.name(), usage.total().nodes().total() >= p.nodes());
            assertTrue("cluster has fewer cpus than " + p.name(), usage.total().cpus().total() >= p.cores());
            assertTrue("cluster runs fewer jobs than " + p.name(), usage.total().runningJobs() >= u.runningJobs());
        }
    }

    @Test
    public void usageFollowsSubmittedJobs() throws Exception {
        int before = activeJobs(driver.usage().total());
        String account = newAccount();
        String first = submit(account, fx.userA(), LONG_SCRIPT);
        String second = submit(account, fx.userA(), LONG_SCRIPT);
        eventually("usage counts 2 more pending or running jobs than " + before,
                () -> activeJobs(driver.usage().total()) >= before + 2);

        awaitState(first, JobState.RUNNING);
        ClusterUsage usage = driver.usage();
        assertTrue("running jobs", usage.total().runningJobs() >= 1);
        assertTrue("allocated cpus", usage.total().cpus().running() >= 1);
        assertTrue("allocated nodes", usage.total().nodes().running() >= 1);
        ClusterUsage.Usage inPartition = usage.partitions().stream()
                .filter(p -> p.partition().equals(fx.partition())).findFirst().orElseThrow().usage();
        assertTrue("running jobs in " + fx.partition(), inPartition.runningJobs() >= 1);
        assertTrue("allocated cpus in " + fx.partition(), inPartition.cpus().running() >= 1);

        driver.cancelJob(fx.userA(), first);
        driver.cancelJob(fx.userA(), second);
        awaitFinished(first);
        awaitFinished(second);
        eventually("usage drops back to " + before + " pending or running jobs",
                () -> activeJobs(driver.usage().total()) <= before);
    }

    @Test
    public void nodesListsEveryNodeAndFiltersByName() throws Exception {
        assumeFeature(DriverFeature.NODE_INFO);
        List<NodeInfo> all = driver.nodes(Set.of());
        assertFalse("no nodes", all.isEmpty());
        Set<String> names = all.stream().map(NodeInfo::name).collect(Collectors.toSet());
        assertEquals("node names are unique", all.size(), names.size());
        for (NodeInfo n : all) {
            assertFalse("node name is blank", n.name().isBlank());
            assertNotNull("state of " + n.name(), n.state());
            assertTrue("cpus of " + n, n.cpus() > 0 && n.cpusAlloc() >= 0 && n.cpusAlloc() <= n.cpus());
            assertTrue("memory of " + n, n.memoryAllocMb() >= 0 && n.memoryAllocMb() <= n.memoryMb());
            assertTrue("gpus of " + n, n.gpusAlloc() >= 0 && n.gpusAlloc() <= n.gpus());
        }
        Partition p = fixturePartition(driver.partitions());
        List<NodeInfo> inPartition = all.stream().filter(n -> n.partitions().contains(p.name())).toList();
        assertEquals("nodes listing " + p.name(), p.nodes(), inPartition.size());
        assertEquals("cpus of the nodes of " + p.name(), p.cores(), inPartition.stream().mapToInt(NodeInfo::cpus).sum());
        assertEquals("node count in usage", driver.usage().total().nodes().total(), all.size());

        NodeInfo one = all.get(0);
        List<NodeInfo> selected = driver.nodes(Set.of(one.name()));
        assertEquals(1, selected.size());
        assertEquals(one.name(), selected.get(0).name());
        if (all.size() > 1) {
            Set<String> two = Set.of(all.get(0).name(), all.get(1).name());
            assertEquals(two, driver.nodes(two).stream().map(NodeInfo::name).collect(Collectors.toSet()));
        }
    }

    // ---- helpers ---------------------------------------------------------------------------------------------

    private ClusterAccount findAccount(String account) throws Exception {
        return find(driver.allAccounts(), account);
    }

    private static ClusterAccount find(List<ClusterAccount> accounts, String account) {
        return accounts.stream().filter(a -> a.name().equals(account)).findFirst()
                .orElseThrow(() -> new AssertionError("allAccounts lacks " + account));
    }

    private static List<String> memberIds(ClusterAccount account) {
        return account.users().stream().map(ClusterAccount.Member::userId).toList();
    }

    private static Map<String, Boolean> memberFlags(ClusterAccount account) {
        return account.users().stream()
                .collect(Collectors.toMap(ClusterAccount.Member::userId, ClusterAccount.Member::blocked));
    }

    private Partition fixturePartition(List<Partition> partitions) {
        return partitions.stream().filter(p -> p.name().equals(fx.partition())).findFirst()
                .orElseThrow(() -> new AssertionError("no partition " + fx.partition() + " in " + partitions));
    }

    private static Set<String> partitionNames(List<Partition> partitions) {
        return partitions.stream().map(Partition::name).collect(Collectors.toSet());
    }

    private void assertIds(JobFilter filter, String... expected) throws Exception {
        JobQuery.Result result = driver.queryJobs(JobQuery.of(filter));
        assertEquals("jobs matching " + filter, Set.of(expected), Set.copyOf(jobIds(result.jobs())));
        assertEquals("totalCount for " + filter, expected.length, result.totalCount());
    }

    private static List<String> jobIds(List<JobInfo> jobs) {
        return jobs.stream().map(JobInfo::jobId).toList();
    }

    private static List<String> names(JobQuery.Result result) {
        return result.jobs().stream().map(JobInfo::name).toList();
    }

    private static <T extends Comparable<? super T>> void assertSorted(String what, List<T> values) {
        for (int i = 1; i < values.size(); i++) {
            if (values.get(i - 1).compareTo(values.get(i)) > 0) {
                fail(what + " is not sorted: " + values);
            }
        }
    }

    private static int activeJobs(ClusterUsage.Usage usage) {
        return usage.runningJobs() + usage.pendingJobs();
    }

    private static void assertNonNegative(String what, ClusterUsage.Usage u) {
        for (ClusterUsage.Counts c : List.of(u.nodes(), u.cpus(), u.gpus())) {
            assertTrue(what + ": negative count " + c,
                    c.total() >= 0 && c.running() >= 0 && c.idle() >= 0 && c.unavailable() >= 0);
        }
        assertTrue(what + ": negative job counts", u.runningJobs() >= 0 && u.pendingJobs() >= 0);
    }
}
