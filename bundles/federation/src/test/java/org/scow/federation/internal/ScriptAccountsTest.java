package org.scow.federation.internal;

import static org.junit.Assert.assertEquals;

import java.util.Optional;
import java.util.Set;
import org.junit.Test;
import org.scow.api.scheduler.ErrorCode;
import org.scow.api.scheduler.SchedulerException;

public class ScriptAccountsTest {
    @Test
    public void everyFormIsRewritten() throws Exception {
        ScriptAccounts.Result r = ScriptAccounts.rewrite("#!/bin/sh\n#SBATCH --account=p1 -N 1\n#SBATCH -A p2\n"
                + "#CBATCH --account p3\n#SBATCH -Ap4 # note -A x\necho -A p9 --account=p9",
                a -> Optional.of("l-" + a));
        assertEquals("#!/bin/sh\n#SBATCH --account=l-p1 -N 1\n#SBATCH -A l-p2\n#CBATCH --account l-p3\n"
                + "#SBATCH -Al-p4 # note -A x\necho -A p9 --account=p9", r.script());
        assertEquals(Set.of("p1", "p2", "p3", "p4"), r.accounts());
    }

    @Test
    public void ungrantedAccountsAndIdentityOptionsAreRefused() {
        try {
            ScriptAccounts.rewrite("#SBATCH -A mine", a -> Optional.empty());
        } catch (SchedulerException e) {
            assertEquals(ErrorCode.ACCOUNT_NOT_FOUND, e.code());
        }
        try {
            ScriptAccounts.rewrite("#SBATCH --uid=0", a -> Optional.of(a));
            org.junit.Assert.fail();
        } catch (SchedulerException e) {
            assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
        }
    }
}
