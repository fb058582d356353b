package org.scow.persistence.internal;

import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import javax.sql.DataSource;
import org.junit.Test;
import org.mariadb.jdbc.MariaDbDataSource;

/** EclipseLink 2.7 needs MariaDB to present itself as MySQL; without the URL flag the platform refuses to start. */
public class MariaDbMetadataTest {
    @Test
    public void mariaDbWithoutMysqlMetadataIsRefusedWithAHint() throws Exception {
        TestDatabases.fresh("mariadb");
        DataSource plain = new MariaDbDataSource("jdbc:mariadb://127.0.0.1:3306/" + TestDatabases.NAME + "?user=root");
        try {
            new SchemaMigrator(plain);
            fail("a MariaDB URL without useMysqlMetadata=true must be refused");
        } catch (IllegalStateException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("useMysqlMetadata=true"));
        }
        assertFalse("nothing was migrated", MigrationsAndRepositoryTest.tableExists(plain, "cluster_event"));
    }
}
