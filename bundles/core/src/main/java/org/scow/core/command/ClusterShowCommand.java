package org.scow.core.command;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.scow.api.cluster.Cluster;
import org.scow.api.cluster.ClusterRegistry;
import org.scow.api.scheduler.ClusterUsage;
import org.scow.api.scheduler.DriverInfo;
import org.scow.api.scheduler.Partition;
import org.scow.api.scheduler.SchedulerDriver;
import org.scow.api.scheduler.SchedulerException;

@Service
@Command(scope = "scow", name = "cluster-show", description = "Shows one cluster: driver, partitions and usage")
public class ClusterShowCommand implements Action {
    @Reference
    private ClusterRegistry registry;

    @Argument(index = 0, name = "id", description = "Cluster id", required = true)
    private String id;

    @Override
    public Object execute() {
        Cluster cluster = registry.cluster(id).orElseThrow(
                () -> new IllegalArgumentException("No cluster '" + id + "'; see scow:cluster-list"));
        System.out.printf("Cluster  %s (%s)%n", cluster.id(), cluster.displayName());
        System.out.printf("Driver   %s%n", cluster.driverType());
        SchedulerDriver driver = cluster.driver().orElse(null);
        if (driver == null) {
            System.out.printf("State    offline: %s%n", cluster.offlineReason());
            return null;
        }
        DriverInfo info = driver.info();
        System.out.printf("State    online, %s, driver %s, features %s%n", info.schedulerName(), info.version(),
                info.features());
        try {
            for (Partition p : driver.partitions()) {
                System.out.printf("  partition %-12s nodes %4d  cores %6d  mem %8d MiB  gpus %4d  %s%n", p.name(),
                        p.nodes(), p.cores(), p.memoryMb(), p.gpus(), p.up() ? "up" : "down");
            }
            ClusterUsage.Usage u = driver.usage().total();
            System.out.printf("Usage    cpus %d/%d busy, gpus %d/%d busy, nodes %d unavailable, jobs %d running %d "
                            + "pending%n", u.cpus().running(), u.cpus().total(), u.gpus().running(), u.gpus().total(),
                    u.nodes().unavailable(), u.runningJobs(), u.pendingJobs());
        } catch (SchedulerException e) {
            System.out.printf("Error    %s: %s%n", e.code(), e.getMessage());
        }
        return null;
    }
}
