package org.scow.itest.driver;

import org.osgi.service.component.annotations.Component;
import org.scow.api.scheduler.ClusterConfig;
import org.scow.api.scheduler.SchedulerDriver;
import org.scow.api.scheduler.SchedulerDriverFactory;
import org.scow.api.scheduler.SchedulerException;
import org.scow.itest.driver.internal.InMemoryDriver;
import org.scow.itest.driver.internal.Settings;

/**
 * The {@code test} driver type: every cluster configured with it gets its own in-memory scheduler. See
 * {@link Settings} for the {@code driver.*} settings it reads. For integration tests only; never shipped.
 */
@Component(service = SchedulerDriverFactory.class,
        property = SchedulerDriverFactory.DRIVER_TYPE + "=" + TestDriverFactory.TYPE)
public class TestDriverFactory implements SchedulerDriverFactory {
    /** The driver type this factory serves. */
    public static final String TYPE = "test";

    @Override
    public SchedulerDriver create(ClusterConfig config) throws SchedulerException {
        return new InMemoryDriver(Settings.from(config));
    }
}
