package org.scow.rest.support;

import org.osgi.annotation.versioning.ConsumerType;
import java.util.Optional;

/**
 * Resolves the caller of a request that does not pass through the JAX-RS security filter (a WebSocket upgrade, a
 * plain servlet), with the same sessions and tokens as the REST API. Provided by the auth bundle.
 */
@ConsumerType
public interface RequestAuthenticator {
    /** Name of the session cookie browsers send. */
    String SESSION_COOKIE = "SCOW_SESSION";

    /** The caller of a session cookie's value, extending the session; empty for unknown or expired sessions. */
    Optional<ScowPrincipal> session(String sessionId);

    /** The caller of a raw bearer token (recorded in the audit log); empty for bad, expired or revoked tokens. */
    Optional<ScowPrincipal> token(String rawToken, String sourceIp);
}
