package org.scow.scheduler.slurm;

import org.osgi.service.component.annotations.Component;
import org.scow.api.scheduler.ClusterConfig;
import org.scow.api.scheduler.SchedulerDriver;
import org.scow.api.scheduler.SchedulerDriverFactory;
import org.scow.api.scheduler.SchedulerException;
import org.scow.scheduler.slurm.internal.ProcessCommandRunner;
import org.scow.scheduler.slurm.internal.SlurmDriver;
import org.scow.scheduler.slurm.internal.SlurmSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the driver of each Slurm cluster. The settings (see README.md) are checked here; Slurm itself is not
 * contacted, so an unreachable cluster fails its operations with {@code UNAVAILABLE} instead of its creation.
 */
@Component(service = SchedulerDriverFactory.class,
        property = SchedulerDriverFactory.DRIVER_TYPE + "=" + SlurmDriver.TYPE)
public class SlurmDriverFactory implements SchedulerDriverFactory {
    private static final Logger LOG = LoggerFactory.getLogger(SlurmDriverFactory.class);

    @Override
    public SchedulerDriver create(ClusterConfig config) throws SchedulerException {
        SlurmSettings settings = SlurmSettings.from(config);
        SlurmDriver driver = new SlurmDriver(settings, new ProcessCommandRunner());
        LOG.info("Slurm cluster '{}': {} (commands in {})", config.id(), driver.info().schedulerName(),
                settings.binDir());
        return driver;
    }
}
