package org.scow.crane.ctld.model;

import org.scow.crane.ctld.util.Buf;
import org.scow.crane.ctld.util.BufReader;

/**
 * A validated, normalised submission; immutable and shared by all tasks of an array. This is what the WAL records,
 * so replay never re-validates against a possibly different configuration.
 */
public record JobDesc(
        String name, String user, String account, String partition, String qos,
        int nodes, int ntasks, int ntasksPerNode, int cpusPerTask, int cpusPerNode,
        long memPerNodeMb, long memPerCpuMb, String gresSpec, int gresPerNode,
        long timeLimitSec, String workDir, String script, String[] env, String stdout, String stderr,
        String arraySpec, String dependency, long beginTime, boolean hold, boolean exclusive,
        String nodelist, String exclude, String comment, boolean requeue) {

    public int totalCpus() {
        return nodes * cpusPerNode;
    }

    public void write(Buf b) {
        b.str(name).str(user).str(account).str(partition).str(qos);
        b.var(nodes).var(ntasks).var(ntasksPerNode).var(cpusPerTask).var(cpusPerNode);
        b.var(memPerNodeMb).var(memPerCpuMb).str(gresSpec).var(gresPerNode);
        b.var(timeLimitSec).str(workDir).str(script).strs(env).str(stdout).str(stderr);
        b.str(arraySpec).str(dependency).var(beginTime).bool(hold).bool(exclusive);
        b.str(nodelist).str(exclude).str(comment).bool(requeue);
    }

    public static JobDesc read(BufReader r) {
        return new JobDesc(r.str(), r.str(), r.str(), r.str(), r.str(),
                r.varInt(), r.varInt(), r.varInt(), r.varInt(), r.varInt(),
                r.var(), r.var(), r.str(), r.varInt(),
                r.var(), r.str(), r.str(), r.strs(), r.str(), r.str(),
                r.str(), r.str(), r.var(), r.bool(), r.bool(),
                r.str(), r.str(), r.str(), r.bool());
    }
}
