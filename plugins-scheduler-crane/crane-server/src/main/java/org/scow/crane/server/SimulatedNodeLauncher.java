package org.scow.crane.server;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.scow.crane.ctld.Controller;
import org.scow.crane.ctld.CtldException;
import org.scow.crane.ctld.Launcher;
import org.scow.crane.ctld.model.Job;

/**
 * A stand-in for the node daemons ({@code craned}, issue 4) that runs nothing: it reads a job's script and ends the
 * job after the total of its {@code sleep N} lines, with the status of its last {@code exit N} line (else 0). It lets
 * the protocol, the platform driver and its contract suite see jobs run and finish before real nodes exist. The
 * real node daemon replaces it; it is enabled only by {@code SimulatedNodes=true}.
 *
 * <p>Not simulated: recovery. After a controller restart, running jobs are not re-adopted and end at their time
 * limit (the controller's TIMEOUT), which is what happens when a node daemon never reports back.
 */
final class SimulatedNodeLauncher implements Launcher, AutoCloseable {
    private static final Pattern SLEEP = Pattern.compile("^\\s*sleep\\s+(\\d+(?:\\.\\d+)?)\\s*$");
    private static final Pattern EXIT = Pattern.compile("^\\s*exit\\s+(\\d{1,3})\\s*$");

    private final Controller ctl;
    private final Runnable onFinished;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "crane-simulated-nodes");
        t.setDaemon(true);
        return t;
    });
    private final Map<Long, ScheduledFuture<?>> running = new ConcurrentHashMap<>();

    SimulatedNodeLauncher(Controller ctl, Runnable onFinished) {
        this.ctl = ctl;
        this.onFinished = onFinished;
    }

    /** What a script would do, as far as the simulator can tell. */
    record Outcome(long millis, int exitCode) {
    }

    static Outcome outcome(String script) {
        double seconds = 0;
        int exit = 0;
        for (String line : script.split("\n")) {
            Matcher s = SLEEP.matcher(line);
            if (s.matches()) seconds += Double.parseDouble(s.group(1));
            Matcher e = EXIT.matcher(line);
            exit = e.matches() ? Integer.parseInt(e.group(1)) : line.isBlank() || line.startsWith("#") ? exit : 0;
        }
        return new Outcome((long) (seconds * 1000), exit);
    }

    @Override
    public void launch(List<Job> jobs) {
        for (Job j : jobs) {
            Outcome o = outcome(j.desc.script());
            long id = j.id;
            running.put(id, timer.schedule(() -> finish(id, o.exitCode()), o.millis(), TimeUnit.MILLISECONDS));
        }
    }

    private void finish(long id, int exitCode) {
        running.remove(id);
        try {
            ctl.jobFinished(id, exitCode, false);
            onFinished.run();
        } catch (CtldException ended) {
            // cancelled or timed out meanwhile: the controller already ended it
        }
    }

    @Override
    public void terminate(List<Job> jobs) {
        for (Job j : jobs) {
            ScheduledFuture<?> f = running.remove(j.id);
            if (f != null) f.cancel(false);
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
