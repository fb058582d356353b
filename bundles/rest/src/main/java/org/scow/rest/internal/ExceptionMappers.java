package org.scow.rest.internal;

import java.util.Map;
import java.util.UUID;
import javax.ws.rs.WebApplicationException;
import javax.ws.rs.core.Response;
import javax.ws.rs.ext.ExceptionMapper;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsExtension;
import org.scow.api.scheduler.ErrorCode;
import org.scow.api.scheduler.SchedulerException;
import org.scow.rest.support.ApiException;
import org.scow.rest.support.ErrorBody;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Turns every failure into a JSON {@link ErrorBody} with the right status; nobody ever sees a stack trace. */
public final class ExceptionMappers {
    private static final Logger LOG = LoggerFactory.getLogger(ExceptionMappers.class);

    private ExceptionMappers() {
    }

    /** HTTP status for each scheduler error. */
    static int status(ErrorCode code) {
        return switch (code) {
            case ACCOUNT_NOT_FOUND, USER_NOT_FOUND, USER_NOT_IN_ACCOUNT, JOB_NOT_FOUND, PARTITION_NOT_FOUND -> 404;
            case ALREADY_EXISTS, INVALID_STATE -> 409;
            case SUBMIT_FAILED -> 422;
            case INVALID_ARGUMENT -> 400;
            case PERMISSION_DENIED -> 403;
            case NOT_SUPPORTED -> 501;
            case UNAVAILABLE -> 503;
            case INTERNAL -> 502;
        };
    }

    @Component(service = ExceptionMapper.class)
    @JaxrsExtension
    public static class Api implements ExceptionMapper<ApiException> {
        @Override
        public Response toResponse(ApiException e) {
            return e.toResponse();
        }
    }

    @Component(service = ExceptionMapper.class)
    @JaxrsExtension
    public static class Scheduler implements ExceptionMapper<SchedulerException> {
        @Override
        public Response toResponse(SchedulerException e) {
            return Json.error(status(e.code()), new ErrorBody(e.code().name(), e.getMessage(), Map.copyOf(e.details())));
        }
    }

    /** 404 for unknown paths, 405 for wrong methods, 415 for wrong content types: with a JSON body. */
    @Component(service = ExceptionMapper.class)
    @JaxrsExtension
    public static class Web implements ExceptionMapper<WebApplicationException> {
        @Override
        public Response toResponse(WebApplicationException e) {
            int status = e.getResponse().getStatus();
            if (status >= 500) {
                return Unexpected.log(e);
            }
            String code = Response.Status.fromStatusCode(status) == null ? "HTTP_" + status
                    : Response.Status.fromStatusCode(status).name();
            return Json.error(status, new ErrorBody(code, e.getMessage() == null ? code : e.getMessage(), Map.of()));
        }
    }

    @Component(service = ExceptionMapper.class)
    @JaxrsExtension
    public static class Unexpected implements ExceptionMapper<RuntimeException> {
        @Override
        public Response toResponse(RuntimeException e) {
            return log(e);
        }

        static Response log(Throwable e) {
            String incident = UUID.randomUUID().toString();
            LOG.error("Unexpected error, incident {}", incident, e);
            return Json.error(500, new ErrorBody("INTERNAL",
                    "internal error; the administrator can find incident " + incident + " in the platform log",
                    Map.of("incident", incident)));
        }
    }
}
