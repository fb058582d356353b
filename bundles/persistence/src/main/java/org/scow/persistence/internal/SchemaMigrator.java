package org.scow.persistence.internal;

import java.util.List;
import javax.sql.DataSource;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.scow.persistence.Database;
import org.scow.persistence.DatabaseSchema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When the {@code scow} DataSource appears: checks the product, migrates the core schema, and only then offers
 * {@link Database} (for other bundles' changelogs) and {@link DatabaseSchema} (which the core repositories require),
 * so nothing touches a half-migrated database.
 */
@Component(service = {Database.class, DatabaseSchema.class}, immediate = true)
public class SchemaMigrator implements Database, DatabaseSchema {
    private static final Logger LOG = LoggerFactory.getLogger(SchemaMigrator.class);

    private final DataSource dataSource;
    private final String product;
    private volatile List<String> applied;

    @Activate
    public SchemaMigrator(@Reference(target = "(osgi.jndi.service.name=scow)") DataSource dataSource)
            throws Exception {
        this.dataSource = dataSource;
        try {
            this.product = Migrations.product(dataSource);
            Migrations.checkSupported(product);
        } catch (Exception e) {
            LOG.error("Database unusable; the platform stays without a database until it is fixed", e);
            throw e;
        }
        migrate(Migrations.MASTER_CHANGELOG, Migrations.class.getClassLoader());
    }

    @Override
    public String product() {
        return product;
    }

    @Override
    public List<String> appliedChangeSets() {
        return applied;
    }

    @Override
    public synchronized List<String> migrate(String changelog, ClassLoader loader) {
        long start = System.nanoTime();
        try {
            applied = Migrations.migrate(dataSource, changelog, loader);
        } catch (Exception e) {
            LOG.error("Migration {} failed", changelog, e);
            throw new IllegalStateException("migration " + changelog + " failed: " + e.getMessage(), e);
        }
        LOG.info("Database {}: {} applied ({} changesets in all, {} ms)", product, changelog, applied.size(),
                (System.nanoTime() - start) / 1_000_000);
        return applied;
    }
}
