package org.scow.persistence.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import javax.persistence.EntityManagerFactory;
import javax.sql.DataSource;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.scow.persistence.testing.TestDatabases;
import org.junit.runner.RunWith;
import org.junit.runners.Parameterized;
import org.scow.persistence.ClusterEventLog;
import org.scow.persistence.DatabaseSchema;

/** Runs the real changelog and the real persistence unit against each supported database. */
@RunWith(Parameterized.class)
public class MigrationsAndRepositoryTest {
    static final String NAME = "scow_test";

    @Parameterized.Parameters(name = "{0}")
    public static List<Object[]> databases() {
        return TestDatabases.selected();
    }

    private final String product;
    private DataSource dataSource;
    private EntityManagerFactory emf;

    public MigrationsAndRepositoryTest(String product) {
        this.product = product;
    }

    @Before
    public void freshDatabase() throws Exception {
        dataSource = TestDatabases.fresh(product, NAME);
    }

    @After
    public void close() {
        if (emf != null) {
            emf.close();
        }
    }

    @Test
    public void migratesAnEmptyDatabaseAndIsIdempotent() throws Exception {
        List<String> first = Migrations.migrate(dataSource);
        assertTrue(first.contains("001-cluster-event"));
        assertTrue(tableExists(dataSource, "cluster_event"));

        List<String> second = Migrations.migrate(dataSource);
        assertEquals("a second run applies nothing new", first, second);
        String expected = Map.of("h2", "h2", "postgresql", "postgresql", "mariadb", "mysql").get(product);
        assertTrue(Migrations.product(dataSource).toLowerCase().startsWith(expected));
    }


    @Test
    public void clusterEventLogStoresAndListsNewestFirst() throws Exception {
        SchemaMigrator migrator = new SchemaMigrator(dataSource);
        emf = TestDatabases.emf("scow", dataSource);
        ClusterEventLog log = new JpaClusterEventLog(emf, migrator);

        Instant t0 = Instant.parse("2026-01-01T00:00:00.123456Z");
        log.append("hpc01", "org/scow/cluster/ONLINE", null, t0);
        log.append("hpc01", "org/scow/cluster/OFFLINE", "driver removed", t0.plus(1, ChronoUnit.MINUTES));
        log.append("hpc02", "org/scow/cluster/ONLINE", null, t0);
        ClusterEventLog.Entry last = log.append("hpc01", "org/scow/cluster/ONLINE", "x".repeat(2000),
                t0.plus(2, ChronoUnit.MINUTES));
        assertTrue(last.id() > 0);

        List<ClusterEventLog.Entry> recent = log.recent("hpc01", 2);
        assertEquals(2, recent.size());
        assertEquals(last.id(), recent.get(0).id());
        assertEquals("detail is cut to the column size", 1000, recent.get(0).detail().length());
        assertEquals("org/scow/cluster/OFFLINE", recent.get(1).topic());
        assertEquals("driver removed", recent.get(1).detail());
        assertEquals("instants round-trip to the microsecond", t0.plus(1, ChronoUnit.MINUTES),
                recent.get(1).occurredAt());
        assertEquals(3, log.recent("hpc01", 10).size());
        assertEquals(1, log.recent("hpc02", 10).size());
        assertEquals(0, log.recent("nope", 10).size());
        DatabaseSchema schema = migrator;
        assertTrue(schema.appliedChangeSets().contains("001-cluster-event"));
    }

    static boolean tableExists(DataSource dataSource, String table) throws Exception {
        try (Connection c = dataSource.getConnection()) {
            for (String name : new String[] {table, table.toUpperCase()}) {
                try (ResultSet rs = c.getMetaData().getTables(c.getCatalog(), null, name, null)) {
                    if (rs.next()) {
                        return true;
                    }
                }
            }
            return false;
        }
    }
}
