package org.scow.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import java.io.File;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * The portal end to end in real Chromium: boots the distribution (embedded Crane cluster {@code local}, the test login
 * node on 127.0.0.1:2222 from .ci/login-node-up.sh) and runs the Playwright walk of bundles/portal/web/e2e against
 * it. Its output goes to target/e2e.log; screenshots and the HTML report to target/e2e-artifacts.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class PortalE2EIT extends PlatformTestSupport {

    @Configuration
    public Option[] config() {
        return new Option[] {platform(
                editConfigurationFilePut("etc/org.scow.cluster-local.cfg", "loginNodes", "login0=127.0.0.1:2222"),
                editConfigurationFilePut("etc/org.scow.loginnode.cfg", "keyInstallerUser", "root"),
                systemProperty("scow.portal.web").value(System.getProperty("scow.portal.web")),
                systemProperty("scow.e2e.artifacts").value(System.getProperty("scow.e2e.artifacts")))};
    }

    @Test
    public void aNewUserAndAnAdminWalkThroughThePortal() throws Exception {
        assertTrue("the test login node must listen on 127.0.0.1:2222: run .ci/login-node-up.sh as root",
                listening(2222));
        awaitRest();
        await("cluster local online", Duration.ofSeconds(60), () -> {
            try {
                return get("/api/v1/clusters/local").json().get("online").asBoolean();
            } catch (Exception e) {
                return false;
            }
        });
        authorizePlatformKeyForRoot();

        File web = new File(System.getProperty("scow.portal.web"));
        File artifacts = new File(System.getProperty("scow.e2e.artifacts"));
        assertTrue(artifacts.mkdirs() || artifacts.isDirectory());
        File log = new File(artifacts.getParentFile(), "e2e.log");
        ProcessBuilder pb = new ProcessBuilder("npm", "run", "e2e").directory(web).redirectErrorStream(true)
                .redirectOutput(log);
        pb.environment().put("BASE_URL", BASE);
        pb.environment().put("SCOW_ADMIN_USER", "admin");
        pb.environment().put("SCOW_ADMIN_PASSWORD", ADMIN_PASSWORD);
        pb.environment().put("E2E_ARTIFACTS", artifacts.getAbsolutePath());
        pb.environment().put("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        Process p = pb.start();
        if (!p.waitFor(25, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("the Playwright walk did not end within 25 minutes; see " + log);
        }
        String out = Files.readString(log.toPath());
        System.out.println(out);
        assertEquals("Playwright walk failed (log " + log + "):\n" + tail(out), 0, p.exitValue());
        assertTrue("screenshots saved", new File(artifacts, "screenshots").list().length > 0);
        assertTrue("page-load timings recorded", new File(artifacts, "timings.txt").isFile());
    }

    private static String tail(String s) {
        return s.length() <= 8000 ? s : s.substring(s.length() - 8000);
    }

}
