package org.scow.scheduler.slurm.internal;

/** What a finished process left behind. */
public record CommandResult(int exitCode, String stdout, String stderr) {

    public boolean ok() {
        return exitCode == 0;
    }

    /** The process's own words about a failure: stderr, else stdout, trimmed to one paragraph. */
    public String message() {
        String text = stderr.isBlank() ? stdout : stderr;
        return text.strip().replaceAll("\\s*\\n\\s*", "; ");
    }
}
