package org.scow.loginnode;

/** Why a login node could not be used; {@link #reason()} tells callers which answer to give. */
public class LoginNodeException extends Exception {
    private static final long serialVersionUID = 1L;

    /** The kinds of failure. */
    public enum Reason {
        /** No cluster with that id is configured. */
        UNKNOWN_CLUSTER,
        /** The cluster has no {@code loginNodes} configured. */
        NOT_CONFIGURED,
        /** The cluster has no login node of that name. */
        UNKNOWN_NODE,
        /** The user name is not a valid Unix user name. */
        INVALID_USER,
        /** The login node does not answer, or the connection broke. */
        UNREACHABLE,
        /** The login node refused the platform's key for this user (and the key installer could not help). */
        AUTH_FAILED
    }

    private final Reason reason;

    public LoginNodeException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public LoginNodeException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
