package org.scow.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.composite;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.features;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.replaceConfigurationFile;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import javax.inject.Inject;
import org.junit.Test;
import org.ops4j.pax.exam.Option;
import org.scow.persistence.ClusterEventLog;
import org.scow.persistence.DatabaseSchema;

/**
 * Boots the distribution against a production database chosen purely by configuration, as an admin would: install
 * the JDBC feature and edit etc/org.ops4j.datasource-scow.cfg. The database is created empty before the boot.
 */
public abstract class ProductionDatabaseSupport extends PlatformTestSupport {
    static final String DB = "scow_it";

    @Inject
    protected DatabaseSchema schema;

    @Inject
    protected ClusterEventLog eventLog;

    /** Recreates {@code DB} through {@code adminUrl} and returns the options that point the platform at it. */
    protected static Option database(String adminUrl, String jdbcFeature, String driverName, String url,
                                     String user, String... dropCreate) {
        try (Connection c = DriverManager.getConnection(adminUrl); Statement s = c.createStatement()) {
            for (String sql : dropCreate) {
                s.execute(sql);
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot prepare test database via " + adminUrl + ": " + e.getMessage(), e);
        }
        File cfg;
        try {
            cfg = File.createTempFile("datasource-scow", ".cfg");
            cfg.deleteOnExit();
            Files.writeString(cfg.toPath(), String.join("\n",
                    "osgi.jdbc.driver.name = " + driverName,
                    "dataSourceName = scow",
                    "url = " + url,
                    "user = " + user,
                    "password = ",
                    "pool = dbcp2",
                    "xa = false", ""));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return composite(
                // the scow features repository ships in the distribution's system/ folder
                features("mvn:org.scow/scow-features/" + System.getProperty("scow.version") + "/xml/features",
                        jdbcFeature),
                replaceConfigurationFile("etc/org.ops4j.datasource-scow.cfg", cfg));
    }

    protected abstract String expectedProduct();

    @Test
    public void platformMigratesAndUsesTheConfiguredDatabase() throws Exception {
        awaitRest();
        assertTrue(schema.product(), schema.product().startsWith(expectedProduct()));
        assertTrue(schema.appliedChangeSets().contains("001-cluster-event"));
        await("database health UP", Duration.ofSeconds(30), () -> {
            try {
                return "UP".equals(get("/api/v1/health").json().at("/checks/database/status").asText());
            } catch (Exception e) {
                return false;
            }
        });
        ClusterEventLog.Entry e = eventLog.append("itest", "org/scow/itest/PING", "written through JPA",
                java.time.Instant.now());
        Reply events = get("/api/v1/clusters/itest/events?limit=1");
        assertEquals(200, events.status());
        assertEquals(e.id(), events.json().get(0).get("id").asLong());
    }
}
