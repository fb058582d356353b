package org.scow.persistence;

import org.osgi.annotation.versioning.ProviderType;
import java.util.List;

/** Registered once the platform schema is current; repositories depend on it. */
@ProviderType
public interface DatabaseSchema {
    /** Database product and version, e.g. "PostgreSQL 15.19". */
    String product();

    /** Ids of the applied changesets, in order. */
    List<String> appliedChangeSets();
}
