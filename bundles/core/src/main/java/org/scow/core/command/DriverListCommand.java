package org.scow.core.command;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.scow.api.cluster.ClusterRegistry;

@Service
@Command(scope = "scow", name = "driver-list", description = "Lists the installed scheduler driver types")
public class DriverListCommand implements Action {
    @Reference
    private ClusterRegistry registry;

    @Override
    public Object execute() {
        registry.driverTypes().forEach(System.out::println);
        return null;
    }
}
