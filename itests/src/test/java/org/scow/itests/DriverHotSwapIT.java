package org.scow.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.inject.Inject;
import org.apache.karaf.features.FeaturesService;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.BundleListener;

/**
 * Installing a driver feature brings its cluster online and uninstalling takes it offline (503), while the REST API
 * keeps answering and no platform bundle is restarted.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class DriverHotSwapIT extends PlatformTestSupport {
    private static final String DRIVER_FEATURE = "scow-scheduler-test";

    @Inject
    private FeaturesService features;

    @Configuration
    public Option[] config() {
        return new Option[] {platform()};
    }

    @Test
    public void installingAndUninstallingADriverTogglesItsClusterWithoutRestartingThePlatform() throws Exception {
        awaitRest();
        List<String> stopped = new CopyOnWriteArrayList<>();
        BundleListener watcher = e -> {
            String name = e.getBundle().getSymbolicName();
            if (e.getType() == BundleEvent.STOPPED && name.startsWith("org.scow.")
                    && !name.equals("org.scow.itest.driver")) {
                stopped.add(name);
            }
        };
        bundleContext.addBundleListener(watcher);
        try {
            Reply before = get("/api/v1/clusters/itest/partitions");
            assertEquals(before.toString(), 503, before.status());
            assertEquals("CLUSTER_OFFLINE", before.json().get("code").asText());

            features.addRepository(new File(System.getProperty("scow.itest.features")).toURI());
            features.installFeature(DRIVER_FEATURE);
            awaitOnline(true);

            Reply partitions = get("/api/v1/clusters/itest/partitions");
            assertEquals(partitions.toString(), 200, partitions.status());
            assertTrue(partitions.json().size() > 0);
            assertTrue(shell("scow:driver-list").contains("test"));

            String jobId = submitAndFinish();
            assertEquals("COMPLETED", get("/api/v1/clusters/itest/jobs/" + jobId).json().get("state").asText());

            features.uninstallFeature(DRIVER_FEATURE);
            awaitOnline(false);
            Reply after = get("/api/v1/clusters/itest/jobs/" + jobId);
            assertEquals(after.toString(), 503, after.status());
            assertEquals(200, get("/api/v1/health").status());
            assertEquals(200, get("/api/v1/clusters").status());

            features.installFeature(DRIVER_FEATURE);
            awaitOnline(true);
            assertEquals(200, get("/api/v1/clusters/itest/usage").status());

            assertEquals("platform bundles stopped during driver swaps", List.of(), stopped);
        } finally {
            bundleContext.removeBundleListener(watcher);
        }

        JsonNode events = get("/api/v1/clusters/itest/events").json();
        List<String> topics = new java.util.ArrayList<>();
        events.forEach(e -> topics.add(e.get("topic").asText()));
        // newest first: online again, offline, submitted, online
        assertEquals(topics.toString(), "org/scow/cluster/ONLINE", topics.get(0));
        assertTrue(topics.toString(), topics.contains("org/scow/cluster/OFFLINE"));
        assertTrue(topics.toString(), topics.contains("org/scow/job/SUBMITTED"));
    }

    private String submitAndFinish() throws Exception {
        Reply account = post("/api/v1/clusters/itest/accounts", "{\"name\":\"acct1\",\"owner\":\"alice\"}");
        assertEquals(account.toString(), 201, account.status());
        Reply submitted = post("/api/v1/clusters/itest/jobs", """
                {"user":"alice","name":"hello","account":"acct1","partition":"debug","nodes":1,"coresPerNode":2,
                 "gpusPerNode":0,"timeLimitMinutes":10,"script":"echo hello","workingDirectory":"/tmp"}""");
        assertEquals(submitted.toString(), 201, submitted.status());
        String jobId = submitted.json().get("jobId").asText();
        await("job " + jobId + " completes", Duration.ofSeconds(30), () -> {
            try {
                return "COMPLETED".equals(get("/api/v1/clusters/itest/jobs/" + jobId).json().get("state").asText());
            } catch (Exception e) {
                return false;
            }
        });
        return jobId;
    }

    private void awaitOnline(boolean online) throws InterruptedException {
        await("cluster itest online=" + online, Duration.ofSeconds(30), () -> {
            try {
                return get("/api/v1/clusters/itest").json().get("online").asBoolean() == online;
            } catch (Exception e) {
                return false;
            }
        });
    }
}
