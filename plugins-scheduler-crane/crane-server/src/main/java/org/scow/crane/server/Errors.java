package org.scow.crane.server;

import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.scow.crane.ctld.CtldException;
import org.scow.crane.protocol.Wire;

/** Turns controller refusals into gRPC statuses that carry the controller's stable code and field as trailers. */
final class Errors {
    private Errors() {
    }

    static StatusRuntimeException of(CtldException e) {
        Status status = switch (e.code()) {
            case INVALID_ARGUMENT -> Status.INVALID_ARGUMENT;
            case NOT_FOUND -> Status.NOT_FOUND;
            case ALREADY_EXISTS -> Status.ALREADY_EXISTS;
            case PERMISSION_DENIED -> Status.PERMISSION_DENIED;
            case INVALID_STATE, BLOCKED, IMPOSSIBLE -> Status.FAILED_PRECONDITION;
            case LIMIT_EXCEEDED -> Status.RESOURCE_EXHAUSTED;
            case UNAVAILABLE -> Status.UNAVAILABLE;
            case INTERNAL -> Status.INTERNAL;
        };
        return of(status, e.code().name(), e.field(), e.getMessage());
    }

    static StatusRuntimeException of(Status status, String code, String field, String message) {
        Metadata trailers = new Metadata();
        trailers.put(Wire.ERROR_CODE, code);
        if (field != null) trailers.put(Wire.ERROR_FIELD, field);
        return status.withDescription(message).asRuntimeException(trailers);
    }

    static StatusRuntimeException invalid(String field, String message) {
        return of(CtldException.invalid(field, message));
    }

    static StatusRuntimeException denied(String message) {
        return of(CtldException.denied(message));
    }

    /**
     * Answers a unary call with what {@code call} returns, or with the error it throws, turning every failure into a
     * status with a clear message (nothing escapes as a crash); a null result means "answered elsewhere".
     * {@code service} names the service in the log of an internal error.
     */
    static <T> void reply(StreamObserver<T> out, Supplier<T> call, Logger log, String service) {
        T result;
        try {
            result = call.get();
        } catch (CtldException e) {
            out.onError(of(e));
            return;
        } catch (StatusRuntimeException e) {
            out.onError(e);
            return;
        } catch (RuntimeException e) {
            log.log(Level.WARNING, "internal error in a " + service + " call", e);
            out.onError(of(Status.INTERNAL, "INTERNAL", null, "internal error: " + e));
            return;
        }
        if (result == null) return;
        out.onNext(result);
        out.onCompleted();
    }
}
