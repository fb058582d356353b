package org.scow.management.rest;

import javax.servlet.http.HttpServletRequest;
import javax.ws.rs.core.HttpHeaders;
import org.scow.management.Actor;

/**
 * The acting user of a request. Until authentication lands it is the {@code X-Scow-User} header (recorded in the
 * audit log as given, not verified); the auth work replaces this with the authenticated principal.
 */
public final class RequestActor {
    /** Header naming the acting user until authentication lands. */
    public static final String HEADER = "X-Scow-User";

    private RequestActor() {
    }

    public static Actor of(HttpHeaders headers, HttpServletRequest request) {
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
        return new Actor(header, ip);
    }
}
