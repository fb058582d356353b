package org.scow.persistence.internal;

import java.sql.Connection;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.mariadb.jdbc.MariaDbDataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Fresh, empty databases on the three supported products: embedded H2, and the PostgreSQL and MariaDB servers on
 * 127.0.0.1 (PostgreSQL with trust auth, MariaDB root without password), each recreated for every test.
 */
final class TestDatabases {
    static final String NAME = "scow_test";
    /** What the platform's MariaDB URL needs; see {@link Migrations#checkSupported}. */
    static final String MARIADB_FLAGS = "useMysqlMetadata=true";

    private TestDatabases() {
    }

    /** The products named by the system property {@code scow.test.databases} (default: all three). */
    static List<Object[]> selected() {
        String list = System.getProperty("scow.test.databases", "h2,postgresql,mariadb");
        return Arrays.stream(list.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .map(s -> new Object[] {s}).toList();
    }

    static DataSource fresh(String product) throws Exception {
        switch (product) {
            case "h2" -> {
                JdbcDataSource ds = new JdbcDataSource();
                ds.setURL("jdbc:h2:mem:" + NAME + System.nanoTime() + ";MODE=LEGACY;DB_CLOSE_DELAY=-1");
                ds.setUser("sa");
                return ds;
            }
            case "postgresql" -> {
                PGSimpleDataSource admin = postgres("postgres");
                exec(admin, "DROP DATABASE IF EXISTS " + NAME + " WITH (FORCE)", "CREATE DATABASE " + NAME);
                return postgres(NAME);
            }
            case "mariadb" -> {
                MariaDbDataSource admin = new MariaDbDataSource("jdbc:mariadb://127.0.0.1:3306/?user=root");
                exec(admin, "DROP DATABASE IF EXISTS " + NAME, "CREATE DATABASE " + NAME);
                return new MariaDbDataSource("jdbc:mariadb://127.0.0.1:3306/" + NAME + "?user=root&" + MARIADB_FLAGS);
            }
            default -> throw new IllegalArgumentException("unknown test database " + product);
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

    private static void exec(DataSource ds, String... sql) throws Exception {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            for (String q : sql) {
                s.execute(q);
            }
        }
    }
}
