package org.scow.persistence.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import liquibase.Scope;
import liquibase.changelog.RanChangeSet;
import liquibase.command.CommandScope;
import liquibase.command.core.UpdateCommandStep;
import liquibase.command.core.helpers.DbUrlConnectionArgumentsCommandStep;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.resource.ClassLoaderResourceAccessor;

/** Brings a database up to the platform schema with Liquibase. Safe to run on every start, and concurrently. */
final class Migrations {
    static final String MASTER_CHANGELOG = "db/changelog/scow-master.xml";

    private Migrations() {
    }

    /**
     * Applies pending changesets (Liquibase's lock table keeps two platform nodes from migrating at once).
     *
     * @return ids of all applied changesets, in order
     */
    static List<String> migrate(DataSource dataSource) throws Exception {
        return migrate(dataSource, MASTER_CHANGELOG, Migrations.class.getClassLoader());
    }

    /** Applies {@code changelog}, read through {@code loader}. */
    static List<String> migrate(DataSource dataSource, String changelog, ClassLoader loader) throws Exception {
        try (Connection connection = dataSource.getConnection()) {
            Database database = DatabaseFactory.getInstance()
                    .findCorrectDatabaseImplementation(new JdbcConnection(connection));
            // Liquibase finds its own extensions through the scope's class loader; in OSGi that must be its bundle.
            Map<String, Object> scope = Map.of(
                    Scope.Attr.classLoader.name(), Scope.class.getClassLoader(),
                    Scope.Attr.resourceAccessor.name(),
                    new ClassLoaderResourceAccessor(loader));
            Scope.child(scope, () -> new CommandScope(UpdateCommandStep.COMMAND_NAME)
                    .addArgumentValue(DbUrlConnectionArgumentsCommandStep.DATABASE_ARG, database)
                    .addArgumentValue(UpdateCommandStep.CHANGELOG_FILE_ARG, changelog)
                    .execute());
            return database.getRanChangeSetList().stream().map(RanChangeSet::getId).toList();
        }
    }

    /**
     * Refuses databases the persistence unit would silently mishandle. EclipseLink 2.7 does not know the name
     * "MariaDB" and would fall back to a generic platform without identity columns.
     */
    static void checkSupported(String product) {
        if (product.startsWith("MariaDB")) {
            throw new IllegalStateException("MariaDB must present itself as MySQL: add useMysqlMetadata=true to the "
                    + "url in etc/org.ops4j.datasource-scow.cfg, e.g. jdbc:mariadb://host:3306/scow?useMysqlMetadata=true");
        }
    }

    /** "PostgreSQL 15.19" and the like. */
    static String product(DataSource dataSource) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return c.getMetaData().getDatabaseProductName() + " " + c.getMetaData().getDatabaseProductVersion();
        }
    }
}
