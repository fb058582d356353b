package org.scow.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
 * The plugin kit end to end: generates a site plugin project with {@code plugin-kit/new-plugin.sh}, builds it offline
 * with the build's own Maven repository, adds its features to the running platform, installs them with
 * feature:install, and sees the cluster configured with the generated driver type come online.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class PluginKitIT extends PlatformTestSupport {
    private static final String NAME = "kitdemo";
    private static final String CLUSTER = "kit";

    @Inject
    private FeaturesService features;

    @Configuration
    public Option[] config() {
        String m2 = System.getProperty("scow.m2");
        return new Option[] {platform(
                editConfigurationFilePut("etc/org.scow.cluster-" + CLUSTER + ".cfg", "id", CLUSTER),
                editConfigurationFilePut("etc/org.scow.cluster-" + CLUSTER + ".cfg", "displayName", "Kit cluster"),
                editConfigurationFilePut("etc/org.scow.cluster-" + CLUSTER + ".cfg", "driver", NAME),
                // the generated bundles are installed into the build's repository: let mvn: URLs find them there
                editConfigurationFilePut("etc/org.ops4j.pax.url.mvn.cfg", "org.ops4j.pax.url.mvn.localRepository", m2),
                systemProperty("scow.m2").value(m2),
                systemProperty("scow.kit").value(System.getProperty("scow.kit")),
                systemProperty("scow.kit.work").value(System.getProperty("scow.kit.work")))};
    }

    @Test
    public void aGeneratedDriverInstallsAndBringsItsClusterOnline() throws Exception {
        awaitRest();
        Reply before = get("/api/v1/clusters/" + CLUSTER);
        assertEquals(before.toString(), 200, before.status());
        assertEquals(false, before.json().get("online").asBoolean());

        Path work = Path.of(System.getProperty("scow.kit.work"));
        Files.createDirectories(work);
        Path project = work.resolve(NAME + "-" + System.currentTimeMillis());
        run(work, "bash", new File(System.getProperty("scow.kit"), "new-plugin.sh").getPath(), NAME,
                project.toString(), "org.example.itest");
        run(project, "mvn", "-B", "-o", "-q", "-Dmaven.repo.local=" + System.getProperty("scow.m2"), "install");

        features.addRepository(project.resolve(NAME + "-features/target/classes/features.xml").toUri());
        features.installFeature(NAME + "-plugins");
        await("cluster " + CLUSTER + " online with the generated driver", Duration.ofSeconds(60), () -> {
            try {
                return get("/api/v1/clusters/" + CLUSTER).json().get("online").asBoolean();
            } catch (Exception e) {
                return false;
            }
        });
        assertTrue(shell("scow:driver-list").contains(NAME));

        features.uninstallFeature(NAME + "-plugins");
        await("cluster " + CLUSTER + " offline again", Duration.ofSeconds(60), () -> {
            try {
                return !get("/api/v1/clusters/" + CLUSTER).json().get("online").asBoolean();
            } catch (Exception e) {
                return false;
            }
        });
    }

    /** Runs a command in {@code dir}; fails with its output unless it exits 0 within 10 minutes. */
    private static void run(Path dir, String... command) throws Exception {
        Path log = Files.createTempFile("plugin-kit", ".log");
        Process p = new ProcessBuilder(List.of(command)).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        boolean done = p.waitFor(10, TimeUnit.MINUTES);
        if (!done) {
            p.destroyForcibly();
        }
        String out = Files.readString(log, StandardCharsets.UTF_8);
        assertTrue(String.join(" ", command) + (done ? " failed: " : " timed out: ") + out,
                done && p.exitValue() == 0);
    }
}
