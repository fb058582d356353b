package org.scow.management.rest;

import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.ext.ExceptionMapper;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsExtension;
import org.scow.management.ManagementException;
import org.scow.rest.support.ErrorBody;

/** A refused management or billing operation as the API's JSON error body with its status. */
@Component(service = ExceptionMapper.class)
@JaxrsExtension
public class ManagementExceptionMapper implements ExceptionMapper<ManagementException> {
    @Override
    public Response toResponse(ManagementException e) {
        return Response.status(e.status()).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new ErrorBody(e.code(), e.getMessage(), e.details())).build();
    }
}
