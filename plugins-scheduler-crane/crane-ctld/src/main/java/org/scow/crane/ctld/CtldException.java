package org.scow.crane.ctld;

/**
 * Every refusal of the controller: a stable code, the offending field (or null) and a human message. Thrown before
 * any state is changed, so a rejected request never leaves partial state behind.
 */
public final class CtldException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Stable error codes; they map one to one onto the platform SPI's {@code ErrorCode}. */
    public enum Code {
        INVALID_ARGUMENT, NOT_FOUND, ALREADY_EXISTS, PERMISSION_DENIED, INVALID_STATE,
        /** A QoS/account submit limit would be exceeded. */
        LIMIT_EXCEEDED,
        /** The account, the account in that partition, or the user in that account is blocked. */
        BLOCKED,
        /** The job can never run in its partition (asks for more than the partition has). */
        IMPOSSIBLE,
        UNAVAILABLE, INTERNAL
    }

    private final Code code;
    private final String field;

    public CtldException(Code code, String field, String message) {
        this(code, field, field == null ? message : field + ": " + message, false);
    }

    private CtldException(Code code, String field, String fullMessage, boolean unused) {
        super(fullMessage);
        this.code = code;
        this.field = field;
    }

    /** A job user the {@code JobUserPolicy} refuses; the message already names the user, so no field prefix. */
    public static CtldException systemUser(String message) {
        return new CtldException(Code.PERMISSION_DENIED, "user", message, false);
    }

    public Code code() {
        return code;
    }

    public String field() {
        return field;
    }

    public static CtldException invalid(String field, String message) {
        return new CtldException(Code.INVALID_ARGUMENT, field, message);
    }

    public static CtldException notFound(String field, String message) {
        return new CtldException(Code.NOT_FOUND, field, message);
    }

    public static CtldException denied(String message) {
        return new CtldException(Code.PERMISSION_DENIED, null, message);
    }

    public static CtldException state(String message) {
        return new CtldException(Code.INVALID_STATE, null, message);
    }
}
