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
            java.util.regex.Matcher dup = DUPLICATE.matcher(String.valueOf(e.getOriginalMessage()));
            if (dup.find()) {
                throw ApiException.badField(dup.group(1), "is given more than once");
            }
            String current = e instanceof com.fasterxml.jackson.core.exc.StreamReadException r
                    && r.getProcessor() != null ? currentName(r.getProcessor()) : null;
            if (e instanceof com.fasterxml.jackson.core.exc.InputCoercionException && current != null) {
                throw ApiException.badField(current, "is out of range");
            }
            throw new ApiException(400, "MALFORMED_JSON", "request body is not valid JSON: "
                    + problem(String.valueOf(e.getOriginalMessage())),
                    Map.of("line", e.getLocation() == null ? 0 : e.getLocation().getLineNr()));
        } catch (ApiException e) {
            throw e;
        } catch (IOException e) {
            throw incomplete(e);
        }
    }

    private static String currentName(com.fasterxml.jackson.core.JsonParser p) {
        try {
            return p.currentName();
        } catch (RuntimeException | java.io.IOException e) {
            return null;
        }
    }

    private static final java.util.regex.Pattern DUPLICATE = java.util.regex.Pattern.compile("^Duplicate field '(.*)'");

    /**
     * The body stopped arriving: the client closed early or sent less than its Content-Length and the container's
     * idle timeout ended the wait. Either way it is the client's request, not a server failure.
     */
    static ApiException incomplete(IOException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.util.concurrent.TimeoutException || t instanceof java.net.SocketTimeoutException
                    || String.valueOf(t.getMessage()).toLowerCase(java.util.Locale.ROOT).contains("timeout")) {
                return new ApiException(408, "REQUEST_TIMEOUT", "the request body did not arrive in time: was less "
                        + "sent than its Content-Length announced?", Map.of());
            }
        }
        return new ApiException(400, "INCOMPLETE_BODY", "the request body ended before it was complete", Map.of());
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

    /**
     * Jackson's message in the words of JSON, not Java: no class names, tokens or hints to programmers (a caller
     * needs to know that a field wants a number, not that it is a {@code java.lang.Integer}).
     */
    static String problem(String message) {
        if (message == null) {
            return "is not valid";
        }
        if (message.startsWith("Cannot map `null` into type")) {
            return "is required";
        }
        String m = message.replaceAll("\\s*\\(class [^)]*\\)", "");
        int hint = m.indexOf(" (set DeserializationConfig");
        m = hint < 0 ? m : m.substring(0, hint);
        m = m.replaceAll("\\s*\\(token `[^`]*`\\)", "")
                .replaceAll("\\s*\\(although at least one Creator exists\\)", "")
                .replaceAll("\\s*\\(no Creators, like default constructor, exist\\)", "")
                .replaceAll("Enum class: ", "")
                .replace("no String-argument constructor/factory method to deserialize from String value",
                        "a text value is not allowed here")
                .replace("no int/Int-argument constructor/factory method to deserialize from Number value",
                        "a number is not allowed here")
                .replace("no boolean/Boolean-argument constructor/factory method to deserialize from Boolean value",
                        "true/false is not allowed here");
        java.util.regex.Matcher enumValue = ENUM.matcher(m);
        if (enumValue.find()) {
            return "must be one of " + enumValue.group(3) + ", was " + enumValue.group(2);
        }
        java.util.regex.Matcher coerce = COERCE.matcher(m);
        if (coerce.find()) {
            return "must be " + jsonType(coerce.group(2)) + ", not " + given(coerce.group(1));
        }
        java.util.regex.Matcher shape = SHAPE.matcher(m);
        if (shape.find()) {
            return "must be " + jsonType(shape.group(1)) + ", not " + given(shape.group(2));
        }
        java.util.regex.Matcher types = TYPE.matcher(m);
        StringBuilder out = new StringBuilder();
        while (types.find()) {
            types.appendReplacement(out, java.util.regex.Matcher.quoteReplacement(jsonType(types.group(1))));
        }
        types.appendTail(out);
        return out.toString().replace("JsonToken.", "").replaceAll("\\b(?:java|javax|org|com)\\.[\\w.$]+", "value");
    }

    private static final java.util.regex.Pattern TYPE = java.util.regex.Pattern.compile("`([^`]*)`");
    private static final java.util.regex.Pattern ENUM = java.util.regex.Pattern.compile(
            "^Cannot deserialize value of type `([^`]*)` from String (\"[^\"]*\"|'[^']*'):.*not one of the values "
                    + "accepted for (?:Enum class: )?(\\[.*\\])");
    private static final java.util.regex.Pattern SHAPE = java.util.regex.Pattern.compile(
            "^Cannot (?:deserialize value of type|coerce \\w+ value .* to|construct instance of) `([^`]*)`"
                    + "(?: value)?.*?\\b(String|Array|Object|Boolean|Integer|Floating-point)\\b");

    private static final java.util.regex.Pattern COERCE = java.util.regex.Pattern.compile(
            "^Cannot coerce (\\w+)[\\w -]* value .*? to `([^`]*)`");

    private static String given(String jacksonShape) {
        return switch (jacksonShape) {
            case "String" -> "text";
            case "Array" -> "a list";
            case "Object" -> "an object";
            case "Boolean" -> "true/false";
            default -> "a number";
        };
    }

    /** What a Java type is called in JSON terms. */
    static String jsonType(String javaType) {
        String t = javaType.replaceAll("<.*", "");
        String simple = t.substring(t.lastIndexOf('.') + 1);
        return switch (simple) {
            case "String", "char", "Character" -> "text";
            case "int", "Integer", "long", "Long", "short", "Short", "byte", "Byte", "BigInteger" -> "a whole number";
            case "double", "Double", "float", "Float", "BigDecimal", "Number" -> "a number";
            case "boolean", "Boolean" -> "true or false";
            case "Instant", "OffsetDateTime", "ZonedDateTime", "LocalDateTime" -> "an ISO-8601 time";
            case "Duration" -> "an ISO-8601 duration";
            case "List", "Set", "Collection", "ArrayList", "HashSet" -> "a list";
            case "Map", "HashMap", "LinkedHashMap" -> "an object";
            default -> t.endsWith("[]") ? "a list" : t.startsWith("java") || t.contains(".") || t.contains("$")
                    ? "an object" : "'" + t + "'";
        };
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
