package org.scow.persistence.testing;

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

/**
 * Fresh, empty databases on the three supported products for repository tests of every bundle (shipped in the
 * scow-persistence test-jar): embedded H2, and the PostgreSQL (user postgres, trust auth) and MariaDB (root without
 * password) servers on 127.0.0.1. Each module uses its own database name so that modules can test at the same time.
 */
public final class TestDatabases {
    /** What the platform's MariaDB URL needs: EclipseLink 2.7 only knows MariaDB as MySQL. */
    public static final String MARIADB_FLAGS = "useMysqlMetadata=true";

    private TestDatabases() {
    }

    /** The products named by the system property {@code scow.test.databases} (default: all three), as parameters. */
    public static List<Object[]> selected() {
        String list = System.getProperty("scow.test.databases", "h2,postgresql,mariadb");
        return Arrays.stream(list.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .map(s -> new Object[] {s}).toList();
    }

    /** Drops and recreates database {@code name} on {@code product} (h2, postgresql or mariadb). */
    public static DataSource fresh(String product, String name) throws Exception {
        switch (product) {
            case "h2" -> {
                JdbcDataSource ds = new JdbcDataSource();
                ds.setURL("jdbc:h2:mem:" + name + System.nanoTime() + ";MODE=LEGACY;DB_CLOSE_DELAY=-1");
                ds.setUser("sa");
                return ds;
            }
            case "postgresql" -> {
                exec(postgres("postgres"), "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)",
                        "CREATE DATABASE " + name);
                return postgres(name);
            }
            case "mariadb" -> {
                exec(new MariaDbDataSource("jdbc:mariadb://127.0.0.1:3306/?user=root"),
                        "DROP DATABASE IF EXISTS " + name, "CREATE DATABASE " + name);
                return new MariaDbDataSource("jdbc:mariadb://127.0.0.1:3306/" + name + "?user=root&" + MARIADB_FLAGS);
            }
            default -> throw new IllegalArgumentException("unknown test database " + product);
        }
    }

    /** A persistence unit of the module under test on {@code ds}, outside OSGi. */
    public static EntityManagerFactory emf(String unit, DataSource ds) {
        return Persistence.createEntityManagerFactory(unit,
                Map.of("javax.persistence.nonJtaDataSource", ds, "eclipselink.weaving", "false"));
    }

    public static void exec(DataSource ds, String... sql) throws Exception {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            for (String q : sql) {
                s.execute(q);
            }
        }
    }

    private static PGSimpleDataSource postgres(String db) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setServerNames(new String[] {"127.0.0.1"});
        ds.setPortNumbers(new int[] {5432});
        ds.setDatabaseName(db);
        ds.setUser("postgres");
        return ds;
    }
}
