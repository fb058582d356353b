package org.scow.rest.v1;

import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Set;
import org.junit.Test;

public class OpenApiResourceTest {
    @Test
    public void documentListsOperationsAndSchemas() throws Exception {
        JsonNode doc = new ObjectMapper().readTree(OpenApiResource.generate(Set.of(HealthResource.class,
                ClusterResource.class, JobResource.class, UserResource.class)));
        assertTrue(doc.get("openapi").asText().startsWith("3."));
        JsonNode jobs = doc.at("/paths/~1api~1v1~1clusters~1{cluster}~1jobs");
        assertTrue(jobs.has("get") && jobs.has("post"));
        assertTrue(doc.at("/paths/~1api~1v1~1clusters~1{cluster}~1users~1{user}").has("delete"));
        assertTrue(doc.at("/components/schemas").has("JobSpec"));
        assertTrue(doc.at("/components/schemas/JobInfo/properties").has("submitTime"));
    }
}
