package org.scow.auth.internal;

import java.util.List;
import javax.persistence.EntityManagerFactory;
import javax.sql.DataSource;
import org.scow.persistence.internal.SchemaMigrator;

/** The platform's test databases (scow-persistence test-jar) in database {@value #NAME}, migrated with db/auth. */
public final class TestDatabases {
    public static final String NAME = "scow_test_auth";

    private TestDatabases() {
    }

    public static List<Object[]> selected() {
        return org.scow.persistence.testing.TestDatabases.selected();
    }

    public static DataSource fresh(String product) throws Exception {
        return org.scow.persistence.testing.TestDatabases.fresh(product, NAME);
    }

    public static SchemaMigrator migrate(DataSource ds) throws Exception {
        SchemaMigrator m = new SchemaMigrator(ds);
        m.migrate(AuthStore.CHANGELOG, AuthStore.class.getClassLoader());
        return m;
    }

    public static EntityManagerFactory emf(String unit, DataSource ds) {
        return org.scow.persistence.testing.TestDatabases.emf(unit, ds);
    }
}
