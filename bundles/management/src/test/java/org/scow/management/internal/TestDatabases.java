package org.scow.management.internal;

import java.util.List;
import javax.persistence.EntityManagerFactory;
import javax.sql.DataSource;
import org.scow.persistence.internal.SchemaMigrator;

/**
 * The platform's test databases (scow-persistence test-jar) in database {@value #NAME}, migrated with the core and
 * management changelogs; billing's tests use it too.
 */
public final class TestDatabases {
    public static final String NAME = "scow_test_mgmt";

    private TestDatabases() {
    }

    public static List<Object[]> selected() {
        return org.scow.persistence.testing.TestDatabases.selected();
    }

    public static DataSource fresh(String product) throws Exception {
        return fresh(product, NAME);
    }

    public static DataSource fresh(String product, String name) throws Exception {
        return org.scow.persistence.testing.TestDatabases.fresh(product, name);
    }

    /** Migrates core and management schemas. */
    public static SchemaMigrator migrate(DataSource ds) throws Exception {
        SchemaMigrator m = new SchemaMigrator(ds);
        m.migrate(ManagementComponent.CHANGELOG, ManagementComponent.class.getClassLoader());
        return m;
    }

    public static EntityManagerFactory emf(String unit, DataSource ds) {
        return org.scow.persistence.testing.TestDatabases.emf(unit, ds);
    }

    public static void exec(DataSource ds, String... sql) throws Exception {
        org.scow.persistence.testing.TestDatabases.exec(ds, sql);
    }
}
