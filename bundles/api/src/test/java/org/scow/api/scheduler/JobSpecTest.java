package org.scow.api.scheduler;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

import org.junit.Test;

public class JobSpecTest {
    private static final JobSpec VALID = new JobSpec("alice", "my job", "acc-1", "debug", "normal", 2, 4, 1, 1024L,
            30L, "echo hi", "/home/alice", "out-%j.txt", null, List.of("--exclusive"));

    /** A copy of {@link #VALID} with some components replaced, addressed by record component order. */
    private static JobSpec with(UnaryOperator<Object[]> change) {
        Object[] v = {VALID.user(), VALID.name(), VALID.account(), VALID.partition(), VALID.qos(), VALID.nodes(),
                VALID.coresPerNode(), VALID.gpusPerNode(), VALID.memoryMbPerNode(), VALID.timeLimitMinutes(),
                VALID.script(), VALID.workingDirectory(), VALID.stdout(), VALID.stderr(), VALID.extraOptions()};
        v = change.apply(v);
        @SuppressWarnings("unchecked")
        List<String> extra = (List<String>) v[14];
        return new JobSpec((String) v[0], (String) v[1], (String) v[2], (String) v[3], (String) v[4], (int) v[5],
                (int) v[6], (int) v[7], (Long) v[8], (Long) v[9], (String) v[10], (String) v[11], (String) v[12],
                (String) v[13], extra);
    }

    private static JobSpec set(int index, Object value) {
        return with(v -> {
            v[index] = value;
            return v;
        });
    }

    private static void assertInvalid(String field, JobSpec spec) {
        try {
            spec.validate();
            fail("accepted a bad " + field);
        } catch (SchedulerException e) {
            assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
            assertEquals(field, e.details().get("field"));
        }
    }

    @Test
    public void validSpecPasses() throws SchedulerException {
        VALID.validate();
        set(4, null).validate();           // qos optional
        set(8, null).validate();           // memory: partition default
        set(9, null).validate();           // time limit: partition default
        set(7, 0).validate();              // no GPUs
        assertEquals(8, VALID.totalCores());
    }

    @Test
    public void validateNamesTheFirstBadField() {
        assertInvalid("user", set(0, null));
        assertInvalid("user", set(0, "bad user"));
        assertInvalid("name", set(1, " "));
        assertInvalid("name", set(1, "x".repeat(201)));
        assertInvalid("name", set(1, "line\nbreak"));
        assertInvalid("account", set(2, "-acc"));
        assertInvalid("partition", set(3, "deb;ug"));
        assertInvalid("qos", set(4, "q o s"));
        assertInvalid("nodes", set(5, 0));
        assertInvalid("coresPerNode", set(6, 0));
        assertInvalid("gpusPerNode", set(7, -1));
        assertInvalid("memoryMbPerNode", set(8, 0L));
        assertInvalid("timeLimitMinutes", set(9, 0L));
        assertInvalid("script", set(10, "  \n"));
        assertInvalid("script", set(10, null));
        assertInvalid("workingDirectory", set(11, "relative"));
        assertInvalid("workingDirectory", set(11, null));
        assertInvalid("workingDirectory", set(11, "/tmp\n#SBATCH --uid=0"));
        assertInvalid("stdout", set(12, "out.txt\nrm -rf ~"));
        assertInvalid("stderr", set(13, "err\u0000"));
        List<String> withBlank = new ArrayList<>(List.of("--a", " "));
        assertInvalid("extraOptions", set(14, withBlank));
        assertInvalid("extraOptions", set(14, List.of("--a\n--b")));
        assertInvalid("user", with(v -> {
            v[0] = "";
            v[5] = 0;
            return v;
        }));
    }

    @Test
    public void extraOptionsDefaultToEmpty() {
        assertEquals(List.of(), set(14, null).extraOptions());
    }
}
