package org.scow.crane.ctld;

import java.util.List;
import org.scow.crane.ctld.model.Job;

/**
 * Where started jobs go: the node daemons in production (next issue), a simulator in benchmarks. Called outside the
 * controller lock and only after the start records are durable, so a job never runs unrecorded.
 */
public interface Launcher {
    void launch(List<Job> jobs);

    /** The controller ended a running job (cancel, timeout, node failure): kill it on its nodes. */
    default void terminate(List<Job> jobs) {
    }

    Launcher NONE = jobs -> { };
}
