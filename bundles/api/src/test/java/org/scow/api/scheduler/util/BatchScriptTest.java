package org.scow.api.scheduler.util;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import org.scow.api.scheduler.ErrorCode;
import org.scow.api.scheduler.JobSpec;
import org.scow.api.scheduler.SchedulerException;
import java.util.List;
import org.junit.Test;

public class BatchScriptTest {

    private static JobSpec spec(String name, String script, Long mem, Long time, int gpus, List<String> extra) {
        return new JobSpec("alice", name, "physics", "debug", null, 2, 4, gpus, mem, time, script, "/home/alice/run",
                null, null, extra);
    }

    @Test
    public void everyOptionBecomesADirective() throws Exception {
        String s = BatchScript.render(new JobSpec("alice", "sim", "physics", "debug", "high", 2, 4, 1, 2048L, 30L,
                "srun ./sim", "/home/alice/run", "out-%j.txt", "err-%j.txt", List.of("--exclusive")), BatchScript.SBATCH);
        assertEquals("#!/bin/bash\n"
                + "#SBATCH --job-name=sim\n"
                + "#SBATCH --account=physics\n"
                + "#SBATCH --partition=debug\n"
                + "#SBATCH --qos=high\n"
                + "#SBATCH --nodes=2\n"
                + "#SBATCH --ntasks-per-node=1\n"
                + "#SBATCH --cpus-per-task=4\n"
                + "#SBATCH --gres=gpu:1\n"
                + "#SBATCH --mem=2048M\n"
                + "#SBATCH --time=30\n"
                + "#SBATCH --chdir=/home/alice/run\n"
                + "#SBATCH --output=out-%j.txt\n"
                + "#SBATCH --error=err-%j.txt\n"
                + "#SBATCH --exclusive\n"
                + "srun ./sim\n", s);
    }

    @Test
    public void optionalOptionsAreLeftOut() throws Exception {
        String s = BatchScript.render(spec("sim", "true", null, null, 0, List.of()), BatchScript.SBATCH);
        assertTrue(!s.contains("--mem") && !s.contains("--time") && !s.contains("--gres") && !s.contains("--qos")
                && !s.contains("--output"));
    }

    @Test
    public void theScriptsOwnShebangComesFirst() throws Exception {
        String s = BatchScript.render(spec("py", "#!/usr/bin/env python3\nprint('hi')", null, null, 0, List.of()), BatchScript.SBATCH);
        assertTrue(s, s.startsWith("#!/usr/bin/env python3\n#SBATCH --job-name=py\n"));
        assertTrue(s, s.endsWith("#SBATCH --chdir=/home/alice/run\nprint('hi')\n"));
    }

    @Test
    public void aLineBreakInAValueCannotStartANewScriptLine() {
        JobSpec bad = new JobSpec("alice", "sim", "physics", "debug", null, 1, 1, 0, null, null, "true", "/tmp",
                "out.txt\nrm -rf ~", null, List.of());
        SchedulerException e = null;
        try {
            BatchScript.render(bad, BatchScript.SBATCH);
        } catch (SchedulerException expected) {
            e = expected;
        }
        assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
        assertEquals("stdout", e.details().get("field"));
    }

    @Test
    public void valuesWithSpacesOrQuotesAreQuotedTheWaySbatchReadsThem() throws Exception {
        assertEquals("plain-name_1.0", BatchScript.quote("plain-name_1.0"));
        assertEquals("\"my job\"", BatchScript.quote("my job"));
        assertEquals("\"say \\\"hi\\\"\"", BatchScript.quote("say \"hi\""));
        assertEquals("\"a\\\\b c#d\"", BatchScript.quote("a\\b c#d"));
        assertTrue(BatchScript.render(spec("my job", "true", null, null, 0, List.of()), BatchScript.SBATCH)
                .contains("#SBATCH --job-name=\"my job\"\n"));
    }
}
