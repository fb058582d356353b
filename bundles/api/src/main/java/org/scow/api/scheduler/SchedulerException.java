package org.scow.api.scheduler;

import java.util.Map;

/** A scheduler operation failed for the reason given by {@link #code()}. */
public class SchedulerException extends Exception {
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;
    private final Map<String, String> details;

    /** A failure with its code and a message for people. */
    public SchedulerException(ErrorCode code, String message) {
        this(code, message, Map.of(), null);
    }

    /** A failure with machine-readable details (e.g. {@code field}, {@code account}). */
    public SchedulerException(ErrorCode code, String message, Map<String, String> details) {
        this(code, message, details, null);
    }

    /** A failure with details and the exception that caused it. */
    public SchedulerException(ErrorCode code, String message, Map<String, String> details, Throwable cause) {
        super(message, cause);
        this.code = code;
        this.details = Map.copyOf(details);
    }

    /** The failure kind. */
    public ErrorCode code() {
        return code;
    }

    /** Machine-readable context, e.g. {@code field -> "partition"} or {@code reason -> "..."}; never null. */
    public Map<String, String> details() {
        return details;
    }

    /** {@link ErrorCode#ACCOUNT_NOT_FOUND} for {@code account}. */
    public static SchedulerException accountNotFound(String account) {
        return new SchedulerException(ErrorCode.ACCOUNT_NOT_FOUND, "account '" + account + "' does not exist",
                Map.of("account", account));
    }

    /** {@link ErrorCode#USER_NOT_FOUND} for {@code user}. */
    public static SchedulerException userNotFound(String user) {
        return new SchedulerException(ErrorCode.USER_NOT_FOUND, "user '" + user + "' does not exist",
                Map.of("user", user));
    }

    /** {@link ErrorCode#USER_NOT_IN_ACCOUNT}. */
    public static SchedulerException userNotInAccount(String user, String account) {
        return new SchedulerException(ErrorCode.USER_NOT_IN_ACCOUNT,
                "user '" + user + "' is not in account '" + account + "'", Map.of("user", user, "account", account));
    }

    /** {@link ErrorCode#JOB_NOT_FOUND} for {@code jobId}. */
    public static SchedulerException jobNotFound(String jobId) {
        return new SchedulerException(ErrorCode.JOB_NOT_FOUND, "job '" + jobId + "' does not exist",
                Map.of("jobId", jobId));
    }

    /** {@link ErrorCode#PARTITION_NOT_FOUND} for {@code partition}. */
    public static SchedulerException partitionNotFound(String partition) {
        return new SchedulerException(ErrorCode.PARTITION_NOT_FOUND, "partition '" + partition + "' does not exist",
                Map.of("partition", partition));
    }

    /** {@link ErrorCode#ALREADY_EXISTS}. */
    public static SchedulerException alreadyExists(String what) {
        return new SchedulerException(ErrorCode.ALREADY_EXISTS, what + " already exists");
    }

    /** {@link ErrorCode#SUBMIT_FAILED}: the scheduler refused the job. */
    public static SchedulerException submitFailed(String reason) {
        return new SchedulerException(ErrorCode.SUBMIT_FAILED, "job submission failed: " + reason,
                Map.of("reason", reason));
    }

    /** {@link ErrorCode#INVALID_ARGUMENT}, naming the field. */
    public static SchedulerException invalid(String field, String problem) {
        return new SchedulerException(ErrorCode.INVALID_ARGUMENT, field + ": " + problem, Map.of("field", field));
    }

    /** {@link ErrorCode#NOT_SUPPORTED}: the driver does not declare {@code feature}. */
    public static SchedulerException notSupported(DriverFeature feature) {
        return new SchedulerException(ErrorCode.NOT_SUPPORTED, "the driver does not implement " + feature,
                Map.of("feature", feature.name()));
    }
}
