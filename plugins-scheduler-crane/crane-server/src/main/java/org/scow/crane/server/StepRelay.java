package org.scow.crane.server;

import com.google.protobuf.ByteString;
import io.grpc.stub.StreamObserver;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.scow.crane.protocol.v1.StepChunk;
import org.scow.crane.protocol.v1.StepIoReply;

/**
 * The output of one running step on its way from the nodes to {@code crun}: chunks numbered in arrival order, kept
 * until crun's next poll acknowledges them ({@code after_seq}), and the polls waiting for the next chunk. Polls are
 * answered asynchronously (no handler thread waits): at the next chunk, at the step's end, or empty at their timeout.
 * Buffered output is capped: beyond {@link #MAX_BUFFERED} unacknowledged bytes (a crun that stopped reading) the
 * oldest chunks are dropped and the loss is said on stderr of task 0, rather than the controller growing without end.
 */
final class StepRelay {
    static final long MAX_BUFFERED = 16L << 20;

    private record Poll(long afterSeq, StreamObserver<StepIoReply> out) {
    }

    final long jobId;
    final int stepId;
    final String user;
    final List<String> nodes;
    /** Node index of each task (block placement). */
    final int[] taskNode;
    private final int[] taskExit;
    private final boolean[] taskEnded;
    private int ended;
    private final ArrayDeque<StepChunk> chunks = new ArrayDeque<>();
    private long buffered;
    private long nextSeq = 1;
    private final List<Poll> polls = new ArrayList<>();
    private boolean done;
    private String state = "RUNNING";
    private String reason = "";
    private int exitCode;
    /** Set by a cancel or a job end: the step ends CANCELLED whatever its tasks return. */
    private String cancelled;

    StepRelay(long jobId, int stepId, String user, List<String> nodes, int[] taskNode) {
        this.jobId = jobId;
        this.stepId = stepId;
        this.user = user;
        this.nodes = List.copyOf(nodes);
        this.taskNode = taskNode.clone();
        this.taskExit = new int[taskNode.length];
        this.taskEnded = new boolean[taskNode.length];
    }

    int ntasks() {
        return taskNode.length;
    }

    synchronized void output(int task, int fd, ByteString data) {
        if (done || data.isEmpty()) return;
        add(task, fd, data);
        wake();
    }

    private void add(int task, int fd, ByteString data) {
        chunks.add(StepChunk.newBuilder().setSeq(nextSeq++).setTask(task).setFd(fd).setData(data).build());
        buffered += data.size();
        boolean dropped = false;
        while (buffered > MAX_BUFFERED && chunks.size() > 1) {
            buffered -= chunks.removeFirst().getData().size();
            dropped = true;
        }
        if (dropped) {
            ByteString note = ByteString.copyFromUtf8("crun: output dropped: the reader fell more than "
                    + (MAX_BUFFERED >> 20) + " MiB behind\n");
            chunks.add(StepChunk.newBuilder().setSeq(nextSeq++).setTask(0).setFd(2).setData(note).build());
            buffered += note.size();
        }
    }

    /** A task ended; returns true when it was the last one (the step is over). */
    synchronized boolean taskEnded(int task, int exit, String why) {
        if (done || task < 0 || task >= taskEnded.length || taskEnded[task]) return false;
        taskEnded[task] = true;
        taskExit[task] = exit;
        if (why != null && !why.isEmpty()) {
            add(task, 2, ByteString.copyFromUtf8("crun: task " + task + ": " + why + "\n"));
            if (reason.isEmpty()) reason = why;
        }
        ended++;
        if (ended < taskEnded.length) {
            wake();
            return false;
        }
        int worst = 0;
        for (int e : taskExit) worst = Math.max(worst, e);
        finish(cancelled != null ? "CANCELLED" : worst == 0 ? "COMPLETED" : "FAILED", worst,
                cancelled != null ? cancelled : reason);
        return true;
    }

    synchronized void markCancelled(String why) {
        if (cancelled == null) cancelled = why;
    }

    /** Ends the step now (its job ended, a node is gone): tasks that report later are ignored. */
    synchronized void finish(String state, int exit, String why) {
        if (done) return;
        done = true;
        this.state = state;
        this.exitCode = exit;
        this.reason = why == null ? "" : why;
        wake();
    }

    synchronized boolean isDone() {
        return done;
    }

    synchronized String state() {
        return state;
    }

    synchronized int exitCode() {
        return exitCode;
    }

    synchronized String reason() {
        return reason;
    }

    /** A poll: answered now when there is something after {@code afterSeq} (or the step is over), else later. */
    void poll(long afterSeq, int waitMs, StreamObserver<StepIoReply> out, ScheduledExecutorService timer) {
        Poll p = new Poll(afterSeq, out);
        synchronized (this) {
            acknowledge(afterSeq);
            if (done || !chunks.isEmpty() || waitMs <= 0) {
                answer(p);
                return;
            }
            polls.add(p);
        }
        timer.schedule(() -> {
            synchronized (this) {
                if (polls.remove(p)) answer(p);
            }
        }, waitMs, TimeUnit.MILLISECONDS);
    }

    private void acknowledge(long afterSeq) {
        while (!chunks.isEmpty() && chunks.peekFirst().getSeq() <= afterSeq) {
            buffered -= chunks.removeFirst().getData().size();
        }
    }

    private void wake() {
        for (Iterator<Poll> it = polls.iterator(); it.hasNext(); ) {
            answer(it.next());
            it.remove();
        }
    }

    /** Under the monitor. */
    private void answer(Poll p) {
        StepIoReply.Builder b = StepIoReply.newBuilder().setState(state);
        int bytes = 0;
        for (StepChunk c : chunks) {
            if (c.getSeq() <= p.afterSeq) continue;
            if (bytes > 1 << 20) break; // a reply of about 1 MiB; the rest comes with the next poll
            b.addChunks(c);
            bytes += c.getData().size();
        }
        boolean all = b.getChunksCount() == 0 || chunks.isEmpty()
                || b.getChunks(b.getChunksCount() - 1).getSeq() == chunks.peekLast().getSeq();
        if (done && all) b.setDone(true).setExitCode(exitCode).setReason(reason);
        try {
            p.out.onNext(b.build());
            p.out.onCompleted();
        } catch (RuntimeException gone) {
            // crun went away; its next poll (if any) gets the same chunks
        }
    }
}
