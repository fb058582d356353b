package org.scow.scheduler.slurm.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * One row of {@code sacctmgr show assoc}: the account's own association ({@code user} empty), a user's association
 * in the account ({@code partition} empty) or a user's partition-specific association. Limits are null when unset.
 */
public record Association(String account, String user, String partition, Integer grpSubmitJobs, Integer grpJobs,
                          Integer maxSubmitJobs, Integer maxJobs, String qos, String defaultQos) {

    /** The {@code format=} of {@code sacctmgr show assoc} that {@link #parse} reads. */
    public static final String FORMAT = "Account,User,Partition,GrpSubmitJobs,GrpJobs,MaxSubmitJobs,MaxJobs,QOS,"
            + "DefaultQOS";

    public boolean isAccount() {
        return user.isEmpty();
    }

    public boolean isPartitionSpecific() {
        return !partition.isEmpty();
    }

    /** The account (or partition) block: no submissions under this association or any below it. */
    public boolean grpBlocked() {
        return Integer.valueOf(0).equals(grpSubmitJobs);
    }

    /** The user block: this user may not submit through this association. */
    public boolean maxBlocked() {
        return Integer.valueOf(0).equals(maxSubmitJobs);
    }

    /** Parses {@code sacctmgr -n -P show assoc format=}{@value #FORMAT} output. */
    public static List<Association> parse(String output) {
        List<Association> out = new ArrayList<>();
        for (String line : output.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split("\\|", -1);
            if (f.length < 9) {
                continue;
            }
            out.add(new Association(f[0].strip(), f[1].strip(), f[2].strip(), SlurmValues.integer(f[3]),
                    SlurmValues.integer(f[4]), SlurmValues.integer(f[5]), SlurmValues.integer(f[6]), f[7].strip(),
                    f[8].strip()));
        }
        return out;
    }
}
