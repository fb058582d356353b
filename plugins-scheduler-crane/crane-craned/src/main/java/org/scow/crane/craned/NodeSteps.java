package org.scow.crane.craned;

import com.google.protobuf.ByteString;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.scow.crane.executor.ExecutorConfig;
import org.scow.crane.executor.StepLauncher;
import org.scow.crane.protocol.v1.CraneNodeGrpc;
import org.scow.crane.protocol.v1.StepLaunch;
import org.scow.crane.protocol.v1.StepOutputBatch;

/**
 * craned's side of job steps: runs the controller's step commands (launch, stdin, signal) on a thread of their own,
 * in order, so a long job command never delays a typed key, and sends the tasks' output and ends to the controller
 * ({@code StepOutput}) in batches, in order, as fast as the controller takes them (a batch per round trip).
 * Output is not persisted: a step's I/O lives only as long as its crun and controller connection.
 */
final class NodeSteps implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(NodeSteps.class.getName());
    private static final int MAX_BATCH_BYTES = 1 << 20;

    private final String node;
    private final CraneNodeGrpc.CraneNodeBlockingStub stub;
    private final StepLauncher launcher;
    private final ExecutorService commands;
    private final LinkedBlockingQueue<StepOutputBatch.Item> queue = new LinkedBlockingQueue<>();
    private final Thread sender;
    private volatile boolean closed;

    NodeSteps(String node, ExecutorConfig cfg, CraneNodeGrpc.CraneNodeBlockingStub stub) throws IOException {
        this.node = node;
        this.stub = stub;
        this.launcher = new StepLauncher(cfg, new StepLauncher.Sink() {
            @Override
            public void output(long jobId, int stepId, int task, int fd, byte[] data) {
                queue.add(StepOutputBatch.Item.newBuilder().setJobId(jobId).setStepId(stepId).setTask(task).setFd(fd)
                        .setData(ByteString.copyFrom(data)).build());
            }

            @Override
            public void ended(long jobId, int stepId, int task, int exitCode, String reason) {
                StepOutputBatch.Item.Builder b = StepOutputBatch.Item.newBuilder().setJobId(jobId).setStepId(stepId)
                        .setTask(task).setEnded(true).setExitCode(exitCode);
                if (reason != null) b.setReason(reason);
                queue.add(b.build());
            }
        });
        this.commands = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "craned-step-commands");
            t.setDaemon(true);
            return t;
        });
        this.sender = new Thread(this::sendLoop, "craned-step-output");
        sender.setDaemon(true);
        sender.start();
    }

    void launch(StepLaunch l) {
        commands.execute(() -> launcher.start(new StepLauncher.StepSpec(l.getJobId(), l.getStepId(), l.getUser(),
                l.getTasksList(), l.getNodeIndex(), l.getNodesList(), l.getNtasks(), l.getArgvList(), l.getEnvList(),
                l.getWorkDir(), l.getPty(), l.getCpusOnNode(), l.getMemPerNodeMb(), l.getJobNodesList(), l.getPtyRows(), l.getPtyCols())));
    }

    void stdin(long jobId, int stepId, ByteString data, boolean eof) {
        commands.execute(() -> launcher.stdin(jobId, stepId, data.toByteArray(), eof));
    }

    /** {@code stepId} -1: every step of the job (it ended). */
    void signal(long jobId, int stepId, int sig) {
        commands.execute(() -> launcher.signal(jobId, stepId, sig));
    }

    /** Kills every step this node runs (a new controller does not know them). */
    void killAll() {
        commands.execute(launcher::killAll);
    }

    private void sendLoop() {
        List<StepOutputBatch.Item> batch = new ArrayList<>();
        long backoff = 100;
        while (!closed) {
            try {
                if (batch.isEmpty()) {
                    StepOutputBatch.Item first = queue.take();
                    batch.add(first);
                    int bytes = first.getData().size();
                    StepOutputBatch.Item next;
                    while (bytes < MAX_BATCH_BYTES && (next = queue.poll()) != null) {
                        batch.add(next);
                        bytes += next.getData().size();
                    }
                }
                stub.withDeadlineAfter(30, TimeUnit.SECONDS)
                        .stepOutput(StepOutputBatch.newBuilder().setNode(node).addAllItems(batch).build());
                batch.clear();
                backoff = 100;
            } catch (InterruptedException e) {
                return;
            } catch (StatusRuntimeException e) {
                // the controller is unreachable: keep the batch (in order) and try again
                LOG.log(Level.FINE, "step output not delivered; retrying", e);
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException ie) {
                    return;
                }
                backoff = Math.min(5000, backoff * 2);
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        sender.interrupt();
        commands.shutdownNow();
        launcher.close();
    }
}
