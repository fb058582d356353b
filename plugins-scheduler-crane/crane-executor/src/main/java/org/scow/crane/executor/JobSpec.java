package org.scow.crane.executor;

import java.util.List;

/**
 * Everything a node needs to run one started job, independent of how it got here (in-process from the controller,
 * or over the network from a remote controller). Immutable.
 *
 * @param startTime    the controller's start time of this run (epoch s): with the id it names one run, since a
 *                     requeued job runs again under the same id
 * @param nodes        the allocated nodes in allocation order; the batch script runs on the first
 * @param cpusOnNode   CPUs allocated on this node
 * @param memPerNodeMb memory limit on this node in MiB, 0 for none
 * @param env          the submission environment as {@code NAME=value}
 * @param stdout       output pattern or null for the default {@code Crane-%j.out}
 * @param stderr       error pattern or null for "same as stdout"
 */
public record JobSpec(long jobId, long startTime, long arrayJobId, int arrayTaskId, String name, String user, String account,
                      String partition, String qos, List<String> nodes, int ntasks, int ntasksPerNode,
                      int cpusPerTask, int cpusOnNode, long memPerNodeMb, int gpusPerNode, long timeLimitSec,
                      String workDir, String script, List<String> env, String stdout, String stderr) {

    public JobSpec {
        nodes = List.copyOf(nodes);
        env = List.copyOf(env);
        if (nodes.isEmpty()) throw new IllegalArgumentException("job " + jobId + " has no nodes");
    }

    /** The node the batch script runs on. */
    public String batchNode() {
        return nodes.get(0);
    }
}
