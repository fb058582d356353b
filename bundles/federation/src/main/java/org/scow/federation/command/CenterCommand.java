package org.scow.federation.command;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.scow.federation.CenterIdentity;
import org.scow.federation.PeerDirectory;

/** Prints this center's identity (what a peer's administrator configures) and the peers with their reachability. */
@Service
@Command(scope = "scow", name = "center", description = "This center's id, URL and public key, and its peers")
public class CenterCommand implements Action {
    @Reference
    private CenterIdentity center;

    @Reference
    private PeerDirectory peers;

    @Override
    public Object execute() {
        System.out.println("id        = " + center.id());
        System.out.println("name      = " + center.name());
        System.out.println("url       = " + center.url());
        System.out.println("publicKey = " + center.publicKey());
        for (var p : peers.peers()) {
            var r = peers.reachability(p.id());
            System.out.println("peer " + p.id() + " " + p.url() + " "
                    + (r == null ? "not probed yet" : r.reachable() ? "reachable" : "unreachable: " + r.problem()));
        }
        return null;
    }
}
