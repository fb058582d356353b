package org.scow.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import javax.inject.Inject;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.scow.persistence.DatabaseSchema;

/** The booted distribution: health, clusters, OpenAPI, migrations and the admin commands. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class PlatformIT extends PlatformTestSupport {

    @Inject
    private DatabaseSchema schema;

    @Configuration
    public Option[] config() {
        return new Option[] {platform()};
    }

    @Before
    public void restUp() throws Exception {
        awaitRest();
    }

    @Test
    public void healthAnswersJsonWithEveryCheck() throws Exception {
        Reply r = get("/api/v1/health");
        assertEquals(r.toString(), 200, r.status());
        assertEquals("UP", r.json().at("/checks/database/status").asText());
        // the 'itest' cluster has no driver in this boot: degraded, not down
        assertEquals("DEGRADED", r.json().get("status").asText());
        assertEquals(1, r.json().at("/checks/clusters/details/online").asInt());
        assertEquals(2, r.json().at("/checks/clusters/details/configured").asInt());
        assertFalse(r.json().get("version").asText().isEmpty());
    }

    @Test
    public void migrationsAreAppliedToTheEmbeddedDatabase() {
        assertTrue(schema.product().startsWith("H2"));
        assertTrue(schema.appliedChangeSets().toString(), schema.appliedChangeSets().contains("001-cluster-event"));
    }

    @Test
    public void clustersComeFromConfigurationFiles() throws Exception {
        Reply r = get("/api/v1/clusters");
        assertEquals(200, r.status());
        List<String> ids = new ArrayList<>();
        r.json().forEach(c -> ids.add(c.get("id").asText()));
        assertEquals(List.of("itest", "local"), ids);
        JsonNode local = get("/api/v1/clusters/local").json();
        assertEquals("crane", local.get("driver").asText());
        assertTrue("the embedded Crane cluster is online", local.get("online").asBoolean());
        await("the local scheduler answers the platform's probe", java.time.Duration.ofSeconds(60), () -> {
            try {
                return get("/api/v1/clusters/local").json().at("/reachability/reachable").asBoolean();
            } catch (Exception e) {
                return false;
            }
        });
        assertFalse(get("/api/v1/clusters/itest").json().get("online").asBoolean());

        Reply offline = get("/api/v1/clusters/itest/partitions");
        assertEquals(503, offline.status());
        assertEquals("CLUSTER_OFFLINE", offline.json().get("code").asText());
        Reply unknown = get("/api/v1/clusters/nope");
        assertEquals(404, unknown.status());
        assertEquals("CLUSTER_NOT_FOUND", unknown.json().get("code").asText());
    }

    @Test
    public void openApiDocumentDescribesTheApi() throws Exception {
        Reply r = get("/api/v1/openapi.json");
        assertEquals(200, r.status());
        assertTrue(r.json().get("openapi").asText().startsWith("3."));
        JsonNode paths = r.json().get("paths");
        for (String p : List.of("/api/v1/health", "/api/v1/clusters", "/api/v1/clusters/{cluster}/jobs",
                "/api/v1/clusters/{cluster}/jobs/{jobId}", "/api/v1/clusters/{cluster}/accounts/{account}/block",
                "/api/v1/clusters/{cluster}/usage")) {
            assertTrue("OpenAPI lacks " + p, paths.has(p));
        }
        assertTrue(paths.at("/~1api~1v1~1clusters~1{cluster}~1jobs").has("post"));
        Reply ui = get("/api/v1/docs");
        assertEquals(200, ui.status());
        assertTrue(ui.body().contains("swagger-ui-bundle.js"));
        assertEquals(200, get("/api/v1/docs/swagger-ui-bundle.js").status());
        assertEquals(404, get("/api/v1/docs/..%2Fetc%2Fpasswd").status());
    }

    @Test
    public void unknownPathsAnswerJson404() throws Exception {
        Reply r = get("/api/v1/no-such-thing");
        assertEquals(404, r.status());
        assertTrue(r.json().has("code"));
    }

    @Test
    public void adminCommandsReportClustersAndHealth() throws Exception {
        String list = shell("scow:cluster-list");
        assertTrue(list, list.contains("itest") && list.contains("local") && list.contains("offline"));
        String health = shell("scow:health");
        assertTrue(health, health.contains("database") && health.contains("UP"));
        String show = shell("scow:cluster-show local");
        assertTrue(show, show.contains("online") && show.contains("partition debug"));
        assertTrue(shell("scow:cluster-show itest").contains("no 'test' driver is installed"));
        assertEquals("crane", shell("scow:driver-list").trim());
    }
}
