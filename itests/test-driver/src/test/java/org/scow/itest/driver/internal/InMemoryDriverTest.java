package org.scow.itest.driver.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.After;
import org.junit.Test;
import org.scow.api.scheduler.ClusterConfig;
import org.scow.api.scheduler.ClusterUsage;
import org.scow.api.scheduler.ErrorCode;
import org.scow.api.scheduler.JobInfo;
import org.scow.api.scheduler.JobQuery;
import org.scow.api.scheduler.JobSpec;
import org.scow.api.scheduler.JobState;
import org.scow.api.scheduler.NodeInfo;
import org.scow.api.scheduler.SchedulerException;

/** Behaviour of the in-memory scheduler beyond the adapter contract: queueing, time, settings, closing. */
public class InMemoryDriverTest {
    private InMemoryDriver driver;

    private InMemoryDriver start(String... keyValues) throws SchedulerException {
        Map<String, String> settings = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            settings.put(keyValues[i], keyValues[i + 1]);
        }
        driver = new InMemoryDriver(Settings.from(new ClusterConfig("unit", "Unit", "test", settings)));
        return driver;
    }

    @After
    public void close() {
        if (driver != null) {
            driver.close();
        }
    }

    private static JobSpec spec(String script, int cores, Long limit) {
        return new JobSpec("alice", "job", "acc", "debug", null, 1, cores, 0, null, limit, script, "/tmp", null,
                null, List.of());
    }

    private JobInfo await(String id, JobState state) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        JobInfo job;
        while ((job = driver.getJob(id)).state() != state) {
            if (System.nanoTime() > deadline) {
                fail("job " + id + " did not become " + state + ": " + job);
            }
            Thread.sleep(20);
        }
        return job;
    }

    @Test
    public void jobsQueueForResourcesAndStartWhenNodesFree() throws Exception {
        start("partitions", "debug", "nodes", "1", "cpusPerNode", "2", "memoryMbPerNode", "2000");
        driver.createAccount("acc", "alice");
        String a = driver.submitJob(spec("sleep 300", 1, 10L)).jobId();
        String b = driver.submitJob(spec("sleep 300", 1, 10L)).jobId();
        String c = driver.submitJob(spec("sleep 300", 1, 10L)).jobId();
        await(a, JobState.RUNNING);
        await(b, JobState.RUNNING);
        JobInfo waiting = driver.getJob(c);
        assertEquals(JobState.PENDING, waiting.state());
        assertEquals("Resources", waiting.reason());
        assertNull(waiting.nodeList());

        ClusterUsage.Usage u = driver.usage().total();
        assertEquals(new ClusterUsage.Counts(2, 2, 0, 0), u.cpus());
        assertEquals(new ClusterUsage.Counts(1, 1, 0, 0), u.nodes());
        assertEquals(2, u.runningJobs());
        assertEquals(1, u.pendingJobs());
        NodeInfo node = driver.nodes(Set.of()).get(0);
        assertEquals(NodeInfo.State.RUNNING, node.state());
        assertEquals(2000, node.memoryAllocMb());

        driver.cancelJob("alice", a);
        JobInfo started = await(c, JobState.RUNNING);
        assertEquals("node01", started.nodeList());
        assertEquals(Integer.valueOf(143), driver.getJob(a).exitCode());
    }

    @Test
    public void jobsBeyondTheLimitTimeOut() throws Exception {
        start("timeScale", "100");
        driver.createAccount("acc", "alice");
        String id = driver.submitJob(spec("sleep 120", 1, 1L)).jobId();
        JobInfo done = await(id, JobState.TIMEOUT);
        assertEquals(60, (long) done.elapsedSeconds(), 1);
        String longer = driver.submitJob(spec("sleep 120", 1, 1L)).jobId();
        driver.changeTimeLimit(longer, 2);
        assertEquals(JobState.COMPLETED, await(longer, JobState.COMPLETED).state());
    }

    @Test
    public void infeasibleJobsAreRefusedAtSubmission() throws Exception {
        start("cpusPerNode", "4", "gpusPerNode", "0");
        driver.createAccount("acc", "alice");
        try {
            driver.submitJob(spec("true", 5, null));
            fail("accepted 5 cores on 4-core nodes");
        } catch (SchedulerException e) {
            assertEquals(ErrorCode.SUBMIT_FAILED, e.code());
        }
        assertEquals(60L, driver.timeLimitMinutes(driver.submitJob(spec("true", 4, null)).jobId()));
    }

    @Test
    public void submitScriptDefaultsToTheUsersFirstAccountAndTheFirstPartition() throws Exception {
        start("partitions", "main,long", "gpusPerNode", "2");
        driver.createAccount("zeta", "alice");
        driver.createAccount("beta", "alice");
        JobInfo plain = driver.getJob(driver.submitScript("alice", "#!/bin/bash\ntrue\n", "/w").jobId());
        assertEquals("beta", plain.account());
        assertEquals("main", plain.partition());
        assertEquals("/w", plain.workingDirectory());
        String script = "#!/bin/bash\n#SBATCH -A zeta -p long -J named -N 2 -c 3 --gres=gpu:1 -t 2:00:00 -o o-%j\n"
                + "true\n";
        JobInfo directed = driver.getJob(driver.submitScript("alice", script, "/w").jobId());
        assertEquals(List.of("zeta", "long", "named", 2, 6, 2, 120L, "/w/o-" + directed.jobId()),
                List.of(directed.account(), directed.partition(), directed.name(), directed.nodesReq(),
                        directed.cpusReq(), directed.gpusReq(), directed.timeLimitMinutes(), directed.stdoutPath()));
        try {
            driver.submitScript("bob", "true", "/w");
            fail("a user without accounts submitted");
        } catch (SchedulerException e) {
            assertEquals(ErrorCode.SUBMIT_FAILED, e.code());
        }
    }

    @Test
    public void downNodesAreUnavailable() throws Exception {
        start("nodes", "3", "downNodes", "1", "cpusPerNode", "4", "gpusPerNode", "1");
        ClusterUsage.Usage u = driver.usage().total();
        assertEquals(new ClusterUsage.Counts(3, 0, 2, 1), u.nodes());
        assertEquals(new ClusterUsage.Counts(12, 0, 8, 4), u.cpus());
        assertEquals(new ClusterUsage.Counts(3, 0, 2, 1), u.gpus());
        NodeInfo down = driver.nodes(Set.of("node03")).get(0);
        assertEquals(NodeInfo.State.NOT_AVAILABLE, down.state());
        assertEquals("simulated down", down.reason());
    }

    @Test
    public void badSettingsNameTheSetting() {
        for (String[] bad : new String[][] {{"nodes", "0"}, {"cpusPerNode", "x"}, {"features", "FLYING"},
                {"partitions", "a b"}, {"downNodes", "9"}, {"timeScale", "0"}}) {
            try {
                start(bad);
                fail("accepted " + bad[0] + "=" + bad[1]);
            } catch (SchedulerException e) {
                assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
                assertEquals("driver." + bad[0], e.details().get("field"));
            }
        }
    }

    @Test
    public void aClosedDriverIsUnavailable() throws Exception {
        start();
        driver.close();
        try {
            driver.listAccounts("alice");
            fail("a closed driver answered");
        } catch (SchedulerException e) {
            assertEquals(ErrorCode.UNAVAILABLE, e.code());
        }
        assertEquals("test", driver.info().type());
    }

    @Test
    public void concurrentClientsSeeConsistentState() throws Exception {
        start("nodes", "2", "cpusPerNode", "4", "jobDurationMs", "20", "scheduleDelayMs", "0");
        driver.createAccount("acc", "alice");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        Set<String> ids = ConcurrentHashMap.newKeySet();
        List<Future<?>> work = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            work.add(pool.submit(() -> {
                for (int i = 0; i < 25; i++) {
                    ids.add(driver.submitJob(spec("true", 1, 5L)).jobId());
                    driver.usage();
                    driver.queryJobs(JobQuery.all());
                }
                return null;
            }));
        }
        for (Future<?> f : work) {
            f.get(30, TimeUnit.SECONDS);
        }
        pool.shutdown();
        assertEquals("job ids are unique", 100, ids.size());
        for (String id : ids) {
            await(id, JobState.COMPLETED);
        }
        ClusterUsage.Usage idle = driver.usage().total();
        assertEquals("every allocation was released", 0, idle.cpus().running());
        assertTrue(driver.queryJobs(JobQuery.all()).totalCount() == 100);
    }
}
