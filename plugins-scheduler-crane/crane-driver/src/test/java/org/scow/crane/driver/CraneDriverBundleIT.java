package org.scow.crane.driver;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.felix.framework.Felix;
import org.junit.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;
import org.scow.api.scheduler.ClusterConfig;
import org.scow.api.scheduler.DriverInfo;
import org.scow.api.scheduler.ErrorCode;
import org.scow.api.scheduler.Partition;
import org.scow.api.scheduler.SchedulerDriver;
import org.scow.api.scheduler.SchedulerDriverFactory;
import org.scow.api.scheduler.SchedulerException;
import org.scow.crane.ctld.Clock;
import org.scow.crane.ctld.CtldConfig;
import org.scow.crane.protocol.Credential;
import org.scow.crane.protocol.CredentialFiles;
import org.scow.crane.protocol.TestCertificates;
import org.scow.crane.server.CraneServer;

/**
 * The packaged bundle in a real OSGi framework (Felix) where only the platform API and the JDK are exported: it must
 * resolve with its embedded gRPC/protobuf/netty, declare its DS component, and talk to a live cranectld from inside
 * the bundle class loader (gRPC finds its providers through ServiceLoader, which is where embedding usually breaks).
 */
public class CraneDriverBundleIT {
    @Test
    public void bundleResolvesAndTalksToCranectldInsideOsgi() throws Exception {
        Path dir = Files.createTempDirectory("crane-bundle-it");
        CtldConfig cfg = CtldConfig.parse("""
                ListenPort=0
                Node name=cn[1-2] cpus=4 mem=8G
                Partition name=cpu nodes=cn[1-2] default=yes
                """);
        cfg.authKeyFile = dir.resolve("auth.key");
        // TLS, so that the bundle's embedded netty proves it can do TLS inside OSGi
        Path cert = TestCertificates.selfSigned(dir, "ctld");
        cfg.tlsCertFile = cert;
        cfg.tlsKeyFile = TestCertificates.key(cert);
        Map<String, String> props = new HashMap<>();
        props.put(Constants.FRAMEWORK_STORAGE, dir.resolve("felix").toString());
        props.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        // the platform API comes from the test class path, so the test and the bundle share its classes; exported
        // at the version bundles/api gives the package (read from its manifest: a fixed number broke at 2.1)
        props.put(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, "org.scow.api.scheduler;version=\""
                + schedulerApiVersion() + "\"");
        // Karaf's SCR provides the DS extender; here the system bundle stands in for it (the component is not
        // activated, the test instantiates the factory itself)
        props.put(Constants.FRAMEWORK_SYSTEMCAPABILITIES_EXTRA,
                "osgi.extender;osgi.extender=osgi.component;version:Version=\"1.5.0\"");
        Felix felix = new Felix(props);
        try (CraneServer server = CraneServer.start(cfg, Clock.SYSTEM)) {
            Path cred = dir.resolve("platform.cred");
            CredentialFiles.writeCredential(cred, server.issue(Credential.Scope.PROXY, "root", Duration.ofHours(1)), null);
            felix.start();
            Bundle bundle = felix.getBundleContext().installBundle(
                    Path.of(System.getProperty("crane.driver.bundle")).toUri().toString());
            bundle.start();
            assertEquals("bundle state", Bundle.ACTIVE, bundle.getState());
            assertEquals("org.scow.scheduler.crane", bundle.getSymbolicName());
            assertTrue("DS component declared",
                    bundle.getHeaders().get("Service-Component").contains("CraneDriverFactory"));

            Class<?> factoryClass = bundle.loadClass("org.scow.crane.driver.CraneDriverFactory");
            assertTrue("grpc is the bundle's own copy", factoryClass.getClassLoader() != getClass().getClassLoader());
            SchedulerDriverFactory factory = (SchedulerDriverFactory) factoryClass.getDeclaredConstructor().newInstance();
            try (SchedulerDriver plaintext = factory.create(new ClusterConfig("c", "C", "crane", Map.of(
                    "port", String.valueOf(server.port()), "credentialFile", cred.toString(), "timeoutSeconds", "5")))) {
                plaintext.partitions();
                fail("a plaintext driver reached the TLS port");
            } catch (SchedulerException e) {
                assertEquals(ErrorCode.UNAVAILABLE, e.code());
            }
            try (SchedulerDriver driver = factory.create(new ClusterConfig("c", "C", "crane", Map.of(
                    "port", String.valueOf(server.port()), "credentialFile", cred.toString(),
                    "tlsTrustFile", cert.toString())))) {
                DriverInfo info = driver.info();
                assertEquals("crane", info.type());
                List<Partition> partitions = driver.partitions();
                assertEquals(List.of("cpu"), partitions.stream().map(Partition::name).toList());
                assertEquals(8, partitions.get(0).cores());
                assertEquals(2, driver.nodes(Set.of()).size());
            }
        } finally {
            felix.stop();
            felix.waitForStop(10_000);
        }
    }

    /** The version bundles/api exports org.scow.api.scheduler at (its jar, or target/classes inside the reactor). */
    private static String schedulerApiVersion() throws Exception {
        Path where = Path.of(SchedulerDriver.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        java.util.jar.Manifest manifest;
        if (java.nio.file.Files.isDirectory(where)) {
            try (java.io.InputStream in = java.nio.file.Files.newInputStream(where.resolve("META-INF/MANIFEST.MF"))) {
                manifest = new java.util.jar.Manifest(in);
            }
        } else {
            try (java.util.jar.JarFile jar = new java.util.jar.JarFile(where.toFile())) {
                manifest = jar.getManifest();
            }
        }
        String exports = manifest.getMainAttributes().getValue("Export-Package");
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("org\\.scow\\.api\\.scheduler;version=\"([^\"]+)\"")
                .matcher(exports == null ? "" : exports);
        if (!m.find()) {
            throw new AssertionError("no version of org.scow.api.scheduler in " + where + "'s Export-Package: " + exports);
        }
        return m.group(1);
    }
}
