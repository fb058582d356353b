package org.scow.itest.driver.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.util.List;
import java.util.Map;

import org.junit.Test;
import org.scow.api.scheduler.ErrorCode;
import org.scow.api.scheduler.util.BatchScript;
import org.scow.api.scheduler.JobSpec;
import org.scow.api.scheduler.SchedulerException;

public class ScriptTest {
    @Test
    public void lastCommandDecidesTheExitCode() {
        assertEquals(0, Script.parse("echo hi").exitCode());
        assertEquals(1, Script.parse("echo hi\nfalse").exitCode());
        assertEquals(1, Script.parse("#!/bin/bash\necho x\nexit 1\n\n# trailing comment\n").exitCode());
        assertEquals(3, Script.parse("true; exit 3").exitCode());
        assertEquals(0, Script.parse("false\ntrue").exitCode());
        assertEquals(0, Script.parse("exit").exitCode());
    }

    @Test
    public void sleepsAddUpToTheRunTime() {
        assertNull(Script.parse("echo hi").sleepMs());
        assertEquals(200, Script.parse("echo hi").durationMs(200));
        assertEquals(300_000L, (long) Script.parse("sleep 300").sleepMs());
        assertEquals(1_500L + 120_000L, (long) Script.parse("sleep 1.5\necho x && sleep 2m").sleepMs());
        assertEquals(3_600_000L, Script.parse("sleep 1h").durationMs(200));
    }

    @Test
    public void readsLongAndShortDirectives() {
        Script s = Script.parse("#!/bin/bash\n#SBATCH --account=a1 --partition long\n#SBATCH -J my-job -N 2\n"
                + "#SBATCH -c4\n#SBATCH --exclusive\n#SBATCH --time=1:30:00\necho run\n#SBATCH --qos=late\n");
        assertEquals(Map.of("account", "a1", "partition", "long", "job-name", "my-job", "nodes", "2",
                "cpus-per-task", "4", "exclusive", "true", "time", "1:30:00", "qos", "late"), s.directives());
    }

    @Test
    public void parsesSlurmTimeLimits() throws SchedulerException {
        assertEquals(10, Script.minutes("10"));
        assertEquals(2, Script.minutes("1:30"));
        assertEquals(90, Script.minutes("1:30:00"));
        assertEquals(1440 + 120, Script.minutes("1-2"));
        assertEquals(1440 + 125, Script.minutes("1-2:05"));
        assertEquals(1440 + 126, Script.minutes("1-2:05:30"));
        for (String bad : List.of("", "x", "0", "1:2:3:4", "-5")) {
            try {
                Script.minutes(bad);
                fail("accepted time limit '" + bad + "'");
            } catch (SchedulerException e) {
                assertEquals(ErrorCode.SUBMIT_FAILED, e.code());
            }
        }
    }

    @Test
    public void parsesMemoryAndGres() throws SchedulerException {
        assertEquals(512, Script.megabytes("512"));
        assertEquals(512, Script.megabytes("512M"));
        assertEquals(4096, Script.megabytes("4G"));
        assertEquals(1, Script.megabytes("100K"));
        assertEquals(2, Script.gpus("gpu:2"));
        assertEquals(3, Script.gpus("gpu:a100:3"));
        assertEquals(1, Script.gpus("gpu"));
        assertEquals(0, Script.gpus("mps:100"));
        try {
            Script.megabytes("lots");
            fail("accepted memory 'lots'");
        } catch (SchedulerException e) {
            assertEquals(ErrorCode.SUBMIT_FAILED, e.code());
        }
    }

    @Test
    public void parsesTheSharedRenderingOfASpec() throws Exception {
        JobSpec spec = new JobSpec("alice", "n", "a1", "debug", null, 2, 4, 1, 1000L, 30L,
                "#!/bin/sh\necho hi", "/tmp", "out-%j", null, List.of("--exclusive"));
        String script = BatchScript.render(spec, BatchScript.SBATCH);
        assertTrue(script, script.startsWith("#!/bin/sh\n#SBATCH --job-name=n\n"));
        assertTrue(script, script.endsWith("#SBATCH --exclusive\necho hi\n"));
        Script back = Script.parse(script);
        assertEquals(Map.of("job-name", "n", "account", "a1", "partition", "debug", "nodes", "2",
                "ntasks-per-node", "1", "cpus-per-task", "4", "gres", "gpu:1", "mem", "1000M", "time", "30",
                "chdir", "/tmp"), Map.copyOf(filter(back.directives())));
    }

    private static Map<String, String> filter(Map<String, String> d) {
        Map<String, String> copy = new java.util.HashMap<>(d);
        copy.remove("output");
        copy.remove("exclusive");
        return copy;
    }
}
