package org.scow.crane.server;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.scow.crane.executor.ExecutorConfig;
import org.scow.crane.executor.StepLauncher;
import org.scow.crane.protocol.v1.NodeCommand;
import org.scow.crane.protocol.v1.StepLaunch;
import org.scow.crane.protocol.v1.StepOutputBatch;

/**
 * Job steps of a single-machine cluster ({@code LocalExecutor=true}, the embedded controller): every node's share of
 * a step runs on this machine through a {@link StepLauncher} in the controller's process (as {@link LocalLauncher}
 * does for jobs), its output going straight to the {@link StepService}. Commands run in order on one thread.
 */
final class LocalSteps implements StepNodes, AutoCloseable {
    private final StepLauncher launcher;
    private final ExecutorService commands = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "crane-local-steps");
        t.setDaemon(true);
        return t;
    });
    /** The node of each task ("job.step.task"), for the service's check that output comes from the task's node. */
    private final Map<String, String> taskNode = new ConcurrentHashMap<>();
    private volatile StepService service;

    LocalSteps(ExecutorConfig cfg) throws IOException {
        // several nodes' shares of one step on one machine: each share gets a group of its own
        this.launcher = new StepLauncher(cfg, new StepLauncher.Sink() {
            @Override
            public void output(long jobId, int stepId, int task, int fd, byte[] data) {
                deliver(StepOutputBatch.Item.newBuilder().setJobId(jobId).setStepId(stepId).setTask(task).setFd(fd)
                        .setData(ByteString.copyFrom(data)).build());
            }

            @Override
            public void ended(long jobId, int stepId, int task, int exitCode, String reason) {
                StepOutputBatch.Item.Builder b = StepOutputBatch.Item.newBuilder().setJobId(jobId).setStepId(stepId)
                        .setTask(task).setEnded(true).setExitCode(exitCode);
                if (reason != null) b.setReason(reason);
                deliver(b.build());
                taskNode.remove(jobId + "." + stepId + "." + task);
            }
        }, true);
    }

    void bind(StepService s) {
        this.service = s;
    }

    private void deliver(StepOutputBatch.Item it) {
        String node = taskNode.get(it.getJobId() + "." + it.getStepId() + "." + it.getTask());
        StepService s = service;
        if (node == null || s == null) return;
        s.nodeOutput(node, StepOutputBatch.newBuilder().setNode(node).addItems(it).build());
    }

    @Override
    public boolean send(String node, NodeCommand c) {
        switch (c.getCommandCase()) {
            case STEP_LAUNCH -> {
                StepLaunch l = c.getStepLaunch();
                for (int t : l.getTasksList()) taskNode.put(l.getJobId() + "." + l.getStepId() + "." + t, node);
                commands.execute(() -> launcher.start(new StepLauncher.StepSpec(l.getJobId(), l.getStepId(), l.getUser(),
                        l.getTasksList(), l.getNodeIndex(), l.getNodesList(), l.getNtasks(), l.getArgvList(),
                        l.getEnvList(), l.getWorkDir(), l.getPty(), l.getCpusOnNode(), l.getMemPerNodeMb(),
                        l.getJobNodesList(), l.getPtyRows(), l.getPtyCols())));
            }
            case STEP_STDIN -> commands.execute(() -> launcher.stdin(c.getStepStdin().getJobId(),
                    c.getStepStdin().getStepId(), c.getStepStdin().getData().toByteArray(), c.getStepStdin().getEof()));
            case STEP_SIGNAL -> commands.execute(() -> launcher.signal(c.getStepSignal().getJobId(),
                    c.getStepSignal().getStepId(), c.getStepSignal().getSignal()));
            default -> {
                return false;
            }
        }
        return true;
    }

    @Override
    public void close() {
        commands.shutdownNow();
        launcher.close();
    }
}
