package org.scow.crane.cli;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.scow.crane.protocol.HostList;
import org.scow.crane.protocol.v1.Job;
import org.scow.crane.protocol.v1.Step;
import org.scow.crane.protocol.v1.StepList;
import org.scow.crane.protocol.v1.StepQuery;

/**
 * Job steps as rows of the job tables of cqueue ({@code -s}) and cacct: a step is shown as a job line with the id
 * {@code JOB.STEP}, its own name, state, nodes, tasks (as CPUs), times and exit code, and its job's partition,
 * account and QoS — the way sacct lists steps under their job.
 */
final class Steps {
    private Steps() {
    }

    /** The steps of these jobs (all visible jobs when empty); none when the controller runs no node daemons. */
    static List<Step> query(Base cmd, Collection<Long> jobIds, boolean finished) throws CliException {
        StepQuery q = StepQuery.newBuilder().addAllJobIds(jobIds).setIncludeFinished(finished).build();
        try {
            StepList l = cmd.client().call(c -> c.querySteps(q));
            return l.getStepsList();
        } catch (CliException e) {
            // a controller without node daemons has no steps; an older one does not know the call
            if (e.getMessage().contains("NodeDaemons") || e.getMessage().contains("UNIMPLEMENTED")) return List.of();
            throw e;
        }
    }

    static Job row(Step s, Job parent) {
        Job.Builder b = Job.newBuilder().setJobId(s.getJobId()).setDisplayId(s.getJobId() + "." + s.getStepId())
                .setName(s.getName()).setUser(s.getUser()).setState(s.getState()).setNodes(s.getNodesCount())
                .setNodeList(HostList.compress(s.getNodesList())).setCpus(s.getNtasks()).setStartTime(s.getStartTime())
                .setEndTime(s.getEndTime()).setExitCode(s.getExitCode()).setReason(s.getReason());
        if (parent != null) {
            b.setPartition(parent.getPartition()).setAccount(parent.getAccount()).setQos(parent.getQos())
                    .setTimeLimitSec(parent.getTimeLimitSec());
        }
        return b.build();
    }

    /** {@code jobs} with each job's steps right after it. */
    static List<Job> withSteps(Base cmd, List<Job> jobs) throws CliException {
        if (jobs.isEmpty()) return jobs;
        List<Long> ids = new ArrayList<>();
        for (Job j : jobs) ids.add(j.getJobId());
        Map<Long, List<Step>> byJob = new HashMap<>();
        for (Step s : query(cmd, ids, true)) byJob.computeIfAbsent(s.getJobId(), k -> new ArrayList<>()).add(s);
        if (byJob.isEmpty()) return jobs;
        List<Job> out = new ArrayList<>();
        for (Job j : jobs) {
            out.add(j);
            for (Step s : byJob.getOrDefault(j.getJobId(), List.of())) out.add(row(s, j));
        }
        return out;
    }
}
