package org.scow.scheduler.slurm.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.scow.api.scheduler.JobInfo;
import org.scow.api.scheduler.JobState;

/**
 * The columns the driver asks squeue and sacct for, and how each row becomes a {@link JobInfo}. Rows are separated
 * by {@link SlurmCli#SEP}, a control character, so names and paths with any printable character survive.
 *
 * <p>Conventions, the same for both sources: the end time and exit code are set only for finished jobs (squeue
 * shows the projected end of a running job); start time, node list and allocated resources only once the job
 * started; the reason only for jobs that have not finished (Slurm keeps a stale one), or, for a state the driver
 * cannot map, Slurm's own state word.
 */
public final class JobColumns {
    private JobColumns() {
    }

    /** squeue --Format fields, in row order. */
    static final List<String> SQUEUE = List.of("JobArrayID", "Name", "Account", "UserName", "Partition", "QOS",
            "State", "Reason", "NumCPUs", "NumNodes", "tres-alloc", "tres-per-node", "tres-per-job", "TimeLimit",
            "SubmitTime", "StartTime", "EndTime", "TimeUsed", "WorkDir", "STDOUT", "STDERR", "NodeList",
            "exit_code");

    /** sacct --format fields, in row order. */
    static final List<String> SACCT = List.of("JobID", "JobName", "Account", "User", "Partition", "QOS", "State",
            "Reason", "ReqCPUS", "ReqNodes", "ReqTRES", "ReqMem", "TimelimitRaw", "Submit", "Start", "End",
            "ElapsedRaw", "WorkDir", "NodeList", "AllocCPUS", "AllocNodes", "AllocTRES", "ExitCode");

    /** The squeue {@code -O} argument: every field unlimited in width ({@code :0}) and followed by the separator. */
    public static String squeueFormat() {
        return SQUEUE.stream().map(f -> f + ":0" + SlurmCli.SEP).collect(Collectors.joining(","));
    }

    public static String sacctFormat() {
        return String.join(",", SACCT);
    }

    public static List<JobInfo> parseSqueue(String output) {
        List<JobInfo> jobs = new ArrayList<>();
        for (String line : output.split("\n")) {
            String[] f = line.split(SlurmCli.SEP, -1);
            if (f.length >= SQUEUE.size()) {
                jobs.add(squeueRow(f));
            }
        }
        return jobs;
    }

    public static List<JobInfo> parseSacct(String output) {
        List<JobInfo> jobs = new ArrayList<>();
        for (String line : output.split("\n")) {
            String[] f = line.split(SlurmCli.SEP, -1);
            if (f.length >= SACCT.size()) {
                jobs.add(sacctRow(f));
            }
        }
        return jobs;
    }

    private static JobInfo squeueRow(String[] f) {
        JobState state = JobStates.of(f[6]);
        boolean finished = state.isFinished();
        Map<String, String> tres = SlurmValues.tres(f[10]);
        Integer nodes = SlurmValues.integer(f[9]);
        Integer gpus = gpus(tres, f[11], f[12], nodes);
        Instant start = state == JobState.PENDING ? null : SlurmValues.time(f[15]);
        JobInfo.Builder b = JobInfo.builder(f[0].strip(), state)
                .name(raw(f[1])).account(raw(f[2])).user(raw(f[3])).partition(raw(f[4]))
                .qos(SlurmValues.text(f[5])).reason(reason(state, f[6], f[7]))
                .cpusReq(SlurmValues.integer(f[8])).memReqMb(SlurmValues.tresMemoryMb(tres)).nodesReq(nodes)
                .gpusReq(gpus).timeLimitMinutes(SlurmValues.minutes(f[13]))
                .submitTime(SlurmValues.time(f[14])).startTime(start)
                // squeue's StartTime of a pending job is the backfill scheduler's estimate
                .expectedStart(state == JobState.PENDING ? SlurmValues.time(f[15]) : null)
                .endTime(finished ? SlurmValues.time(f[16]) : null)
                .elapsedSeconds(elapsed(state, SlurmValues.seconds(f[17])))
                .workingDirectory(raw(f[18])).stdoutPath(raw(f[19])).stderrPath(raw(f[20]));
        if (start != null) {
            b.nodeList(SlurmValues.text(f[21])).cpusAlloc(SlurmValues.tresCpus(tres))
                    .memAllocMb(SlurmValues.tresMemoryMb(tres)).nodesAlloc(SlurmValues.tresNodes(tres))
                    .gpusAlloc(gpus);
        }
        if (finished) {
            b.exitCode(waitStatus(SlurmValues.integer(f[22])));
        }
        return b.build();
    }

