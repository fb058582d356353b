package org.scow.federation.internal;

import java.time.Clock;
import javax.persistence.EntityManagerFactory;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.scow.federation.FederationAudit;
import org.scow.persistence.Database;

/** Migrates the federation schema, then offers the grant store and the audit of cross-center calls. */
@Component(service = {FederationStore.class, FederationAudit.class}, immediate = true)
public class FederationComponent extends FederationStore {
    public static final String CHANGELOG = "db/federation/changelog.xml";

    @Activate
    public FederationComponent(@Reference(target = "(osgi.unit.name=scow-federation)") EntityManagerFactory emf,
                               @Reference Database database) {
        super(emf, Clock.systemUTC());
        database.migrate(CHANGELOG, FederationComponent.class.getClassLoader());
    }
}
