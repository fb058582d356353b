package org.scow.rest.support;

import java.util.Map;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;

/** An error the API answers with as it is: HTTP status plus {@link ErrorBody}. */
public class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String code;
    private final Map<String, Object> details;

    public ApiException(int status, String code, String message, Map<String, Object> details) {
        super(message);
        this.status = status;
        this.code = code;
        this.details = details;
    }

    /** 400 for a bad request field or parameter. */
    public static ApiException badField(String field, String problem) {
        return new ApiException(400, "INVALID_ARGUMENT", field + ": " + problem, Map.of("field", field));
    }

    public static ApiException notFound(String code, String message, Map<String, Object> details) {
        return new ApiException(404, code, message, details);
    }

    public int status() {
        return status;
    }

    public ErrorBody body() {
        return new ErrorBody(code, getMessage(), details);
    }

    public Response toResponse() {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(body()).build();
    }
}
