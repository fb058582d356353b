package __package__.scheduler;

import org.osgi.service.component.annotations.Component;
import org.scow.api.scheduler.ClusterConfig;
import org.scow.api.scheduler.SchedulerDriver;
import org.scow.api.scheduler.SchedulerDriverFactory;
import org.scow.api.scheduler.SchedulerException;

/**
 * The {@code __name__} driver type: the platform calls {@link #create} for every cluster configured with
 * {@code driver = __name__} ({@code etc/org.scow.cluster-<id>.cfg}); the cluster is online while this bundle runs.
 */
@Component(service = SchedulerDriverFactory.class,
        property = SchedulerDriverFactory.DRIVER_TYPE + "=" + __Name__DriverFactory.TYPE)
public class __Name__DriverFactory implements SchedulerDriverFactory {
    /** The driver type this factory serves. */
    public static final String TYPE = "__name__";

    @Override
    public SchedulerDriver create(ClusterConfig config) throws SchedulerException {
        return new __Name__Driver(config);
    }
}
