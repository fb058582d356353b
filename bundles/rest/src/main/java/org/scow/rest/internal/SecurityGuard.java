package org.scow.rest.internal;

import java.util.Map;
import javax.annotation.Priority;
import javax.ws.rs.Priorities;
import javax.ws.rs.container.ContainerRequestContext;
import javax.ws.rs.container.ContainerRequestFilter;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JSONRequired;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsExtension;
import org.scow.rest.support.ApiException;
import org.scow.rest.support.Caller;

/**
 * Fails closed when no security filter looked at a request (the auth feature is uninstalled or not started yet):
 * without it every resource would answer anonymous callers. Runs after the auth bundle's filter, which marks the
 * requests it checked.
 */
@Component(service = ContainerRequestFilter.class)
@JaxrsExtension
@JSONRequired
@Priority(Priorities.USER + 1000)
public class SecurityGuard implements ContainerRequestFilter {
    @Override
    public void filter(ContainerRequestContext request) {
        if (request.getProperty(Caller.CHECKED_PROPERTY) == null) {
            request.abortWith(new ApiException(503, "UNAVAILABLE",
                    "authentication is not running (feature scow-auth); the API refuses every request until it is",
                    Map.of()).toResponse());
        }
    }
}
