package org.scow.rest.internal;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import org.scow.rest.support.ErrorBody;

/** The one JSON configuration of the API. */
public final class Json {
    /**
     * Strict on input so that mistakes are reported rather than guessed at: unknown fields, nulls for numbers, numbers
     * for enums, a field given twice ({@code {"amount":1,"amount":1000}} must not pay 1000) and numbers or booleans
     * where text is expected (a tenant must not be called {@code true}) are errors. ISO-8601 instants; absent values
     * left out.
     */
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .addModule(new com.fasterxml.jackson.databind.module.SimpleModule("clean-text")
                    .addDeserializer(String.class, new CleanText())
                    .addDeserializer(java.time.Instant.class, new IsoInstant()))
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .withCoercionConfig(LogicalType.Integer, c -> c.setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
            .withCoercionConfig(LogicalType.Float, c -> c.setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
            .withCoercionConfig(LogicalType.Boolean, c -> c.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail))
            .withCoercionConfig(LogicalType.Textual, c -> c
                    .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .build();

    private Json() {
    }

    /** Instants only as ISO-8601 text: a bare number would be read as seconds since 1970, surely not meant. */
    static final class IsoInstant extends com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer<java.time.Instant> {
        private static final long serialVersionUID = 1L;

        IsoInstant() {
            super(java.time.Instant.class);
        }

        @Override
        public java.time.Instant deserialize(com.fasterxml.jackson.core.JsonParser p,
                                             com.fasterxml.jackson.databind.DeserializationContext ctxt)
                throws java.io.IOException {
            if (!p.hasToken(com.fasterxml.jackson.core.JsonToken.VALUE_STRING)) {
                throw com.fasterxml.jackson.databind.JsonMappingException.from(p,
                        "must be an ISO-8601 time such as 2026-01-31T08:00:00Z");
            }
            try {
                return java.time.Instant.parse(p.getText().trim());
            } catch (java.time.format.DateTimeParseException e) {
                throw com.fasterxml.jackson.databind.JsonMappingException.from(p,
                        "must be an ISO-8601 time such as 2026-01-31T08:00:00Z");
            }
        }
    }

    /**
     * Text without control characters: NUL and the other C0 controls (tab, newline and carriage return excepted)
     * have no business in names, comments or scripts, and PostgreSQL refuses NUL in text with a server error. The
     * refusal names the field.
     */
    static final class CleanText extends com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer<String> {
        private static final long serialVersionUID = 1L;

        CleanText() {
            super(String.class);
        }

        @Override
        public String deserialize(com.fasterxml.jackson.core.JsonParser p,
                                  com.fasterxml.jackson.databind.DeserializationContext ctxt) throws java.io.IOException {
            String s = com.fasterxml.jackson.databind.deser.std.StringDeserializer.instance.deserialize(p, ctxt);
            if (s != null) {
                for (int i = 0; i < s.length(); i++) {
                    char c = s.charAt(i);
                    if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' || c == 0x7f) {
                        throw com.fasterxml.jackson.databind.JsonMappingException.from(p,
                                "must not contain control characters (such as NUL)");
                    }
                }
            }
            return s;
        }
    }

    public static Response error(int status, ErrorBody body) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(body).build();
    }
}
