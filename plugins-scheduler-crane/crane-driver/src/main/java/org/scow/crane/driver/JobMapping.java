package org.scow.crane.driver;

import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.scow.api.scheduler.JobInfo;
import org.scow.api.scheduler.JobSpec;
import org.scow.api.scheduler.JobState;
import org.scow.api.scheduler.SchedulerException;
import org.scow.crane.protocol.BatchOptions;
import org.scow.crane.protocol.v1.Job;
import org.scow.crane.protocol.v1.JobRequest;

/** {@link JobSpec} to a Crane submission (with the equivalent {@code #CBATCH} script), and Crane jobs to {@link JobInfo}. */
final class JobMapping {
    private static final Pattern GPU_COUNT = Pattern.compile("gpu(?::[^:]+)?:(\\d+)");

    private JobMapping() {
    }

    /** A submission and the script as the job will see it. */
    record Submission(JobRequest request, String script) {
    }

    static Submission fromSpec(JobSpec spec) throws SchedulerException {
        JobRequest.Builder b = JobRequest.newBuilder().setUser(spec.user()).setName(spec.name())
                .setAccount(spec.account()).setPartition(spec.partition()).setNodes(spec.nodes())
                .setNtasksPerNode(spec.coresPerNode()).setCpusPerTask(1).setWorkDir(spec.workingDirectory());
        StringBuilder directives = new StringBuilder();
        directive(directives, "--job-name", spec.name());
        directive(directives, "--account", spec.account());
        directive(directives, "--partition", spec.partition());
        directive(directives, "--nodes", String.valueOf(spec.nodes()));
        directive(directives, "--ntasks-per-node", String.valueOf(spec.coresPerNode()));
        if (spec.qos() != null) {
            b.setQos(spec.qos());
            directive(directives, "--qos", spec.qos());
        }
        if (spec.gpusPerNode() > 0) {
            b.setGres("gpu:" + spec.gpusPerNode());
            directive(directives, "--gres", b.getGres());
        }
        if (spec.memoryMbPerNode() != null) {
            b.setMem(spec.memoryMbPerNode() + "M");
            directive(directives, "--mem", b.getMem());
        }
        if (spec.timeLimitMinutes() != null) {
            b.setTimeLimit(String.valueOf(spec.timeLimitMinutes()));
            directive(directives, "--time", b.getTimeLimit());
        }
        if (spec.stdout() != null) {
            b.setStdout(spec.stdout());
            directive(directives, "--output", spec.stdout());
        }
        if (spec.stderr() != null) {
            b.setStderr(spec.stderr());
            directive(directives, "--error", spec.stderr());
        }
        for (String option : spec.extraOptions()) {
            try {
                BatchOptions.apply(java.util.List.of(option.strip().split("\\s+", 2)), b);
            } catch (BatchOptions.BadOptionException e) {
                throw SchedulerException.invalid("extraOptions", e.getMessage());
            }
            directives.append("#CBATCH ").append(option.strip()).append('\n');
        }
        String body = spec.script();
        String shebang = "#!/bin/bash\n";
        if (body.startsWith("#!")) {
            int nl = body.indexOf('\n');
            shebang = nl < 0 ? body + "\n" : body.substring(0, nl + 1);
            body = nl < 0 ? "" : body.substring(nl + 1);
        }
        String script = shebang + directives + body + (body.endsWith("\n") ? "" : "\n");
        return new Submission(b.setScript(script).build(), script);
    }

    /** Quotes a directive value when it has blanks, so the script re-parses to the same request. */
    private static void directive(StringBuilder out, String option, String value) {
        boolean plain = value.chars().noneMatch(c -> Character.isWhitespace(c) || c == '"' || c == '\'' || c == '#');
        out.append("#CBATCH ").append(option).append('=');
        out.append(plain ? value : "\"" + value.replace("\"", "") + "\"").append('\n');
    }

    static JobInfo toInfo(Job j) {
        JobState state = state(j.getState());
        JobInfo.Builder b = JobInfo.builder(String.valueOf(j.getJobId()), state).name(j.getName())
                .account(j.getAccount()).user(j.getUser()).partition(j.getPartition()).qos(j.getQos())
                .cpusReq(j.getCpus()).nodesReq(j.getNodes()).memReqMb(j.getMemPerNodeMb() * j.getNodes())
                .gpusReq(gpusPerNode(j) * j.getNodes()).timeLimitMinutes(j.getTimeLimitSec() / 60)
                .submitTime(time(j.getSubmitTime())).startTime(time(j.getStartTime())).endTime(time(j.getEndTime()))
                .workingDirectory(blankToNull(j.getWorkDir())).stdoutPath(blankToNull(j.getStdout()))
                .stderrPath(blankToNull(j.getStderr()));
        // pending: why it waits; ended: why it ended when the node said so (e.g. it could not start)
        if (state == JobState.PENDING || state.isFinished()) b.reason(blankToNull(j.getReason()));
        if (state == JobState.UNKNOWN) b.reason(j.getState());
        // the backfill plan's start for a pending job it holds a reservation for (0: no plan for it)
        if (state == JobState.PENDING && j.getExpectedStart() > 0) b.expectedStart(time(j.getExpectedStart()));
        if (j.getStartTime() > 0) {
            long end = j.getEndTime() > 0 ? j.getEndTime() : Instant.now().getEpochSecond();
            b.elapsedSeconds(Math.max(0, end - j.getStartTime()));
            b.nodeList(blankToNull(j.getNodeList())).nodesAlloc(j.getNodes()).cpusAlloc(j.getCpus())
                    .memAllocMb(j.getMemPerNodeMb() * j.getNodes()).gpusAlloc(gpusPerNode(j) * j.getNodes());
        }
        if (state.isFinished()) b.exitCode(j.getExitCode());
        return b.build();
    }

    private static int gpusPerNode(Job j) {
        if (j.getGresPerNode() > 0) return j.getGresPerNode();
        Matcher m = GPU_COUNT.matcher(j.getGres());
        return m.matches() ? Integer.parseInt(m.group(1)) : 0;
    }

    static JobState state(String crane) {
        try {
            return JobState.valueOf(crane);
        } catch (IllegalArgumentException e) {
            return JobState.UNKNOWN; // e.g. a state a newer controller adds; the reason carries its name
        }
    }

    private static Instant time(long epochSec) {
        return epochSec > 0 ? Instant.ofEpochSecond(epochSec) : null;
    }

    private static String blankToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
