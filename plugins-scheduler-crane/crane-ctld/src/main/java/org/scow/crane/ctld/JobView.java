package org.scow.crane.ctld;

import java.util.ArrayList;
import java.util.List;
import org.scow.crane.ctld.model.Job;
import org.scow.crane.protocol.JobState;
import org.scow.crane.ctld.model.Node;
import org.scow.crane.ctld.model.PendingReason;
import org.scow.crane.ctld.util.HostList;

/** An immutable copy of a job's visible fields, safe to hand out of the controller lock. */
public record JobView(long id, String displayId, long arrayJobId, int arrayTaskId, String name, String user,
                      String account, String partition, String qos, JobState state, String reason,
                      int nodes, int cpus, long memPerNodeMb, String gres, long timeLimitSec, long submitTime,
                      long startTime, long endTime, long expectedStart, long priority, String nodeList,
                      int exitCode, boolean held, String comment, int requeueCount, int gresPerNode,
                      String workDir, String stdout, String stderr) {

    static JobView of(Job j, Node[] all) {
        String nl = null;
        if (j.allocNodes != null) {
            List<String> names = new ArrayList<>(j.allocNodes.length);
            for (int n : j.allocNodes) names.add(all[n].name);
            nl = HostList.compress(names);
        }
        return new JobView(j.id, j.displayId(), j.arrayJobId, j.arrayTaskId, j.desc.name(), j.desc.user(),
                j.desc.account(), j.desc.partition(), j.desc.qos(), j.state,
                reason(j), j.desc.nodes(), j.desc.totalCpus(),
                j.desc.memPerNodeMb(), j.desc.gresSpec(), j.timeLimitSec, j.submitTime, j.startTime, j.endTime,
                j.expectedStart, j.priority, nl, j.exitCode, j.held, j.desc.comment(), j.requeueCount,
                j.desc.gresPerNode(), j.desc.workDir(), j.desc.stdout(), j.desc.stderr());
    }

    /**
     * Why a pending job waits; for a job that preemption cancelled, "Preempted"; for a job whose node said why it
     * ended (it could not start, the kernel killed it for memory...), that; otherwise none.
     */
    private static String reason(Job j) {
        if (j.state == JobState.PENDING) return j.reason.label;
        if (j.state == JobState.CANCELLED && j.preemptedBy != 0) return PendingReason.PREEMPTED.label;
        return j.endReason;
    }
}
