package org.scow.crane.driver;

import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.HashMap;
import java.util.Map;
import org.scow.api.scheduler.ErrorCode;
import org.scow.api.scheduler.SchedulerException;
import org.scow.crane.protocol.Wire;

/** Maps a failed Crane call onto the SPI's {@link ErrorCode}, from the controller's code and field trailers. */
final class Failures {
    private Failures() {
    }

    /** Which SPI operation failed: a refused submission is SUBMIT_FAILED where other calls are more specific. */
    enum Context { SUBMIT, OTHER }

    static SchedulerException map(StatusRuntimeException e, Context context) {
        Status status = e.getStatus();
        Metadata t = e.getTrailers();
        String code = t == null ? null : t.get(Wire.ERROR_CODE);
        String field = t == null ? null : t.get(Wire.ERROR_FIELD);
        String message = status.getDescription() == null ? status.getCode().name() : status.getDescription();
        Map<String, String> details = new HashMap<>();
        if (field != null) details.put("field", field);
        if (code == null) {
            // no controller code: the transport failed (connection refused, deadline, TLS...) before the controller
            ErrorCode ec = switch (status.getCode()) {
                case UNAVAILABLE, DEADLINE_EXCEEDED, CANCELLED -> ErrorCode.UNAVAILABLE;
                default -> ErrorCode.INTERNAL;
            };
            return new SchedulerException(ec, "cranectld: " + message, details, e);
        }
        ErrorCode ec = switch (code) {
            case "NOT_FOUND" -> notFound(field, context);
            case "ALREADY_EXISTS" -> ErrorCode.ALREADY_EXISTS;
            case "INVALID_ARGUMENT" -> ErrorCode.INVALID_ARGUMENT;
            // a job user the controller refuses outright (a system account) is a permission matter, not a failed submit
            case "PERMISSION_DENIED" -> context == Context.SUBMIT && !"user".equals(field)
                    ? ErrorCode.SUBMIT_FAILED : ErrorCode.PERMISSION_DENIED;
            case "INVALID_STATE" -> ErrorCode.INVALID_STATE;
            case "BLOCKED", "LIMIT_EXCEEDED", "IMPOSSIBLE" -> ErrorCode.SUBMIT_FAILED;
            case "UNAVAILABLE" -> ErrorCode.UNAVAILABLE;
            // the driver's own credential was refused: a configuration problem, not the user's
            case Wire.UNAUTHENTICATED -> ErrorCode.PERMISSION_DENIED;
            default -> ErrorCode.INTERNAL;
        };
        if (ec == ErrorCode.SUBMIT_FAILED) details.put("reason", message);
        return new SchedulerException(ec, message, details, e);
    }

    private static ErrorCode notFound(String field, Context context) {
        if (field == null) return ErrorCode.INTERNAL;
        return switch (field) {
            case "account" -> ErrorCode.ACCOUNT_NOT_FOUND;
            case "user" -> ErrorCode.USER_NOT_FOUND;
            case "membership" -> ErrorCode.USER_NOT_IN_ACCOUNT;
            case "job" -> ErrorCode.JOB_NOT_FOUND;
            case "partition" -> ErrorCode.PARTITION_NOT_FOUND;
            // qos, gres, node, dependency: a bad value in the request
            default -> context == Context.SUBMIT ? ErrorCode.SUBMIT_FAILED : ErrorCode.INVALID_ARGUMENT;
        };
    }
}
