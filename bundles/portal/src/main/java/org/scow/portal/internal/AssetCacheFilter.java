package org.scow.portal.internal;

import javax.annotation.Priority;
import javax.ws.rs.Priorities;
import javax.ws.rs.container.ContainerRequestContext;
import javax.ws.rs.container.ContainerResponseContext;
import javax.ws.rs.container.ContainerResponseFilter;
import javax.ws.rs.container.ResourceInfo;
import javax.ws.rs.core.Context;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsExtension;

/**
 * The platform's security filter marks every response no-store; the portal's hashed files are immutable and should
 * be cached. Response filters run in descending priority, so this one (priority lower than the security filter's
 * default) runs after it and restores the resource's own Cache-Control for those files only.
 */
@Component(service = ContainerResponseFilter.class)
@JaxrsExtension
@Priority(Priorities.AUTHENTICATION)
public class AssetCacheFilter implements ContainerResponseFilter {
    @Context
    private ResourceInfo resourceInfo;

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        boolean portal = resourceInfo != null && resourceInfo.getResourceClass() == PortalResource.class;
        int status = response.getStatus();
        if (portal && (status == 200 || status == 304)
                && request.getUriInfo().getPath().startsWith(Assets.HASHED_DIR)) {
            response.getHeaders().putSingle("Cache-Control", PortalResource.IMMUTABLE);
        }
    }
}
