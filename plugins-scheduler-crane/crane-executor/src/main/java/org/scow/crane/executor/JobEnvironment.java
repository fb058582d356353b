package org.scow.crane.executor;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.scow.crane.protocol.HostList;

/**
 * The environment a batch script sees: the submission environment, the account's identity (HOME, USER, LOGNAME,
 * SHELL from the password database, so a submitted value cannot claim another home), a default PATH, then the
 * {@code CRANE_*} variables and, when enabled, their {@code SLURM_*} aliases so unchanged Slurm scripts work.
 */
public final class JobEnvironment {
    static final String DEFAULT_PATH = "/usr/local/bin:/usr/bin:/bin";

    private JobEnvironment() {
    }

    /**
     * @param gpuIndices the node-local GPU indices given to the job (empty for none); they become
     *                   {@code CUDA_VISIBLE_DEVICES}, which is set (possibly empty) so a CPU job sees no GPU
     */
    public static Map<String, String> build(JobSpec s, UnixUser user, List<Integer> gpuIndices, String clusterName,
                                            boolean slurmAliases) {
        Map<String, String> env = new LinkedHashMap<>();
        for (String kv : s.env()) {
            int eq = kv.indexOf('=');
            if (eq > 0) env.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
        env.put("HOME", user.home());
        env.put("USER", user.name());
        env.put("LOGNAME", user.name());
        env.put("SHELL", user.shell());
        env.putIfAbsent("PATH", DEFAULT_PATH);

        String gpus = join(gpuIndices);
        Map<String, String> crane = new LinkedHashMap<>();
        crane.put("JOB_ID", Long.toString(s.jobId()));
        crane.put("JOB_NAME", s.name());
        crane.put("JOB_ACCOUNT", s.account());
        crane.put("JOB_PARTITION", s.partition());
        crane.put("JOB_QOS", s.qos());
        crane.put("JOB_NODELIST", String.join(";", s.nodes()));
        crane.put("JOB_NUM_NODES", Integer.toString(s.nodes().size()));
        crane.put("NTASKS", Integer.toString(s.ntasks()));
        crane.put("NTASKS_PER_NODE", Integer.toString(s.ntasksPerNode()));
        crane.put("CPUS_PER_TASK", Integer.toString(s.cpusPerTask()));
        crane.put("CPUS_ON_NODE", Integer.toString(s.cpusOnNode()));
        crane.put("MEM_PER_NODE", Long.toString(s.memPerNodeMb()));
        crane.put("TIMELIMIT", hms(s.timeLimitSec()));
        // the submit directory is not recorded apart from the working directory; PWD of the submission is closer
        crane.put("SUBMIT_DIR", env.getOrDefault("PWD", s.workDir()));
        crane.put("ARRAY_JOB_ID", s.arrayJobId() != 0 ? Long.toString(s.arrayJobId()) : "");
        crane.put("ARRAY_TASK_ID", s.arrayJobId() != 0 ? Integer.toString(s.arrayTaskId()) : "");
        crane.put("GPUS", Integer.toString(gpuIndices.size()));
        crane.put("CLUSTER_NAME", clusterName);
        if (s.arrayJobId() == 0) {
            crane.remove("ARRAY_JOB_ID");
            crane.remove("ARRAY_TASK_ID");
        }
        crane.forEach((k, v) -> env.put("CRANE_" + k, v));
        env.put("CUDA_VISIBLE_DEVICES", gpus);

        if (slurmAliases) {
            crane.forEach((k, v) -> env.put("SLURM_" + k, v));
            // Slurm spells the node list as a compressed host list, and has a few historical synonyms
            String hostList = HostList.compress(s.nodes());
            env.put("SLURM_JOB_NODELIST", hostList);
            env.put("SLURM_NODELIST", hostList);
            env.put("SLURM_JOBID", Long.toString(s.jobId()));
            env.put("SLURM_NNODES", Integer.toString(s.nodes().size()));
            env.put("SLURM_NPROCS", Integer.toString(s.ntasks()));
            env.put("SLURM_JOB_USER", s.user());
            env.put("SLURM_JOB_CPUS_PER_NODE", Integer.toString(s.cpusOnNode()));
        }
        return env;
    }

    /** {@code HH:MM:SS} with hours not wrapped at a day (50 h is {@code 50:00:00}). */
    static String hms(long sec) {
        return String.format("%02d:%02d:%02d", sec / 3600, sec / 60 % 60, sec % 60);
    }

    private static String join(List<Integer> l) {
        StringBuilder b = new StringBuilder();
        for (int i : l) {
            if (b.length() > 0) b.append(',');
            b.append(i);
        }
        return b.toString();
    }
}
