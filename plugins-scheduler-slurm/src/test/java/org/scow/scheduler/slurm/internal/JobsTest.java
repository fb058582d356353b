package org.scow.scheduler.slurm.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.scow.scheduler.slurm.internal.AccountsTest.expect;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.Test;
import org.scow.api.scheduler.util.BatchScript;
import org.scow.api.scheduler.ClusterConfig;
import org.scow.api.scheduler.ErrorCode;
import org.scow.api.scheduler.JobFilter;
import org.scow.api.scheduler.JobInfo;
import org.scow.api.scheduler.JobQuery;
import org.scow.api.scheduler.JobSpec;
import org.scow.api.scheduler.JobState;
import org.scow.api.scheduler.TimeRange;

/** Commands behind job operations, against canned squeue/sacct output. */
public class JobsTest {
    private static final String S = SlurmCli.SEP;
    private static final String ALICE = "alice:x:1001:1001::/home/alice:/bin/bash\n";

    private final FakeRunner runner = new FakeRunner().on("getent passwd", ALICE);

    private Jobs jobs() throws Exception {
        return new Jobs(cli(), reader());
    }

    private JobReader reader() throws Exception {
        return new JobReader(cli());
    }

    private SlurmCli cli() throws Exception {
        return cli(Map.of());
    }

    private SlurmCli cli(Map<String, String> extra) throws Exception {
        Map<String, String> settings = new java.util.HashMap<>(Map.of("cluster", "local", "binDir", "/opt/slurm/bin"));
        settings.putAll(extra);
        return new SlurmCli(SlurmSettings.from(new ClusterConfig("t", "T", "slurm", settings)), runner);
    }

    private static String squeueRow(String id, String user, String state, String end, String exit) {
        return String.join(S, id, "job" + id, "phys", user, "debug", "normal", state, "None", "1", "1",
                "cpu=1,mem=100M,node=1", "N/A", "N/A", "10:00", "2026-11-24T00:00:00", "2026-11-24T00:00:01", end,
                "0:05", "/tmp", "/tmp/slurm-" + id + ".out", "/tmp/slurm-" + id + ".out", "c1", exit) + S + "\n";
    }

    private static String sacctRow(String id, String state, String end) {
        return String.join(S, id, "job" + id, "phys", "alice", "debug", "normal", state, "None", "1", "1",
                "cpu=1,mem=100M,node=1", "100M", "10", "2026-11-24T00:00:00", "2026-11-24T00:00:01", end, "5",
                "/tmp", "c1", "1", "1", "cpu=1,mem=100M,node=1", "0:0") + "\n";
    }

    @Test
    public void submitRunsSbatchAsTheUserInACleanEnvironment() throws Exception {
        runner.on("sbatch", "123;local\n");
        JobSpec spec = new JobSpec("alice", "sim", "phys", "debug", null, 1, 2, 0, null, 10L, "echo hi", "/tmp",
                null, null, List.of());
        assertEquals("123", jobs().submit(spec).jobId());
        Command sbatch = runner.commands.stream().filter(c -> c.argv().contains("/opt/slurm/bin/sbatch"))
                .findFirst().orElseThrow();
        assertEquals(List.of("/usr/sbin/runuser", "-u", "alice", "--", "/opt/slurm/bin/sbatch", "--parsable"),
                sbatch.argv());
        assertEquals(BatchScript.render(spec, BatchScript.SBATCH), sbatch.stdin());
        assertEquals("/home/alice", sbatch.env().get("HOME"));
        assertEquals("alice", sbatch.env().get("USER"));
        assertFalse("the platform's environment stays out of jobs", sbatch.env().containsKey("JAVA_HOME"));
        assertEquals("/tmp", sbatch.directory().toString());
    }

    @Test
    public void sbatchRefusalIsSubmitFailedWithSlurmsReason() throws Exception {
        runner.on("sbatch", new CommandResult(1, "", "sbatch: error: AssocGrpSubmitJobsLimit\n"
                + "sbatch: error: Batch job submission failed: Job violates accounting/QOS policy\n"));
        var e = expect(ErrorCode.SUBMIT_FAILED, () -> jobs().submitScript("alice", "#!/bin/sh\ntrue\n", "/tmp"));
        assertEquals("AssocGrpSubmitJobsLimit; Batch job submission failed: Job violates accounting/QOS policy",
                e.details().get("reason"));
    }

