package org.scow.crane.craned;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;
import org.scow.crane.protocol.JobState;

/**
 * Job ends not yet acknowledged by the controller, kept as one small file each ({@code <dir>/<id>-<runStart>}
 * holding {@code STATE exitCode endTime} and, on a second line, why it ended when the node knows; files of older
 * daemons have only the first two words) so that a daemon restart does not lose them. A file is removed once the controller
 * has answered the report (whether or not it applied it: its decision stands).
 */
final class ReportQueue {
    private static final Logger LOG = Logger.getLogger(ReportQueue.class.getName());

    /** {@code endTime}: when the job ended here (epoch s), 0 when unknown; {@code reason}: why, or null. */
    record Report(long jobId, long runStart, JobState state, int exitCode, long endTime, String reason) {
        String key() {
            return jobId + "-" + runStart;
        }
    }

    private final Path dir;
    private final Map<String, Report> pending = new LinkedHashMap<>();

    ReportQueue(Path dir) throws IOException {
        this.dir = dir;
        Files.createDirectories(dir);
        try (var s = Files.list(dir)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                String n = p.getFileName().toString();
                try {
                    String[] id = n.split("-");
                    String text = Files.readString(p).strip();
                    int nl = text.indexOf('\n');
                    String[] v = (nl < 0 ? text : text.substring(0, nl)).split(" ");
                    Report r = new Report(Long.parseLong(id[0]), Long.parseLong(id[1]), JobState.valueOf(v[0]),
                            Integer.parseInt(v[1]), v.length > 2 ? Long.parseLong(v[2]) : 0,
                            nl < 0 ? null : text.substring(nl + 1));
                    pending.put(r.key(), r);
                } catch (RuntimeException | IOException e) {
                    LOG.warning("ignoring unreadable report " + p + ": " + e);
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    synchronized void add(Report r) {
        try {
            Files.writeString(dir.resolve(r.key()), r.state() + " " + r.exitCode() + " " + r.endTime() + "\n"
                    + (r.reason() == null ? "" : r.reason().replace('\n', ' ') + "\n"));
        } catch (IOException e) {
            LOG.warning("job " + r.jobId() + ": report not persisted (kept in memory): " + e.getMessage());
        }
        pending.put(r.key(), r);
        notifyAll();
    }

    synchronized boolean contains(long jobId, long runStart) {
        return pending.containsKey(jobId + "-" + runStart);
    }

    /** Up to {@code max} pending reports, oldest first; waits up to {@code waitMs} for one. */
    synchronized List<Report> peek(int max, long waitMs) throws InterruptedException {
        if (pending.isEmpty()) wait(waitMs);
        List<Report> l = new ArrayList<>(Math.min(max, pending.size()));
        for (Report r : pending.values()) {
            if (l.size() == max) break;
            l.add(r);
        }
        return l;
    }

    synchronized void remove(List<Report> done) {
        for (Report r : done) {
            pending.remove(r.key());
            try {
                Files.deleteIfExists(dir.resolve(r.key()));
            } catch (IOException e) {
                LOG.warning("report " + r.key() + " not removed: " + e.getMessage());
            }
        }
    }

    synchronized int size() {
        return pending.size();
    }
}
