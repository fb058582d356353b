package org.scow.crane.server;

import io.grpc.Context;
import org.scow.crane.protocol.Credential;

/**
 * The proven identity of the current call, set by {@link AuthInterceptor}.
 *
 * @param credential  the verified credential
 * @param actor       whom the controller acts for: the principal, or the on-behalf-of user of a proxy credential
 */
record Caller(Credential credential, String actor) {
    static final Context.Key<Caller> KEY = Context.key("crane-caller");

    static Caller current() {
        Caller c = KEY.get();
        if (c == null) throw new IllegalStateException("call reached the service without passing the interceptor");
        return c;
    }

    boolean isNode() {
        return credential.scope() == Credential.Scope.NODE;
    }
}
