package org.scow.crane.driver;

import org.osgi.service.component.annotations.Component;
import org.scow.api.scheduler.ClusterConfig;
import org.scow.api.scheduler.SchedulerDriver;
import org.scow.api.scheduler.SchedulerDriverFactory;
import org.scow.api.scheduler.SchedulerException;

/** The {@code crane} driver type: one {@link CraneDriver} per configured Crane cluster (see {@link CraneSettings}). */
@Component(service = SchedulerDriverFactory.class,
        property = SchedulerDriverFactory.DRIVER_TYPE + "=" + CraneDriverFactory.TYPE)
public class CraneDriverFactory implements SchedulerDriverFactory {
    /** The driver type this factory serves. */
    public static final String TYPE = "crane";

    @Override
    public SchedulerDriver create(ClusterConfig config) throws SchedulerException {
        return new CraneDriver(CraneSettings.from(config));
    }
}
