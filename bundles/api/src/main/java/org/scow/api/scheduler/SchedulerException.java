package org.scow.api.scheduler;

import java.util.Map;

/** A scheduler operation failed for the reason given by {@link #code()}. */
public class SchedulerException extends Exception {
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;
    private final Map<String, String> details;

    public SchedulerException(ErrorCode code, String message) {
        this(code, message, Map.of(), null);
    }

    public SchedulerException(ErrorCode code, String message, Map<String, String> details) {
        this(code, message, details, null);
    }

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

    public static SchedulerException accountNotFound(String account) {
        return new SchedulerException(ErrorCode.ACCOUNT_NOT_FOUND, "account '" + account + "' does not exist",
                Map.of("account", account));
    }

    public static SchedulerException userNotFound(String user) {
        return new SchedulerException(ErrorCode.USER_NOT_FOUND, "user '" + user + "' does not exist",
                Map.of("user", user));
    }

    public static SchedulerException userNotInAccount(String user, String account) {
        return new SchedulerException(ErrorCode.USER_NOT_IN_ACCOUNT,
                "user '" + user + "' is not in account '" + account + "'", Map.of("user", user, "account", account));
    }

    public static SchedulerException jobNotFound(String jobId) {
        return new SchedulerException(ErrorCode.JOB_NOT_FOUND, "job '" + jobId + "' does not exist",
                Map.of("jobId", jobId));
    }

    public static SchedulerException partitionNotFound(String partition) {
        return new SchedulerException(ErrorCode.PARTITION_NOT_FOUND, "partition '" + partition + "' does not exist",
                Map.of("partition", partition));
    }

    public static SchedulerException alreadyExists(String what) {
        return new SchedulerException(ErrorCode.ALREADY_EXISTS, what + " already exists");
    }

    public static SchedulerException submitFailed(String reason) {
        return new SchedulerException(ErrorCode.SUBMIT_FAILED, "job submission failed: " + reason,
                Map.of("reason", reason));
    }

    public static SchedulerException invalid(String field, String problem) {
        return new SchedulerException(ErrorCode.INVALID_ARGUMENT, field + ": " + problem, Map.of("field", field));
    }

    public static SchedulerException notSupported(DriverFeature feature) {
        return new SchedulerException(ErrorCode.NOT_SUPPORTED, "the driver does not implement " + feature,
                Map.of("feature", feature.name()));
    }
}
