package org.scow.management.internal;

import java.sql.Connection;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import javax.persistence.EntityManagerFactory;
import javax.persistence.Persistence;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.mariadb.jdbc.MariaDbDataSource;
import org.postgresql.ds.PGSimpleDataSource;
import org.scow.persistence.internal.SchemaMigrator;

/**
 * Fresh databases on H2, and on the PostgreSQL and MariaDB servers on 127.0.0.1 (database {@value #NAME}, its own
 * so that other modules' tests may run at the same time), migrated with the core and management changelogs.
 */
public final class TestDatabases {
    public static final String NAME = "scow_test_mgmt";

    private TestDatabases() {
    }

    /** The products named by the system property {@code scow.test.databases} (default: all three). */
    public static List<Object[]> selected() {
        String list = System.getProperty("scow.test.databases", "h2,postgresql,mariadb");
        return Arrays.stream(list.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .map(s -> new Object[] {s}).toList();
    }

    public static DataSource fresh(String product) throws Exception {
        return fresh(product, NAME);
    }

    public static DataSource fresh(String product, String name) throws Exception {
        switch (product) {
            case "h2" -> {
                JdbcDataSource ds = new JdbcDataSource();
                ds.setURL("jdbc:h2:mem:" + name + System.nanoTime() + ";MODE=LEGACY;DB_CLOSE_DELAY=-1");
                ds.setUser("sa");
                return ds;
            }
            case "postgresql" -> {
                PGSimpleDataSource admin = postgres("postgres");
                exec(admin, "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)", "CREATE DATABASE " + name);
                return postgres(name);
            }
            case "mariadb" -> {
                MariaDbDataSource admin = new MariaDbDataSource("jdbc:mariadb://127.0.0.1:3306/?user=root");
                exec(admin, "DROP DATABASE IF EXISTS " + name, "CREATE DATABASE " + name);
                return new MariaDbDataSource("jdbc:mariadb://127.0.0.1:3306/" + name
                        + "?user=root&useMysqlMetadata=true");
            }
            default -> throw new IllegalArgumentException("unknown test database " + product);
        }
    }

    /** Migrates core and management schemas. */
    public static SchemaMigrator migrate(DataSource ds) throws Exception {
        SchemaMigrator m = new SchemaMigrator(ds);
        m.migrate(ManagementComponent.CHANGELOG, ManagementComponent.class.getClassLoader());
        return m;
    }

    public static EntityManagerFactory emf(String unit, DataSource ds) {
        return Persistence.createEntityManagerFactory(unit,
                Map.of("javax.persistence.nonJtaDataSource", ds, "eclipselink.weaving", "false"));
    }

    private static PGSimpleDataSource postgres(String db) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setServerNames(new String[] {"127.0.0.1"});
        ds.setPortNumbers(new int[] {5432});
        ds.setDatabaseName(db);
        ds.setUser("postgres");
        return ds;
    }

    public static void exec(DataSource ds, String... sql) throws Exception {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            for (String q : sql) {
                s.execute(q);
            }
        }
    }
}
