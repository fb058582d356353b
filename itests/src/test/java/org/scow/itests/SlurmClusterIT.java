package org.scow.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.inject.Inject;
import org.apache.karaf.features.FeaturesService;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * The shipped Slurm driver feature against the real Slurm of ../shared/peers/slurm-up.sh: installing it brings the
 * configured cluster online through the REST API, uninstalling takes it offline.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class SlurmClusterIT extends PlatformTestSupport {
    private static final String CFG = "etc/org.scow.cluster-slurm.cfg";
    private static final String C = "/api/v1/clusters/slurm";

    @Inject
    private FeaturesService features;

    @Configuration
    public Option[] config() {
        return new Option[] {platform(
                editConfigurationFilePut(CFG, "id", "slurm"),
                editConfigurationFilePut(CFG, "displayName", "Slurm on this host"),
                editConfigurationFilePut(CFG, "driver", "slurm"),
                editConfigurationFilePut(CFG, "driver.timeoutSeconds", "20"))};
    }

    @Test
    public void realSlurmClusterThroughTheRestApi() throws Exception {
        awaitRest();
        assertEquals(503, get(C + "/partitions").status());
        features.installFeature("scow-scheduler-slurm");
        awaitOnline(true);

        JsonNode info = get(C).json();
        assertTrue(info.toString(), info.at("/driverInfo/schedulerName").asText().startsWith("Slurm "));
        List<String> partitions = new ArrayList<>();
        get(C + "/partitions").json().forEach(p -> partitions.add(p.get("name").asText()));
        assertTrue(partitions.toString(), partitions.contains("debug"));
        Reply usage = get(C + "/usage");
        assertEquals(usage.toString(), 200, usage.status());
        assertTrue(usage.json().at("/total/cpus/total").asInt() > 0);
        assertTrue(get(C + "/nodes").json().size() > 0);
        Reply jobs = get(C + "/jobs?state=RUNNING,PENDING&pageSize=5");
        assertEquals(jobs.toString(), 200, jobs.status());

        features.uninstallFeature("scow-scheduler-slurm");
        awaitOnline(false);
        assertEquals(503, get(C + "/partitions").status());
    }

    private void awaitOnline(boolean online) throws InterruptedException {
        await("slurm cluster online=" + online, Duration.ofSeconds(60), () -> {
            try {
                return get(C).json().get("online").asBoolean() == online;
            } catch (Exception e) {
                return false;
            }
        });
    }
}