    private static JobInfo sacctRow(String[] f) {
        JobState state = JobStates.of(f[6]);
        boolean finished = state.isFinished();
        Map<String, String> req = SlurmValues.tres(f[10]);
        Map<String, String> alloc = SlurmValues.tres(f[21]);
        Long memReq = SlurmValues.tresMemoryMb(req);
        Integer gpusReq = SlurmValues.tresGpus(req);
        Instant start = SlurmValues.time(f[14]);
        JobInfo.Builder b = JobInfo.builder(f[0].strip(), state)
                .name(raw(f[1])).account(raw(f[2])).user(raw(f[3])).partition(raw(f[4]))
                .qos(SlurmValues.text(f[5])).reason(reason(state, f[6], f[7]))
                .cpusReq(SlurmValues.integer(f[8])).nodesReq(SlurmValues.integer(f[9]))
                .memReqMb(memReq != null ? memReq : SlurmValues.memoryMb(f[11]))
                .gpusReq(gpusReq != null ? gpusReq : 0)
                .timeLimitMinutes(SlurmValues.longValue(f[12]))
                .submitTime(SlurmValues.time(f[13])).startTime(start)
                .endTime(finished ? SlurmValues.time(f[15]) : null)
                .elapsedSeconds(elapsed(state, SlurmValues.longValue(f[16])))
                .workingDirectory(raw(f[17]));
        if (start != null) {
            Integer gpusAlloc = SlurmValues.tresGpus(alloc);
            b.nodeList(SlurmValues.text(f[18])).cpusAlloc(SlurmValues.integer(f[19]))
                    .nodesAlloc(SlurmValues.integer(f[20])).memAllocMb(SlurmValues.tresMemoryMb(alloc))
                    .gpusAlloc(gpusAlloc != null ? gpusAlloc : 0);
            if (finished) {
                b.exitCode(SlurmValues.exitCode(f[22]));
            }
        }
        return b.build();
    }

    /**
     * GPUs of a job: the TRES count when accounting tracks {@code gres/gpu}, else the GRES request (per node times
     * nodes, or per job), else none.
     */
    private static Integer gpus(Map<String, String> tres, String perNode, String perJob, Integer nodes) {
        Integer fromTres = SlurmValues.tresGpus(tres);
        if (fromTres != null) {
            return fromTres;
        }
        Integer n = SlurmValues.gresGpus(perNode);
        if (n != null) {
            return n * (nodes == null ? 1 : nodes);
        }
        Integer j = SlurmValues.gresGpus(perJob);
        return j != null ? j : 0;
    }

    private static String reason(JobState state, String rawState, String reason) {
        if (state == JobState.UNKNOWN) {
            return JobStates.word(rawState);
        }
        return state.isFinished() ? null : SlurmValues.text(reason);
    }

    private static Long elapsed(JobState state, Long value) {
        return state == JobState.PENDING ? Long.valueOf(0) : value;
    }

    /** squeue's exit_code is the raw wait status: exit status in the high byte, signal in the low bits. */
    static Integer waitStatus(Integer raw) {
        if (raw == null) {
            return null;
        }
        int signal = raw & 0x7f;
        return signal != 0 ? 128 + signal : (raw >> 8) & 0xff;
    }

    /** A free-text column: kept as printed (a job may well be named "None"), empty meaning absent. */
    private static String raw(String s) {
        String t = s.strip();
        return t.isEmpty() ? null : t;
    }
}
