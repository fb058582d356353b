package org.scow.core.command;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.scow.api.cluster.Cluster;
import org.scow.api.cluster.ClusterRegistry;

@Service
@Command(scope = "scow", name = "cluster-list", description = "Lists the configured clusters and whether they are online")
public class ClusterListCommand implements Action {
    @Reference
    private ClusterRegistry registry;

    @Override
    public Object execute() {
        ShellTable table = new ShellTable();
        table.column("Id");
        table.column("Name");
        table.column("Driver");
        table.column("State");
        for (Cluster c : registry.clusters()) {
            table.addRow().addContent(c.id(), c.displayName(), c.driverType(),
                    c.online() ? "online" : "offline: " + c.offlineReason());
        }
        table.print(System.out);
        return null;
    }
}
