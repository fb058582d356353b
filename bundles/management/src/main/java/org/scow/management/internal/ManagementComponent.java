package org.scow.management.internal;

import java.time.Clock;
import java.util.List;
import javax.persistence.EntityManagerFactory;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.scow.api.security.RoleDirectory;
import org.scow.api.security.SystemAccountPolicy;
import org.scow.management.AuditLog;
import org.scow.management.ManagementService;
import org.scow.persistence.Database;

/**
 * Migrates the management schema, then wires and registers the management service ({@link ManagementStore}), the
 * role directory ({@link JpaRoleDirectory}) and the audit log ({@link JpaAuditLog}). On first start it creates the
 * default tenant and the initial platform admin. Configuration PID {@code org.scow.management}.
 */
@Component(service = {}, immediate = true, configurationPid = "org.scow.management")
@Designate(ocd = ManagementComponent.Config.class)
public class ManagementComponent {
    public static final String CHANGELOG = "db/management/changelog.xml";

    /** Configuration of PID {@code org.scow.management}. */
    @ObjectClassDefinition(name = "SCOW management",
            description = "The first tenant and admin, and how often the clusters are reconciled")
    public @interface Config {
        @AttributeDefinition(description = "Tenant created on first start")
        String defaultTenant() default "default";

        @AttributeDefinition(description = "Platform admin created on first start (empty: none)")
        String initialAdmin() default "admin";

        @AttributeDefinition(description = "Minutes between two full reconciliations of the clusters (at least 1)")
        long reconcileIntervalMinutes() default 60;
    }

    private final List<ServiceRegistration<?>> registrations;

    @Activate
    public ManagementComponent(@Reference(target = "(osgi.unit.name=scow-management)") EntityManagerFactory emf,
                               @Reference Database database, @Reference SystemAccountPolicy systemAccounts,
                               @Reference AccountChanges changes, Config config, BundleContext context) {
        database.migrate(CHANGELOG, ManagementComponent.class.getClassLoader());
        ManagementStore store = new ManagementStore(emf, Clock.systemUTC());
        store.systemAccounts(systemAccounts);
        store.onAccountChanged(changes::accountChanged);
        store.onMemberRemoved(changes::memberRemoved);
        store.bootstrap(config.defaultTenant(), config.initialAdmin());
        this.registrations = List.of(
                context.registerService(AuditLog.class, store.audit(), null),
                context.registerService(RoleDirectory.class, new JpaRoleDirectory(emf), null),
                context.registerService(ManagementService.class, store, null));
    }

    @Deactivate
    void stop() {
        for (ServiceRegistration<?> r : registrations) {
            try {
                r.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the framework unregistered it with the bundle
            }
        }
    }
}
