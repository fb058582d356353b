package org.scow.persistence.internal;

import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import javax.sql.DataSource;
import org.junit.Test;
import org.scow.persistence.testing.TestDatabases;
import org.mariadb.jdbc.MariaDbDataSource;

/** EclipseLink 2.7 needs MariaDB to present itself as MySQL; without the URL flag the platform refuses to start. */
public class MariaDbMetadataTest {
    private static final String NAME = "scow_test";

    @Test
    public void mariaDbWithoutMysqlMetadataIsRefusedWithAHint() throws Exception {
        TestDatabases.fresh("mariadb", NAME);
        DataSource plain = new MariaDbDataSource("jdbc:mariadb://127.0.0.1:3306/" + NAME + "?user=root");
        try {
            new SchemaMigrator(plain);
            fail("a MariaDB URL without useMysqlMetadata=true must be refused");
        } catch (IllegalStateException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("useMysqlMetadata=true"));
        }
        assertFalse("nothing was migrated", MigrationsAndRepositoryTest.tableExists(plain, "cluster_event"));
    }
}
