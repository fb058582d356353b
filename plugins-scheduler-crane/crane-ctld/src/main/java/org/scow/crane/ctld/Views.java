package org.scow.crane.ctld;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Predicate;
import org.scow.crane.ctld.model.Job;
import org.scow.crane.ctld.model.Node;
import org.scow.crane.ctld.model.NodeState;
import org.scow.crane.ctld.model.Partition;
import org.scow.crane.protocol.JobState;

/** The summaries of the query API (jobs, running jobs, nodes, partitions), built under the controller lock. */
final class Views {
    private Views() {
    }

    /** Live jobs matching {@code filter} (null: all), by id. */
    static List<JobView> jobs(CtldConfig.Cluster cluster, Collection<Job> live, Predicate<JobView> filter) {
        List<JobView> out = new ArrayList<>();
        for (Job j : live) {
            JobView v = JobView.of(j, cluster.nodes);
            if (filter == null || filter.test(v)) out.add(v);
        }
        out.sort((a, b) -> Long.compare(a.id(), b.id()));
        return out;
    }

    /** The entries of the running list still running; with {@code node} >= 0 only those whose first node it is. */
    static List<Job> running(List<Job> running, int node) {
        List<Job> l = new ArrayList<>();
        for (Job j : running) if (j.state == JobState.RUNNING && (node < 0 || j.allocNodes[0] == node)) l.add(j);
        return l;
    }

    static List<Controller.NodeView> nodes(CtldConfig.Cluster cluster) {
        List<Controller.NodeView> out = new ArrayList<>();
        for (Node n : cluster.nodes) {
            List<String> parts = new ArrayList<>();
            for (Partition p : n.partitions) parts.add(p.name);
            // a node whose daemon went silent takes no jobs: shown DOWN before the node manager decides to mark it so
            boolean silent = !n.responding && !n.down;
            out.add(new Controller.NodeView(n.name, silent ? NodeState.DOWN : n.state(),
                    silent ? (n.reason != null ? n.reason + "; " : "") + "not responding" : n.reason, n.cpus, n.allocCpu,
                    n.memMb, n.allocMem, n.gpuTotal(), n.gpuAlloc(), parts));
        }
        return out;
    }

    /** Every partition in configuration order; job counts come from one walk over the live jobs. */
    static List<Controller.PartitionView> partitions(CtldConfig.Cluster cluster, Collection<Job> live) {
        int[] pend = new int[cluster.partitions.length];
        int[] run = new int[cluster.partitions.length];
        for (Job j : live) {
            Partition p = cluster.partitionByName.get(j.desc.partition());
            if (p == null) continue;
            if (j.state == JobState.PENDING) pend[p.idx]++;
            else if (j.state == JobState.RUNNING) run[p.idx]++;
        }
        List<Controller.PartitionView> out = new ArrayList<>();
        for (Partition p : cluster.partitions) {
            List<String> names = new ArrayList<>(p.nodes.length);
            for (int n : p.nodes) names.add(cluster.nodes[n].name);
            out.add(new Controller.PartitionView(p.name, names, p.totalCpus, p.totalMemMb, p.totalGpus, p.maxTimeSec,
                    p.defaultTimeSec, p.up, p.isDefault, pend[p.idx], run[p.idx]));
        }
        return out;
    }
}
