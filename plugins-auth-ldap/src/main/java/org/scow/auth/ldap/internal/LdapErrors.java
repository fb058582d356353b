package org.scow.auth.ldap.internal;

import java.util.Set;

import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.ResultCode;
import org.scow.api.auth.AuthException;
import org.scow.api.auth.AuthException.Reason;

/** How LDAP failures become {@link AuthException}s. */
final class LdapErrors {
    /** Result codes of a user's bind that just mean "these credentials do not log in". */
    private static final Set<ResultCode> CREDENTIAL_FAILURES = Set.of(ResultCode.INVALID_CREDENTIALS,
            ResultCode.INAPPROPRIATE_AUTHENTICATION, ResultCode.UNWILLING_TO_PERFORM, ResultCode.NO_SUCH_OBJECT,
            ResultCode.INVALID_DN_SYNTAX);

    /** Result codes saying the directory (or the way to it) is not usable, whatever the operation. */
    private static final Set<ResultCode> UNREACHABLE = Set.of(ResultCode.SERVER_DOWN, ResultCode.CONNECT_ERROR,
            ResultCode.TIMEOUT, ResultCode.BUSY, ResultCode.UNAVAILABLE, ResultCode.LOCAL_ERROR,
            ResultCode.ENCODING_ERROR, ResultCode.DECODING_ERROR, ResultCode.NO_MEMORY, ResultCode.CANCELED,
            ResultCode.CLIENT_LOOP);

    private LdapErrors() {
    }

    /** Whether {@code rc} says the directory could not be reached or did not answer in time. */
    static boolean isUnreachable(ResultCode rc) {
        return UNREACHABLE.contains(rc) || !ResultCode.isConnectionUsable(rc)
                && !CREDENTIAL_FAILURES.contains(rc);
    }

    /** Whether a failed user bind with {@code rc} just means wrong credentials (empty login result). */
    static boolean isCredentialFailure(ResultCode rc) {
        return CREDENTIAL_FAILURES.contains(rc);
    }

    /**
     * UNAVAILABLE: the directory at {@code where} could not be used for {@code what}. The message names the
     * directory and the LDAP result so that an operator can act on it; it never contains a password.
     */
    static AuthException unavailable(String where, String what, LDAPException e) {
        String kind = isUnreachable(e.getResultCode()) ? "unavailable" : "refused the operation";
        return new AuthException(Reason.UNAVAILABLE, "LDAP directory " + where + " " + kind + " while " + what + ": "
                + describe(e), e);
    }

    /** "result-code-name (diagnostic)" of an LDAP exception. */
    static String describe(LDAPException e) {
        String diag = e.getDiagnosticMessage();
        if (diag == null || diag.isBlank()) {
            diag = e.getExceptionMessage();
        }
        return e.getResultCode().getName() + (diag == null || diag.isBlank() ? "" : " (" + diag + ")");
    }
}
