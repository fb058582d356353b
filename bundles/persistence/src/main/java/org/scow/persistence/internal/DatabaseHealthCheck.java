package org.scow.persistence.internal;

import java.util.Map;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.scow.api.health.HealthCheck;
import org.scow.persistence.DatabaseSchema;

/** DOWN until the schema is migrated, so a broken database configuration shows in the health report. */
@Component(service = HealthCheck.class)
public class DatabaseHealthCheck implements HealthCheck {
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile DatabaseSchema schema;

    @Override
    public String name() {
        return "database";
    }

    @Override
    public Result check() {
        DatabaseSchema s = schema;
        if (s == null) {
            return Result.down("database not ready: check etc/org.ops4j.datasource-scow.cfg and data/log/karaf.log");
        }
        var applied = s.appliedChangeSets();
        return Result.up(s.product(), Map.of("changeSets", applied.size(),
                "schemaVersion", applied.isEmpty() ? "" : applied.get(applied.size() - 1)));
    }
}
