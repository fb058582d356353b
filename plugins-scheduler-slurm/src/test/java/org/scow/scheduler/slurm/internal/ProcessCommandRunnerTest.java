package org.scow.scheduler.slurm.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.scow.scheduler.slurm.internal.AccountsTest.expect;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.After;
import org.junit.Test;
import org.scow.api.scheduler.ErrorCode;

/** The real process runner with ordinary Unix tools; no Slurm needed. */
public class ProcessCommandRunnerTest {
    private final ProcessCommandRunner runner = new ProcessCommandRunner();

    @After
    public void close() {
        runner.close();
    }

    private Command cmd(String stdin, Duration timeout, String... argv) {
        return new Command(List.of(argv), Map.of("PATH", "/usr/bin:/bin", "ONLY", "this"), stdin, null, timeout);
    }

    @Test
    public void passesStdinAndTheGivenEnvironmentOnly() throws Exception {
        CommandResult r = runner.run(cmd("hello\n", Duration.ofSeconds(10), "/bin/sh", "-c", "cat; env | sort"));
        assertEquals(0, r.exitCode());
        assertTrue(r.stdout(), r.stdout().startsWith("hello\n"));
        assertTrue(r.stdout(), r.stdout().contains("ONLY=this"));
        assertTrue(r.stdout(), !r.stdout().contains("JAVA_HOME") && !r.stdout().contains("MAVEN"));
    }

    @Test
    public void argumentsAreNotInterpretedByAShell() throws Exception {
        CommandResult r = runner.run(cmd(null, Duration.ofSeconds(10), "/bin/echo", "$(id)", "a;b", "*"));
        assertEquals("$(id) a;b *\n", r.stdout());
    }

    @Test
    public void exitCodeAndStderrAreReported() throws Exception {
        CommandResult r = runner.run(cmd(null, Duration.ofSeconds(10), "/bin/sh", "-c", "echo oops >&2; exit 3"));
        assertEquals(3, r.exitCode());
        assertEquals("oops", r.message());
    }

    @Test
    public void aHangingCommandIsKilledAtItsTimeout() {
        long start = System.nanoTime();
        var e = expect(ErrorCode.UNAVAILABLE, () -> runner.run(cmd(null, Duration.ofMillis(500), "/bin/sh", "-c",
                "sleep 30 & wait")));
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertTrue("gave up after " + millis + " ms", millis < 5_000);
        assertTrue(e.getMessage(), e.getMessage().contains("did not answer within"));
    }

    @Test
    public void aMissingProgramIsUnavailable() {
        var e = expect(ErrorCode.UNAVAILABLE, () -> runner.run(cmd(null, Duration.ofSeconds(5),
                "/nonexistent/bin/squeue")));
        assertTrue(e.getMessage(), e.getMessage().contains("/nonexistent/bin/squeue"));
    }

    @Test
    public void largeOutputDoesNotBlock() throws Exception {
        CommandResult r = runner.run(cmd(null, Duration.ofSeconds(20), "/bin/sh", "-c",
                "head -c 2000000 /dev/zero | tr '\\0' x"));
        assertEquals(2_000_000, r.stdout().length());
    }
}
