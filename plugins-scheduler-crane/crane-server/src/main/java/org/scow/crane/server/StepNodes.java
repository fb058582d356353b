package org.scow.crane.server;

import org.scow.crane.protocol.v1.NodeCommand;

/** Where {@link StepService} sends a step's commands for a node: craned's stream, or this machine's own launcher. */
interface StepNodes {
    /** False when the node cannot take it now (not connected). */
    boolean send(String node, NodeCommand c);
}
