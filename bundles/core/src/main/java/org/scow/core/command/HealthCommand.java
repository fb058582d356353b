package org.scow.core.command;

import java.util.List;
import java.util.Map;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.scow.api.health.HealthCheck;

@Service
@Command(scope = "scow", name = "health", description = "Runs every platform health check")
public class HealthCommand implements Action {
    @Reference
    private List<HealthCheck> checks;

    @Override
    public Object execute() {
        HealthCheck.Report report = HealthCheck.Report.of(checks);
        System.out.println("Platform " + report.status());
        for (Map.Entry<String, HealthCheck.Result> e : report.checks().entrySet()) {
            System.out.printf("  %-10s %-8s %s%n", e.getKey(), e.getValue().status(), e.getValue().message());
        }
        return null;
    }
}
