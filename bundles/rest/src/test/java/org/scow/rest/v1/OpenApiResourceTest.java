package org.scow.rest.v1;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.util.HashSet;
import java.util.Set;
import javax.ws.rs.Path;
import org.junit.Test;

public class OpenApiResourceTest {
    /** A resource added without being listed would be served but undocumented. */
    @Test
    public void everyResourceClassIsDocumented() throws Exception {
        Set<Class<?>> found = new HashSet<>();
        File dir = new File(Path.class.getProtectionDomain() == null ? "" : "target/classes/org/scow/rest/v1");
        for (String f : dir.list()) {
            if (f.endsWith(".class") && !f.contains("$")) {
                Class<?> c = Class.forName("org.scow.rest.v1." + f.replace(".class", ""));
                if (c.isAnnotationPresent(Path.class) && c != OpenApiResource.class) {
                    found.add(c);
                }
            }
        }
        assertEquals(found, OpenApiResource.RESOURCES);
    }

    @Test
    public void documentListsOperationsAndSchemas() throws Exception {
        JsonNode doc = new ObjectMapper().readTree(OpenApiResource.generate());
        assertTrue(doc.get("openapi").asText().startsWith("3."));
        JsonNode jobs = doc.at("/paths/~1api~1v1~1clusters~1{cluster}~1jobs");
        assertTrue(jobs.has("get") && jobs.has("post"));
        assertTrue(doc.at("/paths/~1api~1v1~1clusters~1{cluster}~1accounts").has("post"));
        assertTrue(doc.at("/components/schemas").has("JobSpec"));
        assertTrue(doc.at("/components/schemas/JobInfo/properties").has("submitTime"));
    }
}