    @Test
    public void submitterMustBeAnOrdinaryUnixUser() throws Exception {
        runner.on("getent passwd root", "root:x:0:0:root:/root:/bin/bash\n");
        expect(ErrorCode.PERMISSION_DENIED, () -> jobs().submitScript("root", "#!/bin/sh\ntrue\n", "/tmp"));
        runner.on("getent passwd nobody1", new CommandResult(2, "", ""));
        expect(ErrorCode.USER_NOT_FOUND, () -> jobs().submitScript("nobody1", "#!/bin/sh\ntrue\n", "/tmp"));
        expect(ErrorCode.INVALID_ARGUMENT, () -> jobs().submitScript("alice", "#!/bin/sh\ntrue\n", "rel/dir"));
        expect(ErrorCode.INVALID_ARGUMENT, () -> jobs().submitScript("alice", "#!/bin/sh\ntrue\n", "/no/such/dir"));
        assertTrue(runner.lines("sbatch").isEmpty());
    }

    @Test
    public void systemAccountsNeverSubmitWhateverTheSettings() throws Exception {
        runner.on("getent passwd root", "root:x:0:0:root:/root:/bin/bash\n");
        runner.on("getent passwd toor", "toor:x:0:0:root:/root:/bin/bash\n");
        runner.on("getent passwd daemon", "daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n");
        String script = "#!/bin/sh\ntrue\n";
        var e = expect(ErrorCode.PERMISSION_DENIED, () -> jobs().submitScript("root", script, "/tmp"));
        assertTrue(e.getMessage(), e.getMessage().startsWith("user 'root' is a system account"));
        assertEquals("root", e.details().get("user"));
        e = expect(ErrorCode.PERMISSION_DENIED, () -> jobs().submitScript("daemon", script, "/tmp"));
        assertTrue(e.getMessage(), e.getMessage().startsWith("user 'daemon' is a system account (uid 1, below driver.minSubmitUid 1000)"));
        // minSubmitUid=0 and an empty deny list still keep uid 0 out, under any name
        Jobs open = new Jobs(cli(Map.of("minSubmitUid", "0", "deniedUsers", "none")), reader());
        e = expect(ErrorCode.PERMISSION_DENIED, () -> open.submitScript("toor", script, "/tmp"));
        assertTrue(e.getMessage(), e.getMessage().startsWith("user 'toor' is a system account (uid 0)"));
        expect(ErrorCode.PERMISSION_DENIED, () -> open.submitScript("root", script, "/tmp"));
        // the deny list works by name, before any lookup
        Jobs denyAlice = new Jobs(cli(Map.of("deniedUsers", "root,alice")), reader());
        e = expect(ErrorCode.PERMISSION_DENIED, () -> denyAlice.submitScript("alice", script, "/tmp"));
        assertTrue(e.getMessage(), e.getMessage().contains("driver.deniedUsers"));
        assertTrue(runner.lines("sbatch").isEmpty());
        // the explicit opt-in
        runner.on("sbatch", "7\n");
        Jobs rootAllowed = new Jobs(cli(Map.of("minSubmitUid", "0", "deniedUsers", "", "allowRootJobs", "true")), reader());
        assertEquals("7", rootAllowed.submitScript("root", script, "/tmp").jobId());
    }

    @Test
    public void getJobPrefersSqueueWhileActive() throws Exception {
        runner.on("squeue", squeueRow("7", "alice", "RUNNING", "2026-11-24T00:10:01", "0"));
        runner.on("sacct", sacctRow("7", "RUNNING", "Unknown"));
        JobInfo j = reader().get("7");
        assertEquals(JobState.RUNNING, j.state());
        assertNull(j.endTime());
        assertTrue("no need to ask sacct", runner.lines("sacct").isEmpty());
    }

    @Test
    public void getJobUsesSqueuesEndUntilSacctHasIt() throws Exception {
        runner.on("squeue", squeueRow("7", "alice", "COMPLETED", "2026-11-24T00:00:06", "0"));
        runner.on("sacct", sacctRow("7", "RUNNING", "Unknown"));
        JobInfo j = reader().get("7");
        assertEquals(JobState.COMPLETED, j.state());
        assertEquals(Instant.parse("2026-11-24T00:00:06Z"), j.endTime());
    }

    @Test
    public void getJobTakesSacctsFinalRecordWithSqueuesOutputPaths() throws Exception {
        runner.on("squeue", squeueRow("7", "alice", "COMPLETED", "2026-11-24T00:00:06", "0"));
        runner.on("sacct", sacctRow("7", "COMPLETED", "2026-11-24T00:00:06"));
        JobInfo j = reader().get("7");
        assertEquals(Integer.valueOf(0), j.exitCode());
        assertEquals("/tmp/slurm-7.out", j.stdoutPath());
    }

