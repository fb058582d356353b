package org.scow.api.scheduler.util;

import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import org.junit.Test;

public class NamesTest {
    @Test
    public void acceptsSchedulerSafeNames() {
        for (String ok : new String[] {"a", "0", "alice", "acc_1", "hpc.team-2", "A".repeat(64)}) {
            assertTrue(ok, Names.isValid(ok));
        }
    }

    @Test
    public void rejectsUnsafeNames() {
        for (String bad : new String[] {null, "", " ", "-x", ".x", "_x", "a b", "a;b", "a'b", "a\"b", "a$b",
                "a/b", "a\nb", "a=b", "中文", "A".repeat(65)}) {
            assertFalse(String.valueOf(bad), Names.isValid(bad));
        }
    }
}
