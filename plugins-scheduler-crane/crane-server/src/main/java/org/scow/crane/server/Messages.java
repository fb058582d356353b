package org.scow.crane.server;

import java.util.List;
import org.scow.crane.ctld.Controller;
import org.scow.crane.ctld.JobView;
import org.scow.crane.ctld.account.Account;
import org.scow.crane.ctld.account.Membership;
import org.scow.crane.ctld.account.Qos;
import org.scow.crane.ctld.util.TimeSpec;
import org.scow.crane.protocol.v1.AccountInfo;
import org.scow.crane.protocol.v1.Job;
import org.scow.crane.protocol.v1.JobRequest;
import org.scow.crane.protocol.v1.Member;
import org.scow.crane.protocol.v1.Node;
import org.scow.crane.protocol.v1.PartitionInfo;
import org.scow.crane.protocol.v1.QosSpec;

/**
 * Maps between protocol messages and controller objects. Only shapes change here; every value check stays in the
 * controller, so the protocol cannot bypass a rule the in-process API enforces.
 */
final class Messages {
    private Messages() {
    }

    /** Protocol convention: an empty string means "not given". */
    static String given(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    static org.scow.crane.ctld.model.JobRequest toRequest(JobRequest m, String actor) {
        var r = new org.scow.crane.ctld.model.JobRequest();
        if (!m.getName().isEmpty()) r.name = m.getName();
        r.user = m.getUser().isEmpty() ? actor : m.getUser();
        r.account = given(m.getAccount());
        r.partition = given(m.getPartition());
        r.qos = given(m.getQos());
        if (m.hasNodes()) r.nodes = m.getNodes();
        if (m.hasNtasks()) r.ntasks = m.getNtasks();
        if (m.hasNtasksPerNode()) r.ntasksPerNode = m.getNtasksPerNode();
        if (m.hasCpusPerTask()) r.cpusPerTask = m.getCpusPerTask();
        r.mem = given(m.getMem());
        r.memPerCpu = given(m.getMemPerCpu());
        r.gres = given(m.getGres());
        r.timeLimit = given(m.getTimeLimit());
        // no defaults for these two: a job without a directory or a script is a client bug, say so
        r.workDir = given(m.getWorkDir());
        r.script = given(m.getScript());
        r.env.putAll(m.getEnvMap());
        r.stdout = given(m.getStdout());
        r.stderr = given(m.getStderr());
        r.array = given(m.getArray());
        r.dependency = given(m.getDependency());
        r.beginTime = m.getBeginTime();
        r.hold = m.getHold();
        r.exclusive = m.getExclusive();
        r.nodelist = given(m.getNodelist());
        r.exclude = given(m.getExclude());
        r.comment = given(m.getComment());
        r.requeue = m.getRequeue();
        return r;
    }

    static Job toJob(JobView v) {
        Job.Builder b = Job.newBuilder().setJobId(v.id()).setDisplayId(v.displayId()).setArrayJobId(v.arrayJobId())
                .setArrayTaskId(v.arrayTaskId()).setName(v.name()).setUser(v.user()).setAccount(v.account())
                .setPartition(v.partition()).setQos(v.qos()).setState(v.state().name()).setNodes(v.nodes())
                .setCpus(v.cpus()).setMemPerNodeMb(v.memPerNodeMb()).setGresPerNode(v.gresPerNode())
                .setTimeLimitSec(v.timeLimitSec()).setSubmitTime(v.submitTime()).setStartTime(v.startTime())
                .setEndTime(v.endTime()).setExpectedStart(v.expectedStart()).setPriority(v.priority())
                .setExitCode(v.exitCode()).setHeld(v.held()).setRequeueCount(v.requeueCount());
        if (v.reason() != null) b.setReason(v.reason());
        if (v.gres() != null) b.setGres(v.gres());
        if (v.nodeList() != null) b.setNodeList(v.nodeList());
        if (v.comment() != null) b.setComment(v.comment());
        if (v.workDir() != null) b.setWorkDir(v.workDir());
        if (v.stdout() != null) b.setStdout(v.stdout());
        if (v.stderr() != null) b.setStderr(v.stderr());
        return b.build();
    }

    static Node toNode(Controller.NodeView n) {
        Node.Builder b = Node.newBuilder().setName(n.name()).setState(n.state().name()).setCpus(n.cpus())
                .setCpusAlloc(n.cpusAlloc()).setMemMb(n.memMb()).setMemAllocMb(n.memAllocMb()).setGpus(n.gpus())
                .setGpusAlloc(n.gpusAlloc()).addAllPartitions(n.partitions());
        if (n.reason() != null) b.setReason(n.reason());
        return b.build();
    }

    static PartitionInfo toPartition(Controller.PartitionView p) {
        return PartitionInfo.newBuilder().setName(p.name()).addAllNodes(p.nodes()).setCpus(p.cpus())
                .setMemMb(p.memMb()).setGpus(p.gpus()).setMaxTimeSec(p.maxTimeSec())
                .setDefaultTimeSec(p.defaultTimeSec()).setUp(p.up()).setIsDefault(p.isDefault())
                .setPendingJobs(p.pendingJobs()).setRunningJobs(p.runningJobs()).build();
    }

    /** Called under the controller lock (inside {@code withAccounts}); copies everything it reads. */
    static AccountInfo toAccount(Account a, List<String> partitions) {
        AccountInfo.Builder b = AccountInfo.newBuilder().setName(a.name).setShares(a.shares)
                .addAllPartitions(a.partitions).addAllQos(a.qos).setBlocked(a.blocked)
                .addAllBlockedPartitions(a.blockedPartitions).setBlockedEffective(a.blockedAncestor() != null);
        if (a.parent != null) b.setParent(a.parent.name);
        if (a.description != null) b.setDescription(a.description);
        if (a.defaultQos != null) b.setDefaultQos(a.defaultQos);
        for (String p : partitions) {
            if (a.blockedAncestor() != null || a.blockedIn(p) != null) b.addBlockedInEffective(p);
        }
        for (Membership m : a.members.values()) {
            Member.Builder mb = Member.newBuilder().setUser(m.user).setBlocked(m.blocked).setCoordinator(m.coordinator)
                    .addAllPartitions(m.partitions).addAllQos(m.qos);
            if (m.defaultQos != null) mb.setDefaultQos(m.defaultQos);
            b.addMembers(mb);
        }
        return b.build();
    }

    static QosSpec toQos(Qos q) {
        return QosSpec.newBuilder().setName(q.name).setPriority(q.priority).setMaxJobsPerUser(q.maxJobsPerUser)
                .setMaxSubmitPerUser(q.maxSubmitJobsPerUser).setMaxCpusPerUser(q.maxCpusPerUser)
                .setMaxJobsPerAccount(q.maxJobsPerAccount).setMaxSubmitPerAccount(q.maxSubmitJobsPerAccount)
                .setMaxWall(q.maxWallSec > 0 ? TimeSpec.formatDuration(q.maxWallSec) : "").addAllPreempt(q.preempt).build();
    }
}
