package org.scow.rest.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import javax.ws.rs.core.MediaType;
import org.junit.Test;
import org.scow.rest.support.ApiException;
import org.scow.api.scheduler.JobInfo;
import org.scow.api.scheduler.JobSpec;
import org.scow.api.scheduler.JobState;

public class JsonProviderTest {
    private final JsonProvider provider = new JsonProvider();

    @SuppressWarnings({"unchecked", "rawtypes"})
    private Object read(Class<?> type, String json) throws Exception {
        return provider.readFrom((Class) type, type, new java.lang.annotation.Annotation[0],
                MediaType.APPLICATION_JSON_TYPE, null, new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
    }

    private ApiException rejected(Class<?> type, String json) throws Exception {
        try {
            read(type, json);
        } catch (ApiException e) {
            return e;
        }
        fail("accepted " + json);
        return null;
    }

    @Test
    public void readsAJobSpec() throws Exception {
        JobSpec spec = (JobSpec) read(JobSpec.class, "{\"user\":\"alice\",\"nodes\":2,\"coresPerNode\":4,"
                + "\"gpusPerNode\":0,\"script\":\"true\",\"extraOptions\":[\"--exclusive\"]}");
        assertEquals(8, spec.totalCores());
        assertEquals("--exclusive", spec.extraOptions().get(0));
    }

    @Test
    public void namesTheFieldAtFault() throws Exception {
        ApiException unknown = rejected(JobSpec.class, "{\"nodes\":1,\"coresPerNode\":1,\"gpusPerNode\":0,\"colour\":\"red\"}");
        assertEquals("colour", unknown.body().details().get("field"));
        ApiException badType = rejected(JobSpec.class, "{\"nodes\":\"many\",\"coresPerNode\":1,\"gpusPerNode\":0}");
        assertTrue(badType.getMessage(), badType.getMessage().startsWith("nodes: "));
        ApiException missing = rejected(JobSpec.class, "{\"coresPerNode\":1,\"gpusPerNode\":0}");
        assertEquals("nodes: is required", missing.getMessage());
        ApiException nested = rejected(JobSpec.class,
                "{\"nodes\":1,\"coresPerNode\":1,\"gpusPerNode\":0,\"extraOptions\":[\"x\",{}]}");
        assertTrue(nested.getMessage(), nested.getMessage().startsWith("extraOptions[1]: "));
    }

    @Test
    public void malformedJsonIsA400WithoutInternals() throws Exception {
        ApiException e = rejected(JobSpec.class, "{\"nodes\":");
        assertEquals(400, e.status());
        assertEquals("MALFORMED_JSON", e.body().code());
        assertTrue(!e.getMessage().contains("com.fasterxml"));
        assertEquals(400, rejected(JobSpec.class, "null").status());
        assertEquals(400, rejected(JobSpec.class, "{} {}").status());
    }

    @Test
    public void writesInstantsAsIsoAndLeavesNullsOut() throws Exception {
        JobInfo job = JobInfo.builder("7", JobState.RUNNING).submitTime(Instant.parse("2026-01-02T03:04:05Z")).build();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        provider.writeTo(job, JobInfo.class, JobInfo.class, null, MediaType.APPLICATION_JSON_TYPE, null, out);
        assertEquals("{\"jobId\":\"7\",\"state\":\"RUNNING\",\"submitTime\":\"2026-01-02T03:04:05Z\"}",
                out.toString(StandardCharsets.UTF_8));
    }

    @Test
    public void leavesStringsAndStreamsToTheContainer() {
        assertTrue(!provider.isWriteable(String.class, String.class, null, MediaType.APPLICATION_JSON_TYPE));
        assertTrue(!provider.isWriteable(JobInfo.class, JobInfo.class, null, MediaType.TEXT_HTML_TYPE));
        assertTrue(provider.isWriteable(JobInfo.class, JobInfo.class, null, MediaType.APPLICATION_JSON_TYPE));
    }

    public record Named(String name, Integer count, java.math.BigDecimal amount, Boolean flag,
                        java.util.List<String> tags, org.scow.api.scheduler.JobState state) {
    }

    @Test
    public void duplicateKeysAreRefusedNamingTheField() throws Exception {
        ApiException e = rejected(Named.class, "{\"amount\":1,\"amount\":1000}");
        assertEquals(400, e.status());
        assertEquals("amount", e.body().details().get("field"));
    }

    @Test
    public void numbersAndBooleansAreNotNames() throws Exception {
        for (String v : new String[] {"true", "1.5", "7"}) {
            ApiException e = rejected(Named.class, "{\"name\":" + v + "}");
            assertEquals("name", e.body().details().get("field"));
            assertTrue(e.getMessage(), e.getMessage().startsWith("name: must be text"));
        }
    }

    @Test
    public void messagesSpeakJsonNotJava() throws Exception {
        String[] bodies = {"{\"count\":\"many\"}", "{\"count\":[1]}", "{\"amount\":{}}", "{\"flag\":\"yes\"}",
            "{\"tags\":\"x\"}", "{\"tags\":[{}]}", "{\"state\":\"SLEEPING\"}", "{\"state\":3}", "[]", "\"x\"", "7",
            "{\"name\":{}}", "{\"name\":[]}", "{\"count\":1e999999}", "{\"count\":99999999999}"};
        for (String body : bodies) {
            ApiException e = rejected(Named.class, body);
            assertEquals(body, 400, e.status());
            String m = e.body().message();
            assertTrue(body + " -> " + m, !m.matches("(?s).*(java|org\\.scow|\\$|`|JsonToken|Creator|\\bclass\\b).*"));
        }
    }

    @Test
    public void aBodyThatStopsEarlyIsTheCallersFault() throws Exception {
        java.io.InputStream broken = new java.io.InputStream() {
            private int n;

            @Override
            public int read() throws java.io.IOException {
                if (n++ < 5) {
                    return "{\"na".charAt(Math.min(n - 1, 3));
                }
                throw new java.io.IOException(new java.util.concurrent.TimeoutException("Idle timeout expired"));
            }
        };
        try {
            provider.readFrom((Class) Named.class, Named.class, new java.lang.annotation.Annotation[0],
                    MediaType.APPLICATION_JSON_TYPE, null, broken);
            fail("read a broken body");
        } catch (ApiException e) {
            assertEquals(408, e.status());
        }
    }

    @Test
    public void errorBodiesNeverEchoLongValues() {
        String huge = "x".repeat(1_000_000);
        org.scow.rest.support.ErrorBody b = new org.scow.rest.support.ErrorBody("INVALID_ARGUMENT",
                "userId: '" + huge + "' must be short", java.util.Map.of("field", huge, "user", huge + " y"));
        assertTrue(b.message(), b.message().length() < 200);
        assertTrue(b.message(), b.message().startsWith("userId: 'xxxx") && b.message().endsWith("must be short"));
        assertTrue(b.details().values().stream().allMatch(v -> v.toString().length() < 100));
        assertEquals("a?b? ok", new org.scow.rest.support.ErrorBody("X", "a\u0000b\u0007 ok", null).message());
    }

    @Test
    public void controlCharactersInTextAreRefusedNamingTheField() throws Exception {
        ApiException e = rejected(Named.class, "{\"name\":\"a\\u0000b\"}");
        assertEquals("name", e.body().details().get("field"));
        assertTrue(e.getMessage(), e.getMessage().contains("control characters"));
        ApiException inList = rejected(Named.class, "{\"tags\":[\"ok\",\"\\u0007\"]}");
        assertEquals("tags[1]", inList.body().details().get("field"));
        Named ok = (Named) read(Named.class, "{\"name\":\"line 1\\nline\\t2\"}");
        assertEquals("line 1\nline\t2", ok.name());
    }

    public record Timed(java.time.Instant at, int n, boolean flag) {
    }

    @Test
    public void numbersAreNotTimesFractionsNotWholeNumbersNorBooleansNumbers() throws Exception {
        assertEquals("at", rejected(Timed.class, "{\"at\":7}").body().details().get("field"));
        assertEquals("at", rejected(Timed.class, "{\"at\":\"tomorrow\"}").body().details().get("field"));
        assertEquals("n", rejected(Timed.class, "{\"n\":1.5}").body().details().get("field"));
        assertEquals("n", rejected(Timed.class, "{\"n\":true}").body().details().get("field"));
        assertEquals("n", rejected(Timed.class, "{\"n\":99999999999999999999999}").body().details().get("field"));
        assertEquals("flag", rejected(Timed.class, "{\"flag\":2}").body().details().get("field"));
        Timed ok = (Timed) read(Timed.class, "{\"at\":\"2026-01-31T08:00:00Z\",\"n\":3,\"flag\":true}");
        assertEquals(3, ok.n());
    }
}