    @Test
    public void unknownJob() throws Exception {
        runner.on("squeue", new CommandResult(1, "", "slurm_load_jobs error: Invalid job id specified\n"));
        expect(ErrorCode.JOB_NOT_FOUND, () -> reader().get("999999999"));
        expect(ErrorCode.INVALID_ARGUMENT, () -> reader().get("12; rm -rf /"));
    }

    @Test
    public void cancelChecksOwnerAndStateThenRunsScancelAsTheUser() throws Exception {
        runner.on("squeue", squeueRow("7", "bob", "RUNNING", "N/A", "0"));
        expect(ErrorCode.PERMISSION_DENIED, () -> jobs().cancel("alice", "7"));
        runner.on("--jobs=8", squeueRow("8", "alice", "COMPLETED", "2026-11-24T00:00:06", "0"));
        runner.on("sacct", sacctRow("8", "COMPLETED", "2026-11-24T00:00:06"));
        expect(ErrorCode.INVALID_STATE, () -> jobs().cancel("alice", "8"));
        assertTrue(runner.lines("scancel").isEmpty());

        runner.on("--jobs=9", squeueRow("9", "alice", "PENDING", "N/A", "0"));
        jobs().cancel("alice", "9");
        assertEquals(List.of("runuser -u alice -- /opt/slurm/bin/scancel 9"), runner.lines("scancel"));
    }

    @Test
    public void timeLimitChangeKeepsAtLeastOneMinute() throws Exception {
        runner.on("squeue", squeueRow("7", "alice", "RUNNING", "N/A", "0"));
        expect(ErrorCode.INVALID_ARGUMENT, () -> jobs().changeTimeLimit("7", -10));
        jobs().changeTimeLimit("7", 5);
        assertEquals(List.of("scontrol update JobId=7 TimeLimit=15"), runner.lines("scontrol update"));
    }

    @Test
    public void queryPushesFiltersDownAndMergesBothSources() throws Exception {
        runner.on("sacct", sacctRow("1", "COMPLETED", "2026-11-24T00:00:06") + sacctRow("2", "RUNNING", "Unknown"));
        runner.on("squeue", squeueRow("2", "alice", "COMPLETED", "2026-11-24T00:00:09", "0")
                + squeueRow("3", "alice", "PENDING", "N/A", "0"));
        JobFilter f = JobFilter.ALL.withUsers(Set.of("alice")).withAccounts(Set.of("phys")).withName("x");
        JobQuery.Result r = reader().query(JobQuery.of(f.withName(null)));
        assertEquals(3, r.totalCount());
        assertEquals(JobState.COMPLETED, r.jobs().get(1).state());

        reader().query(JobQuery.of(f));
        String sacct = runner.lines("sacct").get(1);
        assertTrue(sacct, sacct.contains("--user=alice --account=phys --name=x -S 1970-01-01T00:00:00"));
        String squeue = runner.lines("squeue").get(1);
        assertTrue(squeue, squeue.contains("--user=alice --account=phys --name=x --states=all"));
    }

    @Test
    public void endTimeRangePushesDownAsFinishedStatesWindow() throws Exception {
        TimeRange range = new TimeRange(Instant.parse("2026-11-01T00:00:00Z"), Instant.parse("2026-11-02T00:00:00Z"));
        reader().query(JobQuery.of(JobFilter.ALL.withEndTime(range).withStates(Set.of(JobState.FAILED))));
        String sacct = runner.lines("sacct").get(0);
        assertTrue(sacct, sacct.endsWith("--state=FAILED,BOOT_FAIL -S 2026-11-01T00:00:00 -E 2026-11-02T00:00:00"));
        assertTrue("only finished jobs have an end", runner.lines("squeue").get(0).contains("--states=all"));
    }

    @Test
    public void activeOnlyQueriesSkipSacct() throws Exception {
        reader().query(JobQuery.of(JobFilter.ALL.withStates(Set.of(JobState.PENDING))));
        assertTrue(runner.lines("sacct").isEmpty());
        assertTrue(runner.lines("squeue").get(0).endsWith(
                "--states=PENDING,REQUEUED,REQUEUE_HOLD,REQUEUE_FED,RESV_DEL_HOLD"));
    }

    @Test
    public void unknownUsersAreFilteredInMemory() throws Exception {
        runner.on("getent passwd ghost", new CommandResult(2, "", ""));
        reader().query(JobQuery.of(JobFilter.ALL.withUsers(Set.of("ghost"))));
        assertFalse(runner.lines("sacct").get(0).contains("--user"));
    }
}
