package org.scow.rest.internal;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;
import java.util.Map;
import java.util.stream.Collectors;
import javax.ws.rs.Consumes;
import javax.ws.rs.Produces;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.MultivaluedMap;
import javax.ws.rs.core.StreamingOutput;
import javax.ws.rs.ext.MessageBodyReader;
import javax.ws.rs.ext.MessageBodyWriter;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsExtension;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsMediaType;
import org.scow.rest.support.ApiException;

/**
 * Reads and writes JSON bodies with {@link Json#MAPPER}. A body that cannot be bound becomes a 400 naming the field
 * at fault, instead of the container's generic error.
 */
@Component(service = {MessageBodyReader.class, MessageBodyWriter.class})
@JaxrsExtension
@JaxrsMediaType(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class JsonProvider implements MessageBodyReader<Object>, MessageBodyWriter<Object> {

    @Override
    public boolean isReadable(Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType) {
        return handles(type, mediaType);
    }

    @Override
    public Object readFrom(Class<Object> type, Type genericType, Annotation[] annotations, MediaType mediaType,
                           MultivaluedMap<String, String> headers, InputStream in) throws IOException {
        try {
            Object value = Json.MAPPER.readerFor(Json.MAPPER.constructType(genericType)).readValue(in);
            if (value == null) {
                throw new ApiException(400, "INVALID_ARGUMENT", "a JSON request body is required", Map.of());
            }
            return value;
        } catch (UnrecognizedPropertyException e) {
            String field = path(e);
            throw new ApiException(400, "INVALID_ARGUMENT", field + ": unknown field; known fields are "
                    + e.getKnownPropertyIds(), Map.of("field", field));
        } catch (JsonMappingException e) {
            if (e.getCause() instanceof ApiException a) { // the body stream refused (e.g. over the size limit)
                throw a;
            }
            String field = path(e);
            String problem = problem(e.getOriginalMessage());
            throw field.isEmpty()
                    ? new ApiException(400, "INVALID_ARGUMENT", "request body: " + problem, Map.of())
                    : ApiException.badField(field, problem);
        } catch (JacksonException e) {
            if (e.getCause() instanceof ApiException a) {
                throw a;
            }
            throw new ApiException(400, "MALFORMED_JSON", "request body is not valid JSON: " + e.getOriginalMessage(),
                    Map.of("line", e.getLocation() == null ? 0 : e.getLocation().getLineNr()));
        }
    }

    @Override
    public boolean isWriteable(Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType) {
        return handles(type, mediaType);
    }

    @Override
    public void writeTo(Object value, Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType,
                        MultivaluedMap<String, Object> headers, OutputStream out) throws IOException {
        Json.MAPPER.writeValue(new NonClosing(out), value);
    }

    private static boolean handles(Class<?> type, MediaType mediaType) {
        boolean json = mediaType == null || mediaType.isWildcardType()
                || mediaType.getSubtype().equals("json") || mediaType.getSubtype().endsWith("+json");
        return json && type != String.class && type != byte[].class && !InputStream.class.isAssignableFrom(type)
                && !StreamingOutput.class.isAssignableFrom(type);
    }

    /** Jackson's message without its hints to programmers. */
    static String problem(String message) {
        if (message.startsWith("Cannot map `null` into type")) {
            return "is required";
        }
        String m = message.replaceAll("\\s*\\(class [^)]*\\)", "");
        int hint = m.indexOf(" (set DeserializationConfig");
        return hint < 0 ? m : m.substring(0, hint);
    }

    /** "spec.nodes", "extraOptions[2]". */
    private static String path(JsonMappingException e) {
        return e.getPath().stream()
                .map(r -> r.getFieldName() != null ? "." + r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining()).replaceFirst("^\\.", "");
    }

    /** Jackson closes the stream it writes to; the container owns it. */
    private static final class NonClosing extends java.io.FilterOutputStream {
        NonClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
