package org.scow.management.rest;

import javax.servlet.http.HttpServletRequest;
import javax.ws.rs.core.HttpHeaders;
import javax.ws.rs.core.SecurityContext;
import org.scow.management.Actor;
import org.scow.rest.support.Caller;

/**
 * The acting user of a request: the authenticated principal. Only while enforcement is switched off
 * ({@code org.scow.auth: enforce=false}) may an anonymous request name itself in the {@code X-Scow-User} header
 * (recorded in the audit log as given, not verified).
 */
public final class RequestActor {
    /** Header naming the acting user of anonymous requests while enforcement is off. */
    public static final String HEADER = "X-Scow-User";

    private RequestActor() {
    }

    public static Actor of(HttpHeaders headers, HttpServletRequest request, SecurityContext security) {
        String header = null;
        try {
            header = headers == null ? null : headers.getHeaderString(HEADER);
        } catch (RuntimeException e) {
            // outside a request
        }
        String ip = null;
        if (request != null) {
            try {
                ip = request.getRemoteAddr();
            } catch (RuntimeException e) {
                // not in a servlet request (e.g. a unit test proxy)
            }
        }
        String user;
        try {
            user = Caller.userId(security, header);
        } catch (IllegalStateException e) {
            user = header; // outside a request (proxy without a context)
        }
        return new Actor(user, ip);
    }
}
