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
                "{\"nodes\":1,\"coresPerNode\":1,\"gpusPerNode\":0,\"extraOptions\":[1,{}]}");
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
}
