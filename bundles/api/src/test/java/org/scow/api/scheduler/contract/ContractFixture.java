package org.scow.api.scheduler.contract;

import java.time.Duration;
import java.util.Objects;

import org.scow.api.scheduler.util.Names;

/**
 * What {@link SchedulerDriverContract} needs to know about the live cluster behind the driver under test.
 *
 * @param driverType        the type the driver must report in {@code info().type()}, e.g. {@code slurm}
 * @param userA             an existing Unix user that may run jobs; owns the accounts the suite creates
 * @param userB             a second existing Unix user that may run jobs; its scheduler memberships are disposable
 *                          (the suite deletes it from the scheduler once, see {@code deleteUserRemovesEveryMembership})
 * @param partition         an existing, up partition both users may submit to
 * @param workingDirectory  an absolute directory both users can write to on the compute nodes, e.g. {@code /tmp}
 * @param namePrefix        prefix of every account and job name the suite creates; make it unique per run (see
 *                          {@link #uniquePrefix}) so repeated runs do not collide. Letters and digits, at most 24.
 * @param timeout           how long to wait for a job to reach a state, or for the scheduler to show a change
 */
public record ContractFixture(String driverType, String userA, String userB, String partition,
                              String workingDirectory, String namePrefix, Duration timeout) {

    public ContractFixture {
        Objects.requireNonNull(driverType, "driverType");
        requireName("userA", userA);
        requireName("userB", userB);
        requireName("partition", partition);
        if (userA.equals(userB)) {
            throw new IllegalArgumentException("userA and userB must be different users");
        }
        if (workingDirectory == null || !workingDirectory.startsWith("/")) {
            throw new IllegalArgumentException("workingDirectory must be absolute: " + workingDirectory);
        }
        if (namePrefix == null || !namePrefix.matches("[a-z][a-z0-9]{0,23}")) {
            throw new IllegalArgumentException(
                    "namePrefix must be 1..24 lower-case letters and digits, starting with a letter: " + namePrefix);
        }
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive");
        }
    }

    /** {@code base} followed by the current time in base 36: distinct for runs started a millisecond apart. */
    public static String uniquePrefix(String base) {
        return base + Long.toString(System.currentTimeMillis(), 36);
    }

    private static void requireName(String field, String value) {
        if (!Names.isValid(value)) {
            throw new IllegalArgumentException(field + " '" + value + "' " + Names.RULE);
        }
    }
}
