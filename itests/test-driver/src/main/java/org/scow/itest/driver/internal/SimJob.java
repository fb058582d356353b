package org.scow.itest.driver.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.stream.Collectors;

import org.scow.api.scheduler.JobInfo;
import org.scow.api.scheduler.JobState;

/** One job of the simulator. Mutable; guarded by the driver's lock. */
final class SimJob {
    final String id;
    final String name;
    final String account;
    final String user;
    final String partition;
    final String qos;
    final int nodes;
    final int coresPerNode;
    final int gpusPerNode;
    final long memoryMbPerNode;
    final String workingDirectory;
    final String stdout;
    final String stderr;
    final long durationMs;
    final int scriptExitCode;
    final Instant submitTime;

    long timeLimitMinutes;
    JobState state = JobState.PENDING;
    String reason = "None";
    Instant startTime;
    Instant endTime;
    Integer exitCode;
    List<SimNode> allocation = List.of();
    ScheduledFuture<?> endTask;

    SimJob(String id, String name, String account, String user, String partition, String qos, int nodes,
           int coresPerNode, int gpusPerNode, long memoryMbPerNode, long timeLimitMinutes, String workingDirectory,
           String stdout, String stderr, long durationMs, int scriptExitCode, Instant submitTime) {
        this.id = id;
        this.name = name;
        this.account = account;
        this.user = user;
        this.partition = partition;
        this.qos = qos;
        this.nodes = nodes;
        this.coresPerNode = coresPerNode;
        this.gpusPerNode = gpusPerNode;
        this.memoryMbPerNode = memoryMbPerNode;
        this.timeLimitMinutes = timeLimitMinutes;
        this.workingDirectory = workingDirectory;
        this.stdout = stdout;
        this.stderr = stderr;
        this.durationMs = durationMs;
        this.scriptExitCode = scriptExitCode;
        this.submitTime = submitTime;
    }

    boolean isActive() {
        return state == JobState.PENDING || state == JobState.RUNNING;
    }

    /** How long the job runs once started: its script's run time, cut at the time limit. */
    long runMs() {
        return Math.min(durationMs, limitMs());
    }

    long limitMs() {
        return Duration.ofMinutes(timeLimitMinutes).toMillis();
    }

    JobInfo toInfo(Instant now) {
        boolean started = startTime != null;
        Long elapsed = started ? Duration.between(startTime, endTime == null ? now : endTime).toSeconds() : 0L;
        return JobInfo.builder(id, state).name(name).account(account).user(user).partition(partition).qos(qos)
                .reason(reason).cpusReq(nodes * coresPerNode).memReqMb(nodes * memoryMbPerNode).nodesReq(nodes)
                .gpusReq(nodes * gpusPerNode).timeLimitMinutes(timeLimitMinutes).submitTime(submitTime)
                .startTime(startTime).endTime(endTime).elapsedSeconds(elapsed).workingDirectory(workingDirectory)
                .stdoutPath(path(stdout)).stderrPath(path(stderr == null ? stdout : stderr))
                .nodeList(started ? allocation.stream().map(n -> n.name).collect(Collectors.joining(",")) : null)
                .cpusAlloc(started ? nodes * coresPerNode : null)
                .memAllocMb(started ? nodes * memoryMbPerNode : null)
                .nodesAlloc(started ? nodes : null)
                .gpusAlloc(started ? nodes * gpusPerNode : null)
                .exitCode(exitCode).build();
    }

    private String path(String pattern) {
        String p = (pattern == null ? "slurm-%j.out" : pattern).replace("%j", id).replace("%x", name);
        return p.startsWith("/") ? p : workingDirectory + "/" + p;
    }
}
