package org.scow.scheduler.slurm;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.scow.scheduler.slurm.SlurmTestCluster.USER_A;
import static org.scow.scheduler.slurm.SlurmTestCluster.USER_B;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.Test;
import org.scow.api.scheduler.DriverFeature;
import org.scow.api.scheduler.ErrorCode;
import org.scow.api.scheduler.JobFilter;
import org.scow.api.scheduler.JobInfo;
import org.scow.api.scheduler.JobQuery;
import org.scow.api.scheduler.JobSpec;
import org.scow.api.scheduler.JobState;
import org.scow.api.scheduler.SchedulerDriver;

/** Slurm-specific behaviour on the real cluster, beyond the shared contract suite. */
public class SlurmDriverIT extends SlurmITSupport {

    @Test
    public void infoReportsTheInstalledSlurmVersion() throws Exception {
        String sinfo = SlurmTestCluster.run(Duration.ofSeconds(10), Map.of(), SlurmTestCluster.BIN_DIR + "/sinfo",
                "-V").out().strip();
        String version = sinfo.substring(sinfo.lastIndexOf(' ') + 1);
        assertEquals("Slurm " + version, driver.info().schedulerName());
        assertEquals(Set.of(DriverFeature.values()), driver.info().features());
    }

    /** The job's processes, its files and Slurm's records all belong to the submitting user, not to root. */
    @Test
    public void jobsRunAsTheSubmittingUser() throws Exception {
        String account = newAccount();
        driver.addUserToAccount(USER_B, account);
        Path dir = Files.createTempDirectory(Path.of(SlurmTestCluster.WORK_DIR), "slurm-it-");
        try {
            jobsRunAsTheSubmittingUser(account, dir);
        } finally {
            try (var files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    Files.delete(f);
                }
            }
            Files.delete(dir);
        }
    }

    private void jobsRunAsTheSubmittingUser(String account, Path dir) throws Exception {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        String a = driver.submitJob(spec(account, USER_A, "id -un > " + dir + "/a.txt")).jobId();
        String script = "#!/bin/bash\n#SBATCH --account=" + account + "\n#SBATCH --partition="
                + SlurmTestCluster.PARTITION + "\n#SBATCH --output=/dev/null\nid -un > b.txt\n";
        String b = driver.submitScript(USER_B, script, dir.toString()).jobId();

        assertEquals(JobState.COMPLETED, awaitFinished(a).state());
        assertEquals(JobState.COMPLETED, awaitFinished(b).state());
        assertEquals(USER_A, Files.readString(dir.resolve("a.txt")).strip());
        assertEquals(USER_A, Files.getOwner(dir.resolve("a.txt")).getName());
        assertEquals("submitScript ran in the given directory as the user", USER_B,
                Files.readString(dir.resolve("b.txt")).strip());
        assertEquals(USER_B, Files.getOwner(dir.resolve("b.txt")).getName());
        assertEquals(USER_A, driver.getJob(a).user());
        assertEquals(USER_B, driver.getJob(b).user());
    }

    /** Cancelling runs scancel as the owner: Slurm records who cancelled ("CANCELLED by <uid>"). */
    @Test
    public void cancelRunsAsTheOwner() throws Exception {
        String account = newAccount();
        String job = driver.submitJob(spec(account, USER_A, "sleep 300")).jobId();
        driver.cancelJob(USER_A, job);
        assertEquals(JobState.CANCELLED, awaitFinished(job).state());
        String uid = SlurmTestCluster.run(Duration.ofSeconds(10), Map.of(), "/usr/bin/id", "-u", USER_A).out()
                .strip();
        String state = "";
        for (int i = 0; i < 50 && !state.contains("by"); i++) {
            Thread.sleep(200);
            state = SlurmTestCluster.run(Duration.ofSeconds(30), Map.of(), SlurmTestCluster.BIN_DIR + "/sacct",
                    "-X", "-n", "-P", "-j", job, "-o", "State").out().strip();
        }
        assertEquals("CANCELLED by " + uid, state);
    }

    @Test
    public void jobFieldsFollowTheRequest() throws Exception {
        String account = newAccount();
        JobSpec spec = new JobSpec(USER_A, "fields job", account, SlurmTestCluster.PARTITION, null, 2, 2, 0, 200L,
                5L, "sleep 2\nexit 3", SlurmTestCluster.WORK_DIR, "/dev/null", "/dev/null", List.of());
        String id = driver.submitJob(spec).jobId();
        JobInfo live = driver.getJob(id);
        assertEquals("fields job", live.name());
        assertEquals(Integer.valueOf(4), live.cpusReq());
        assertEquals(Integer.valueOf(2), live.nodesReq());
        assertEquals(Long.valueOf(400), live.memReqMb());
        assertEquals(Integer.valueOf(0), live.gpusReq());
        assertEquals(Long.valueOf(5), live.timeLimitMinutes());
        assertEquals("/dev/null", live.stdoutPath());
        assertEquals(null, live.endTime());

        JobInfo done = awaitFinished(id);
        assertEquals(JobState.FAILED, done.state());
        assertEquals(Integer.valueOf(3), done.exitCode());
        assertEquals(Integer.valueOf(2), done.nodesAlloc());
        assertEquals(Integer.valueOf(4), done.cpusAlloc());
        assertEquals(Long.valueOf(400), done.memAllocMb());
        assertNotNull(done.nodeList());
        assertNotNull(done.startTime());
        assertNotNull(done.endTime());
        assertTrue("elapsed " + done.elapsedSeconds(), done.elapsedSeconds() >= 1);
    }

    @Test
    public void arrayTasksAreJobsOfTheirOwn() throws Exception {
        String account = newAccount();
        String script = "#!/bin/bash\n#SBATCH --account=" + account + "\n#SBATCH --array=1-2\n"
                + "#SBATCH --output=/dev/null\ntrue\n";
        String id = driver.submitScript(USER_A, script, SlurmTestCluster.WORK_DIR).jobId();
        assertEquals(JobState.COMPLETED, awaitFinished(id + "_1").state());
        assertEquals(JobState.COMPLETED, awaitFinished(id + "_2").state());
        List<String> ids = driver.queryJobs(JobQuery.of(JobFilter.ALL.withAccounts(Set.of(account)))).jobs()
                .stream().map(JobInfo::jobId).toList();
        assertEquals(List.of(id + "_1", id + "_2"), ids);
    }

    @Test
    public void blockedSubmissionCarriesSlurmsReason() throws Exception {
        String account = newAccount();
        driver.blockAccount(account);
        var e = expectError(ErrorCode.SUBMIT_FAILED, () -> driver.submitJob(spec(account, USER_A, "true")));
        assertTrue(e.getMessage(), e.getMessage().contains("AssocGrpSubmitJobsLimit"));
    }

    /** Deleting a user's default account moves the default to another account instead of leaving none. */
    @Test
    public void deletingTheDefaultAccountMovesIt() throws Exception {
        String ghost = uniqueName("ghost"); // a Slurm-only user: sacctmgr does not need a Unix account
        String first = uniqueName("it");
        driver.createAccount(first, ghost);
        String second = newAccount();
        driver.addUserToAccount(ghost, second);
        try {
            driver.deleteAccount(first);
            String dflt = SlurmTestCluster.run(Duration.ofSeconds(30), Map.of(), SlurmTestCluster.BIN_DIR
                    + "/sacctmgr", "-n", "-P", "show", "user", ghost, "format=DefaultAccount").out().strip();
            assertEquals(second, dflt);
        } finally {
            driver.deleteUser(ghost);
        }
        assertEquals(List.of(), driver.listAccounts(ghost));
    }

    /** A controller that does not answer makes operations fail with UNAVAILABLE within the timeout. */
    @Test
    public void unreachableSlurmIsUnavailableNotAHang() throws Exception {
        Path conf = Files.createTempFile("slurm-unreachable", ".conf");
        try {
            String real = Files.readString(Path.of("/etc/slurm/slurm.conf"));
            Files.writeString(conf, real.replaceAll("(?m)^SlurmctldPort=.*$", "SlurmctldPort=6999")
                    .replaceAll("(?m)^AccountingStoragePort=.*$", "AccountingStoragePort=6998"));
            try (SchedulerDriver broken = SlurmTestCluster.driver(Map.of("slurmConf", conf.toString(),
                    "timeoutSeconds", "3"))) {
                long start = System.nanoTime();
                var e = expectError(ErrorCode.UNAVAILABLE, broken::usage);
                long seconds = (System.nanoTime() - start) / 1_000_000_000L;
                assertTrue("took " + seconds + " s", seconds < 10);
                assertTrue(e.getMessage(), !e.getMessage().isBlank());
                expectError(ErrorCode.UNAVAILABLE, () -> broken.listAccounts(USER_A));
                assertTrue("info() needs no daemon", broken.info().schedulerName().startsWith("Slurm "));
            }
            try (SchedulerDriver missing = SlurmTestCluster.driver(Map.of("binDir", "/nonexistent"))) {
                expectError(ErrorCode.UNAVAILABLE, missing::partitions);
            }
        } finally {
            Files.deleteIfExists(conf);
        }
    }
}
