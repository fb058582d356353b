package org.scow.crane.server;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.scow.crane.ctld.Controller;
import org.scow.crane.ctld.CtldException;
import org.scow.crane.protocol.v1.CraneNodeGrpc;
import org.scow.crane.protocol.v1.Empty;
import org.scow.crane.protocol.v1.StepOutputBatch;
import org.scow.crane.protocol.v1.HeartbeatReply;
import org.scow.crane.protocol.v1.NodeCommand;
import org.scow.crane.protocol.v1.NodeHeartbeat;
import org.scow.crane.protocol.v1.NodeRegistration;

/**
 * The node daemons' service: {@code Register} (a stream kept open for launches and terminations) and
 * {@code Heartbeat}. Only node credentials may call it, and only for the node they name. Without
 * {@code NodeDaemons=true} there is no {@link NodeManager} and every call is FAILED_PRECONDITION.
 */
final class NodeService extends CraneNodeGrpc.CraneNodeImplBase {
    private static final Logger LOG = Logger.getLogger(NodeService.class.getName());

    private final Controller ctl;
    private final NodeManager nodes;
    private final StepService steps;

    NodeService(Controller ctl, NodeManager nodes, StepService steps) {
        this.ctl = ctl;
        this.nodes = nodes;
        this.steps = steps;
    }

    /** Output and task ends of job steps (see {@link StepService}). */
    @Override
    public void stepOutput(StepOutputBatch req, StreamObserver<Empty> out) {
        try {
            String node = nodeCaller(req.getNode());
            steps.nodeOutput(node, req);
            out.onNext(Empty.getDefaultInstance());
            out.onCompleted();
        } catch (CtldException e) {
            out.onError(Errors.of(e));
        } catch (StatusRuntimeException e) {
            out.onError(e);
        }
    }

    @Override
    public void register(NodeRegistration req, StreamObserver<NodeCommand> out) {
        try {
            String node = nodeCaller(req.getNode());
            nodes.register(req.toBuilder().setNode(node).build(), (ServerCallStreamObserver<NodeCommand>) out);
        } catch (CtldException e) {
            out.onError(Errors.of(e));
        } catch (StatusRuntimeException e) {
            out.onError(e);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "node registration failed", e);
            out.onError(Errors.of(Status.INTERNAL, "INTERNAL", null, "internal error: " + e));
        }
    }

    @Override
    public void heartbeat(NodeHeartbeat req, StreamObserver<HeartbeatReply> out) {
        try {
            String node = nodeCaller(req.getNode());
            boolean again = nodes.heartbeat(node, req.getSession());
            Controller.NodeView v = ctl.node(node);
            out.onNext(HeartbeatReply.newBuilder().setRegister(again).setState(v == null ? "" : v.state().name()).build());
            out.onCompleted();
        } catch (CtldException e) {
            out.onError(Errors.of(e));
        } catch (StatusRuntimeException e) {
            out.onError(e);
        }
    }

    /** The node the caller's credential names; it must be a node credential for {@code claimed}. */
    private String nodeCaller(String claimed) {
        Caller c = Caller.current();
        if (!c.isNode()) throw Errors.denied("only node credentials may register nodes or heartbeat");
        String node = c.credential().principal();
        if (!claimed.isEmpty() && !claimed.equals(node)) {
            throw Errors.denied("a credential of node '" + node + "' cannot speak for node '" + claimed + "'");
        }
        if (nodes == null) {
            throw Errors.of(Status.FAILED_PRECONDITION, "INVALID_STATE", null,
                    "this controller does not use node daemons (NodeDaemons=false)");
        }
        return node;
    }
}
