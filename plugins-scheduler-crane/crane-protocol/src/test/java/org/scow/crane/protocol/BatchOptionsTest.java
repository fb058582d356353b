package org.scow.crane.protocol;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.List;
import org.junit.Test;
import org.scow.crane.protocol.v1.JobRequest;

public class BatchOptionsTest {
    @Test
    public void directivesOfTheRelionExampleAndSlurmSpellings() throws Exception {
        String script = """
                #!/bin/bash
                #CBATCH --job-name=relion_map3d
                #CBATCH -p cpu
                #CBATCH -N 2
                #SBATCH --ntasks-per-node 2
                #CBATCH --mem=3400M   # per node
                #CBATCH -t 50:00:00
                #CBATCH -o crane_relion_map3d_%j.out
                #CBATCH --comment="two words"
                #CBATCH --exclusive
                echo $CRANE_JOB_NODELIST
                #CBATCH --partition=ignored-after-the-first-command
                """;
        JobRequest.Builder b = JobRequest.newBuilder().setWorkDir("/home/alice");
        BatchOptions.applyDirectives(script, b);
        assertEquals("relion_map3d", b.getName());
        assertEquals("cpu", b.getPartition());
        assertEquals(2, b.getNodes());
        assertEquals(2, b.getNtasksPerNode());
        assertEquals("3400M", b.getMem());
        assertEquals("50:00:00", b.getTimeLimit());
        assertEquals("crane_relion_map3d_%j.out", b.getStdout());
        assertEquals("two words", b.getComment());
        assertTrue(b.getExclusive());
    }

    @Test
    public void optionWordsAndErrors() throws Exception {
        JobRequest.Builder b = JobRequest.newBuilder().setWorkDir("/home/alice");
        BatchOptions.apply(List.of("-Aphys", "--chdir", "run1", "-H", "--gres=gpu:a100:2"), b);
        assertEquals("phys", b.getAccount());
        assertEquals("/home/alice/run1", b.getWorkDir());
        assertTrue(b.getHold());
        assertEquals("gpu:a100:2", b.getGres());
        for (List<String> bad : List.of(List.of("--bogus"), List.of("-N"), List.of("-N", "two"), List.of("--hold=yes"),
                List.of("plain"))) {
            assertThrows(bad.toString(), BatchOptions.BadOptionException.class,
                    () -> BatchOptions.apply(bad, JobRequest.newBuilder()));
        }
        assertThrows(BatchOptions.BadOptionException.class,
                () -> BatchOptions.applyDirectives("#CBATCH --comment=\"open\n", JobRequest.newBuilder()));
    }
}
