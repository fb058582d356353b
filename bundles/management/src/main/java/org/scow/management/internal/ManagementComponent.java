package org.scow.management.internal;

import java.time.Clock;
import javax.persistence.EntityManagerFactory;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.scow.api.security.RoleDirectory;
import org.scow.api.security.SystemAccountPolicy;
import org.scow.management.AuditLog;
import org.scow.management.ManagementService;
import org.scow.persistence.Database;

/**
 * Migrates the management schema, then offers the management service, the role directory and the audit log. On
 * first start it creates the default tenant and the initial platform admin (PID {@code org.scow.management}:
 * {@code defaultTenant}, default {@code default}; {@code initialAdmin}, default {@code admin}).
 */
@Component(service = {ManagementService.class, RoleDirectory.class, AuditLog.class}, immediate = true,
        configurationPid = "org.scow.management")
public class ManagementComponent extends ManagementStore {
    public static final String CHANGELOG = "db/management/changelog.xml";

    /** Configuration of PID {@code org.scow.management}. */
    public @interface Config {
        String defaultTenant() default "default";

        String initialAdmin() default "admin";

        long reconcileIntervalMinutes() default 60;
    }

    @Activate
    public ManagementComponent(@Reference(target = "(osgi.unit.name=scow-management)") EntityManagerFactory emf,
                               @Reference Database database, @Reference SystemAccountPolicy systemAccounts,
                               Config config) {
        super(emf, Clock.systemUTC());
        systemAccounts(systemAccounts);
        database.migrate(CHANGELOG, ManagementComponent.class.getClassLoader());
        bootstrap(config.defaultTenant(), config.initialAdmin());
    }
}
