package org.scow.api.auth;

/** An auth backend operation failed. */
public class AuthException extends Exception {
    private static final long serialVersionUID = 1L;

    private final Reason reason;

    public AuthException(Reason reason, String message) {
        this(reason, message, null);
    }

    public AuthException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }

    /** Why it failed. */
    public enum Reason {
        /** The user does not exist. */
        USER_NOT_FOUND,
        /** The user id is taken. */
        ALREADY_EXISTS,
        /** The old password did not match, or the new one breaks the password policy. */
        BAD_PASSWORD,
        /** The input is malformed. */
        INVALID_ARGUMENT,
        /** The backend does not support the operation. */
        NOT_SUPPORTED,
        /** The directory could not be reached or timed out. */
        UNAVAILABLE
    }
}
