package org.scow.crane.server;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.regex.Pattern;
import org.scow.crane.ctld.Clock;
import org.scow.crane.protocol.Credential;
import org.scow.crane.protocol.Wire;

/**
 * Verifies the credential of every call before any handler runs and puts the proven {@link Caller} into the call's
 * context. A call without a valid credential never reaches the controller.
 */
final class AuthInterceptor implements ServerInterceptor {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private final VerifiedCredentials verified;
    private final Clock clock;

    AuthInterceptor(byte[] key, Clock clock) {
        this.verified = new VerifiedCredentials(key);
        this.clock = clock;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                       ServerCallHandler<Q, R> next) {
        Caller caller;
        try {
            caller = authenticate(headers);
        } catch (StatusRuntimeException e) {
            call.close(e.getStatus(), e.getTrailers() == null ? new Metadata() : e.getTrailers());
            return new ServerCall.Listener<>() { };
        }
        return Contexts.interceptCall(Context.current().withValue(Caller.KEY, caller), call, headers, next);
    }

    private Caller authenticate(Metadata headers) {
        Credential c;
        try {
            c = verified.verify(headers.get(Wire.CREDENTIAL), clock.nowSec());
        } catch (Credential.InvalidCredentialException e) {
            throw Errors.of(Status.UNAUTHENTICATED, Wire.UNAUTHENTICATED, "credential", e.getMessage());
        }
        String onBehalf = headers.get(Wire.ON_BEHALF_OF);
        if (onBehalf == null) return new Caller(c, c.principal());
        if (c.scope() != Credential.Scope.PROXY) {
            throw Errors.denied("only a proxy credential may act on behalf of another user");
        }
        if (!NAME.matcher(onBehalf).matches()) throw Errors.invalid("onBehalfOf", "'" + onBehalf + "' is not a user name");
        return new Caller(c, onBehalf);
    }
}
