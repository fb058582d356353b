package org.scow.persistence.internal;

import java.util.List;
import javax.sql.DataSource;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.scow.persistence.DatabaseSchema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Migrates the {@code scow} DataSource when it appears and only then offers {@link DatabaseSchema}, which every
 * repository requires, so nothing touches a half-migrated database.
 */
@Component(service = DatabaseSchema.class, immediate = true)
public class SchemaMigrator implements DatabaseSchema {
    private static final Logger LOG = LoggerFactory.getLogger(SchemaMigrator.class);

    private final String product;
    private final List<String> applied;

    @Activate
    public SchemaMigrator(@Reference(target = "(osgi.jndi.service.name=scow)") DataSource dataSource)
            throws Exception {
        long start = System.nanoTime();
        try {
            this.product = Migrations.product(dataSource);
            Migrations.checkSupported(product);
            this.applied = Migrations.migrate(dataSource);
        } catch (Exception e) {
            LOG.error("Database migration failed; the platform stays without a database until it is fixed", e);
            throw e;
        }
        LOG.info("Database {} at schema {} ({} changesets, {} ms)", product,
                applied.isEmpty() ? "-" : applied.get(applied.size() - 1), applied.size(),
                (System.nanoTime() - start) / 1_000_000);
    }

    @Override
    public String product() {
        return product;
    }

    @Override
    public List<String> appliedChangeSets() {
        return applied;
    }
}
