package org.scow.api.scheduler;

import java.time.Instant;

/**
 * One job as the scheduler reports it. Fields not selected in a {@link JobQuery}, or unknown to the scheduler, are
 * null; {@link #jobId} and {@link #state} are always present.
 *
 * @param jobId            scheduler job id (array tasks as {@code 12_3})
 * @param reason           why a pending job waits, or the scheduler's word for an unmapped state
 * @param cpusReq          CPUs requested in total
 * @param memReqMb         memory requested in total, MiB
 * @param elapsedSeconds   run time so far (running) or in total (finished)
 * @param nodeList         allocated nodes in the scheduler's compact notation
 * @param exitCode         exit status of a finished job; 128+n when killed by signal n
 * @param expectedStart    when the scheduler expects a pending job to start, where its plan says (null otherwise);
 *                         drivers fill it with {@link JobField#REASON}, it has no field of its own (since 2.1)
 */
public record JobInfo(
        String jobId, String name, String account, String user, String partition, String qos,
        JobState state, String reason,
        Integer cpusReq, Long memReqMb, Integer nodesReq, Integer gpusReq, Long timeLimitMinutes,
        Instant submitTime, Instant startTime, Instant endTime, Long elapsedSeconds,
        String workingDirectory, String stdoutPath, String stderrPath, String nodeList,
        Integer cpusAlloc, Long memAllocMb, Integer nodesAlloc, Integer gpusAlloc, Integer exitCode,
        Instant expectedStart) {

    public JobInfo {
        if (jobId == null || state == null) {
            throw new IllegalArgumentException("jobId and state are required");
        }
    }

    /** The constructor of SPI 2.0 (no expected start), kept so that drivers built against it still work. */
    public JobInfo(
            String jobId, String name, String account, String user, String partition, String qos,
            JobState state, String reason,
            Integer cpusReq, Long memReqMb, Integer nodesReq, Integer gpusReq, Long timeLimitMinutes,
            Instant submitTime, Instant startTime, Instant endTime, Long elapsedSeconds,
            String workingDirectory, String stdoutPath, String stderrPath, String nodeList,
            Integer cpusAlloc, Long memAllocMb, Integer nodesAlloc, Integer gpusAlloc, Integer exitCode) {
        this(jobId, name, account, user, partition, qos, state, reason, cpusReq, memReqMb, nodesReq, gpusReq,
                timeLimitMinutes, submitTime, startTime, endTime, elapsedSeconds, workingDirectory, stdoutPath,
                stderrPath, nodeList, cpusAlloc, memAllocMb, nodesAlloc, gpusAlloc, exitCode, null);
    }

    /** The value of one field, for generic sorting and projection. */
    public Object get(JobField field) {
        return switch (field) {
            case JOB_ID -> jobId;
            case NAME -> name;
            case ACCOUNT -> account;
            case USER -> user;
            case PARTITION -> partition;
            case QOS -> qos;
            case STATE -> state;
            case REASON -> reason;
            case CPUS_REQ -> cpusReq;
            case MEM_REQ_MB -> memReqMb;
            case NODES_REQ -> nodesReq;
            case GPUS_REQ -> gpusReq;
            case TIME_LIMIT_MINUTES -> timeLimitMinutes;
            case SUBMIT_TIME -> submitTime;
            case START_TIME -> startTime;
            case END_TIME -> endTime;
            case ELAPSED_SECONDS -> elapsedSeconds;
            case WORKING_DIRECTORY -> workingDirectory;
            case STDOUT_PATH -> stdoutPath;
            case STDERR_PATH -> stderrPath;
            case NODE_LIST -> nodeList;
            case CPUS_ALLOC -> cpusAlloc;
            case MEM_ALLOC_MB -> memAllocMb;
            case NODES_ALLOC -> nodesAlloc;
            case GPUS_ALLOC -> gpusAlloc;
            case EXIT_CODE -> exitCode;
        };
    }

    public static Builder builder(String jobId, JobState state) {
        return new Builder(jobId, state);
    }

    public Builder toBuilder() {
        Builder b = new Builder(jobId, state);
        b.name = name; b.account = account; b.user = user; b.partition = partition; b.qos = qos; b.reason = reason;
        b.cpusReq = cpusReq; b.memReqMb = memReqMb; b.nodesReq = nodesReq; b.gpusReq = gpusReq;
        b.timeLimitMinutes = timeLimitMinutes; b.submitTime = submitTime; b.startTime = startTime;
        b.endTime = endTime; b.elapsedSeconds = elapsedSeconds; b.workingDirectory = workingDirectory;
        b.stdoutPath = stdoutPath; b.stderrPath = stderrPath; b.nodeList = nodeList; b.cpusAlloc = cpusAlloc;
        b.memAllocMb = memAllocMb; b.nodesAlloc = nodesAlloc; b.gpusAlloc = gpusAlloc; b.exitCode = exitCode;
        b.expectedStart = expectedStart;
        return b;
    }

    /** Mutable builder, convenient for drivers that parse scheduler output field by field. */
    public static final class Builder {
        private String jobId;
        private JobState state;
        private String name, account, user, partition, qos, reason;
        private Integer cpusReq, nodesReq, gpusReq, cpusAlloc, nodesAlloc, gpusAlloc, exitCode;
        private Long memReqMb, timeLimitMinutes, elapsedSeconds, memAllocMb;
        private Instant submitTime, startTime, endTime, expectedStart;
        private String workingDirectory, stdoutPath, stderrPath, nodeList;

        private Builder(String jobId, JobState state) {
            this.jobId = jobId;
            this.state = state;
        }

        public Builder jobId(String v) { jobId = v; return this; }
        public Builder state(JobState v) { state = v; return this; }
        public Builder name(String v) { name = v; return this; }
        public Builder account(String v) { account = v; return this; }
        public Builder user(String v) { user = v; return this; }
        public Builder partition(String v) { partition = v; return this; }
        public Builder qos(String v) { qos = v; return this; }
        public Builder reason(String v) { reason = v; return this; }
        public Builder cpusReq(Integer v) { cpusReq = v; return this; }
        public Builder memReqMb(Long v) { memReqMb = v; return this; }
        public Builder nodesReq(Integer v) { nodesReq = v; return this; }
        public Builder gpusReq(Integer v) { gpusReq = v; return this; }
        public Builder timeLimitMinutes(Long v) { timeLimitMinutes = v; return this; }
        public Builder submitTime(Instant v) { submitTime = v; return this; }
        public Builder startTime(Instant v) { startTime = v; return this; }
        public Builder endTime(Instant v) { endTime = v; return this; }
        public Builder elapsedSeconds(Long v) { elapsedSeconds = v; return this; }
        public Builder workingDirectory(String v) { workingDirectory = v; return this; }
        public Builder stdoutPath(String v) { stdoutPath = v; return this; }
        public Builder stderrPath(String v) { stderrPath = v; return this; }
        public Builder nodeList(String v) { nodeList = v; return this; }
        public Builder cpusAlloc(Integer v) { cpusAlloc = v; return this; }
        public Builder memAllocMb(Long v) { memAllocMb = v; return this; }
        public Builder nodesAlloc(Integer v) { nodesAlloc = v; return this; }
        public Builder gpusAlloc(Integer v) { gpusAlloc = v; return this; }
        public Builder exitCode(Integer v) { exitCode = v; return this; }
        /** @since 2.1 */
        public Builder expectedStart(Instant v) { expectedStart = v; return this; }

        public JobInfo build() {
            return new JobInfo(jobId, name, account, user, partition, qos, state, reason, cpusReq, memReqMb,
                    nodesReq, gpusReq, timeLimitMinutes, submitTime, startTime, endTime, elapsedSeconds,
                    workingDirectory, stdoutPath, stderrPath, nodeList, cpusAlloc, memAllocMb, nodesAlloc,
                    gpusAlloc, exitCode, expectedStart);
        }
    }
}
