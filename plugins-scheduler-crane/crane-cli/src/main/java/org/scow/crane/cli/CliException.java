package org.scow.crane.cli;

/** A failure to report on stderr as {@code <cmd>: error: <message>}, with an exit code; never a stack trace. */
final class CliException extends Exception {
    private static final long serialVersionUID = 1L;
    /** Exit code of a refused or failed request. */
    static final int FAILED = 1;
    /** Exit code of a usage error (bad flag or argument). */
    static final int USAGE = 2;

    final int exit;

    CliException(int exit, String message) {
        super(message, null, false, false);
        this.exit = exit;
    }

    static CliException usage(String message) {
        return new CliException(USAGE, message);
    }

    static CliException failed(String message) {
        return new CliException(FAILED, message);
    }
}
