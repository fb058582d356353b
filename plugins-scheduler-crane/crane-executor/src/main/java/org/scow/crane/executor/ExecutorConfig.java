package org.scow.crane.executor;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.scow.crane.protocol.JobUserPolicy;

/** Settings of a node's job executor. Fluent setters; the defaults suit a single-machine cluster. */
public final class ExecutorConfig {
    /**
     * Per-job directories (script, exit status, pid). Every parent must be searchable by job users, because the
     * job reads its script from here as itself.
     */
    public Path spoolDir;
    /**
     * Run each job as its Unix user (needs root). When false — or when the executor is not root — the executor is in
     * <em>single-user mode</em>: it runs only jobs of its own user and refuses the others.
     */
    public boolean runAsUser = true;
    public Cgroups.Mode cgroups = Cgroups.Mode.AUTO;
    /** Directory under the executor's own cgroup that holds the job groups. */
    public String cgroupSubdir = "crane";
    /** Between SIGTERM and SIGKILL on cancel and time limit (Slurm's KillWait). */
    public long killWaitMs = 10_000;
    /** Also set the SLURM_* aliases of the CRANE_* variables. */
    public boolean slurmCompatibleEnv;
    /**
     * GPUs on this node (indices 0..n-1 handed out to jobs as CUDA_VISIBLE_DEVICES); -1: as many as
     * {@link #gpuDevices} lists, else {@link Gpus#discover}.
     */
    public int gpus = -1;
    /**
     * The device file of each GPU, in index order (GPU i = element i). A job's devices cgroup denies the files of
     * the GPUs it was not given. Null: {@code /dev/nvidia<i>} (a missing one is skipped). Listed files must exist.
     */
    public List<Path> gpuDevices;
    /**
     * Device files every GPU job may open and CPU-only jobs may not. Null: {@code /dev/nvidiactl} and
     * {@code /dev/nvidia-uvm*}, as far as they exist; empty: none. Listed files must exist.
     */
    public List<Path> gpuSharedDevices;
    public String clusterName = "crane";
    /**
     * Defence in depth behind the controller's own check: a job whose user has uid 0, a uid below this, or a name in
     * {@link #deniedJobUsers} is not run but ends FAILED with the reason (see {@code JobUserPolicy}).
     */
    public int minJobUid = JobUserPolicy.DEFAULT_MIN_UID;
    public Set<String> deniedJobUsers = JobUserPolicy.DEFAULT_DENIED;
    /** Names exempt from {@link #minJobUid} (never from the uid-0 rule). */
    public Set<String> allowedSystemUsers = Set.of();
    /** Lets uid 0 run jobs (single-user test machines only). */
    public boolean allowRootJobs;

    public ExecutorConfig spoolDir(Path v) { spoolDir = v; return this; }
    public ExecutorConfig runAsUser(boolean v) { runAsUser = v; return this; }
    public ExecutorConfig cgroups(Cgroups.Mode v) { cgroups = v; return this; }
    public ExecutorConfig cgroupSubdir(String v) { cgroupSubdir = v; return this; }
    public ExecutorConfig killWaitMs(long v) { killWaitMs = v; return this; }
    public ExecutorConfig slurmCompatibleEnv(boolean v) { slurmCompatibleEnv = v; return this; }
    public ExecutorConfig gpus(int v) { gpus = v; return this; }
    public ExecutorConfig gpuDevices(List<Path> v) { gpuDevices = v == null ? null : List.copyOf(v); return this; }
    public ExecutorConfig gpuSharedDevices(List<Path> v) { gpuSharedDevices = v == null ? null : List.copyOf(v); return this; }
    public ExecutorConfig clusterName(String v) { clusterName = v; return this; }
    public ExecutorConfig minJobUid(int v) { minJobUid = v; return this; }
    public ExecutorConfig deniedJobUsers(Set<String> v) { deniedJobUsers = Set.copyOf(v); return this; }
    public ExecutorConfig allowedSystemUsers(Set<String> v) { allowedSystemUsers = Set.copyOf(v); return this; }
    public ExecutorConfig allowRootJobs(boolean v) { allowRootJobs = v; return this; }

    /** The job-user policy of these settings (the uid comes from the launch's own password lookup). */
    JobUserPolicy jobUserPolicy() {
        return JobUserPolicy.of(minJobUid, deniedJobUsers, allowedSystemUsers, allowRootJobs);
    }
}
