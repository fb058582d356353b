package org.scow.persistence;

import org.osgi.annotation.versioning.ProviderType;
import java.util.List;

/**
 * The platform database, registered once its DataSource is available. Each bundle that keeps data runs its own
 * Liquibase changelog through {@link #migrate} before it registers its repositories, and uses its own persistence
 * unit on the same DataSource ({@code osgi:service/javax.sql.DataSource/(osgi.jndi.service.name=scow)}).
 */
@ProviderType
public interface Database {
    /** Database product and version, e.g. "PostgreSQL 15.19". */
    String product();

    /**
     * Applies the pending changesets of a changelog. Safe on every start and from several platform nodes at once
     * (Liquibase's lock table serialises them). Changeset ids are platform-wide, so prefix them with the bundle's
     * subject, e.g. {@code billing-001-price}.
     *
     * @param changelog  resource path of the changelog, e.g. {@code db/billing/changelog.xml}
     * @param loader     class loader that sees the changelog and the files it includes (the caller's bundle)
     * @return ids of every changeset applied so far, from any changelog, in order
     * @throws IllegalStateException with the reason when the migration fails; nothing of a failed changeset stays
     */
    List<String> migrate(String changelog, ClassLoader loader);
}
