package org.scow.scheduler.slurm.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import org.scow.api.scheduler.ErrorCode;
import org.scow.api.scheduler.SchedulerException;

/**
 * Runs commands with {@link ProcessBuilder}. Standard input, output and error are pumped on separate threads so
 * that a process that writes a lot, or never reads its input, cannot block the caller past the timeout; on timeout
 * the process and all its descendants are killed.
 */
public final class ProcessCommandRunner implements CommandRunner {
    /** How long to wait for the output pumps once the process has exited. */
    private static final long DRAIN_MILLIS = 2_000;

    private final ExecutorService pumps;

    public ProcessCommandRunner() {
        AtomicInteger n = new AtomicInteger();
        pumps = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "slurm-process-io-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public CommandResult run(Command command) throws SchedulerException {
        ProcessBuilder pb = new ProcessBuilder(command.argv());
        Map<String, String> env = pb.environment();
        env.clear();
        env.putAll(command.env());
        if (command.directory() != null) {
            pb.directory(command.directory().toFile());
        }
        Process process;
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new SchedulerException(ErrorCode.UNAVAILABLE,
                    "cannot run " + command.argv().get(0) + ": " + e.getMessage(),
                    Map.of("program", command.program()));
        }
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(process.getInputStream()), pumps);
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()), pumps);
        CompletableFuture.runAsync(() -> write(process.getOutputStream(), command.stdin()), pumps);
        try {
            if (!process.waitFor(command.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
                kill(process);
                throw new SchedulerException(ErrorCode.UNAVAILABLE, command.program() + " did not answer within "
                        + command.timeout().toSeconds() + " s", Map.of("program", command.program()));
            }
            return new CommandResult(process.exitValue(), drain(out), drain(err));
        } catch (InterruptedException e) {
            kill(process);
            Thread.currentThread().interrupt();
            throw new SchedulerException(ErrorCode.UNAVAILABLE, command.program() + " was interrupted",
                    Map.of("program", command.program()));
        }
    }

    @Override
    public void close() {
        pumps.shutdownNow();
    }

    private static void kill(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    /** Output of an exited process; a grandchild that still holds the pipe open must not block us. */
    private static String drain(CompletableFuture<String> pump) throws InterruptedException {
        try {
            return pump.get(DRAIN_MILLIS, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            return "";
        }
    }

    private static String read(InputStream in) {
        try (in) {
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            in.transferTo(buf);
            return buf.toString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(OutputStream stdin, String text) {
        try (stdin) {
            if (text != null) {
                stdin.write(text.getBytes(StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            // The process exited or closed its input early; its exit code and stderr tell what happened.
        }
    }
}
