package org.scow.crane.server;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.logging.Logger;
import org.scow.crane.ctld.Controller;
import org.scow.crane.ctld.CtldException;
import org.scow.crane.ctld.JobView;
import org.scow.crane.ctld.account.Account;
import org.scow.crane.ctld.account.Membership;
import org.scow.crane.ctld.account.Qos;
import org.scow.crane.ctld.account.UserRec;
import org.scow.crane.protocol.JobState;
import org.scow.crane.protocol.v1.AccountList;
import org.scow.crane.protocol.v1.AccountOpRequest;
import org.scow.crane.protocol.v1.CancelFilter;
import org.scow.crane.protocol.v1.Count;
import org.scow.crane.protocol.v1.CraneGrpc;
import org.scow.crane.protocol.v1.Empty;
import org.scow.crane.protocol.v1.Error;
import org.scow.crane.protocol.v1.Identity;
import org.scow.crane.protocol.v1.Job;
import org.scow.crane.protocol.v1.JobList;
import org.scow.crane.protocol.v1.JobQuery;
import org.scow.crane.protocol.v1.JobRef;
import org.scow.crane.protocol.v1.JobRequest;
import org.scow.crane.protocol.v1.JobsFinished;
import org.scow.crane.protocol.v1.ModifyJobRequest;
import org.scow.crane.protocol.v1.NodeControl;
import org.scow.crane.protocol.v1.NodeList;
import org.scow.crane.protocol.v1.NodeQuery;
import org.scow.crane.protocol.v1.PartitionControl;
import org.scow.crane.protocol.v1.PartitionList;
import org.scow.crane.protocol.v1.QosList;
import org.scow.crane.protocol.v1.SubmitBatchReply;
import org.scow.crane.protocol.v1.SubmitBatchRequest;
import org.scow.crane.protocol.v1.SubmitOutcome;
import org.scow.crane.protocol.v1.Submitted;
import org.scow.crane.protocol.v1.TxnLog;
import org.scow.crane.protocol.v1.UserInfo;
import org.scow.crane.protocol.v1.UserList;

/**
 * The Crane gRPC service: each call takes the proven {@link Caller}, maps the request onto one controller method
 * and maps the answer back. Permission checks live in the controller; this class only adds the scope rules of
 * credentials (node daemons may only report, users may not report).
 */
final class CraneService extends CraneGrpc.CraneImplBase {
    private static final Logger LOG = Logger.getLogger(CraneService.class.getName());
    /** Upper bound of one batch: keeps a single call's lock hold and reply size reasonable. */
    static final int MAX_BATCH = 100_000;

    private final Controller ctl;
    private final Runnable onSubmit;

    /** @param onSubmit  called after changes that may let jobs start (submit, cancel, release...), to wake the scheduler */
    CraneService(Controller ctl, Runnable onSubmit) {
        this.ctl = ctl;
        this.onSubmit = onSubmit;
    }

    // ---- identity ------------------------------------------------------------------------------------------------

    @Override
    public void whoAmI(Empty req, StreamObserver<Identity> out) {
        reply(out, () -> {
            Caller c = Caller.current();
            String level = c.isNode() ? "NONE" : ctl.withAccounts(a -> a.level(c.actor()).name());
            return Identity.newBuilder().setPrincipal(c.credential().principal())
                    .setScope(c.credential().scope().name().toLowerCase()).setActor(c.actor()).setAdminLevel(level)
                    .build();
        });
    }

    // ---- jobs ----------------------------------------------------------------------------------------------------

    @Override
    public void submitJob(JobRequest req, StreamObserver<Submitted> out) {
        // answered from the WAL's writer thread once durable: no handler thread waits for the flush
        reply(out, () -> {
            String actor = userActor();
            ctl.submitBatchThen(actor, List.of(Messages.toRequest(req, actor)), (outcomes, failure) ->
                    reply(out, () -> {
                        if (failure != null) throw failure;
                        if (outcomes.get(0) instanceof CtldException e) throw e;
                        Controller.Submitted s = (Controller.Submitted) outcomes.get(0);
                        return Submitted.newBuilder().setJobId(s.jobId()).setTasks(s.tasks()).build();
                    }));
            onSubmit.run();
            return null;
        });
    }

    @Override
    public void submitBatch(SubmitBatchRequest req, StreamObserver<SubmitBatchReply> out) {
        reply(out, () -> {
            String actor = userActor();
            if (req.getJobsCount() > MAX_BATCH) throw Errors.invalid("jobs", "at most " + MAX_BATCH + " per batch");
            List<org.scow.crane.ctld.model.JobRequest> reqs = new ArrayList<>(req.getJobsCount());
            for (JobRequest j : req.getJobsList()) reqs.add(Messages.toRequest(j, actor));
            SubmitBatchReply.Builder b = SubmitBatchReply.newBuilder();
            for (Object o : ctl.submitBatch(actor, reqs)) {
                if (o instanceof Controller.Submitted s) {
                    b.addOutcomes(SubmitOutcome.newBuilder()
                            .setSubmitted(Submitted.newBuilder().setJobId(s.jobId()).setTasks(s.tasks())));
                } else {
                    CtldException e = (CtldException) o;
                    Error.Builder err = Error.newBuilder().setCode(e.code().name()).setMessage(e.getMessage());
                    if (e.field() != null) err.setField(e.field());
                    b.addOutcomes(SubmitOutcome.newBuilder().setError(err));
                }
            }
            onSubmit.run();
            return b.build();
        });
    }

    @Override
    public void cancelJob(JobRef req, StreamObserver<Empty> out) {
        reply(out, () -> {
            ctl.cancel(userActor(), req.getJobId());
            // freed resources may let pending jobs start now
            onSubmit.run();
            return Empty.getDefaultInstance();
        });
    }

    @Override
    public void cancelJobs(CancelFilter req, StreamObserver<Count> out) {
        reply(out, () -> {
            String actor = userActor();
            JobState state = req.getState().isEmpty() ? null : JobSearch.parseState(req.getState());
            int n = ctl.cancelWhere(actor, new Controller.JobFilter(Messages.given(req.getUser()),
                    Messages.given(req.getAccount()), Messages.given(req.getPartition()), Messages.given(req.getName()),
                    state));
            onSubmit.run();
            return Count.newBuilder().setCount(n).build();
        });
    }

    @Override
    public void getJob(JobRef req, StreamObserver<Job> out) {
        reply(out, () -> {
            userActor();
            JobView v = ctl.job(req.getJobId());
            if (v == null) throw CtldException.notFound("job", "no job " + req.getJobId());
            return Messages.toJob(v);
        });
    }

    @Override
    public void queryJobs(JobQuery q, StreamObserver<JobList> out) {
        reply(out, () -> {
            userActor();
            return JobSearch.run(ctl, q);
        });
    }

    @Override
    public void modifyJob(ModifyJobRequest req, StreamObserver<Empty> out) {
        reply(out, () -> {
            String actor = userActor();
            long id = req.getJobId();
            switch (req.getChangeCase()) {
                case TIME_LIMIT -> ctl.setTimeLimit(actor, id, req.getTimeLimit());
                case PRIORITY -> ctl.setPriority(actor, id, req.getPriority());
                case NICE -> ctl.setNice(actor, id, req.getNice());
                case HOLD -> {
                    if (req.getHold()) ctl.hold(actor, id);
                    else ctl.release(actor, id);
                }
                case CHANGE_NOT_SET -> throw Errors.invalid("change", "no change given");
            }
            // a release or a shorter limit may let jobs start now
            onSubmit.run();
            return Empty.getDefaultInstance();
        });
    }

    // ---- cluster -------------------------------------------------------------------------------------------------

    @Override
    public void queryNodes(NodeQuery req, StreamObserver<NodeList> out) {
        reply(out, () -> {
            userActor();
            Set<String> wanted = Set.copyOf(req.getNamesList());
            Set<String> missing = new java.util.TreeSet<>(wanted);
            NodeList.Builder b = NodeList.newBuilder();
            for (Controller.NodeView n : ctl.nodes()) {
                if (wanted.isEmpty() || wanted.contains(n.name())) {
                    b.addNodes(Messages.toNode(n));
                    missing.remove(n.name());
                }
            }
            if (!missing.isEmpty()) throw CtldException.notFound("node", "no node(s) " + missing);
            return b.build();
        });
    }

    @Override
    public void queryPartitions(Empty req, StreamObserver<PartitionList> out) {
        reply(out, () -> {
            userActor();
            PartitionList.Builder b = PartitionList.newBuilder();
            for (Controller.PartitionView p : ctl.partitions()) b.addPartitions(Messages.toPartition(p));
            return b.build();
        });
    }

    @Override
    public void controlNode(NodeControl req, StreamObserver<Empty> out) {
        reply(out, () -> {
            String actor = userActor();
            String reason = Messages.given(req.getReason());
            switch (req.getAction()) {
                case DRAIN -> ctl.drainNode(actor, req.getNode(), reason == null ? "drained by " + actor : reason);
                case DOWN -> ctl.downNode(actor, req.getNode(), reason == null ? "set down by " + actor : reason);
                case RESUME -> ctl.resumeNode(actor, req.getNode());
                default -> throw Errors.invalid("action", "one of DRAIN, RESUME, DOWN");
            }
            onSubmit.run();
            return Empty.getDefaultInstance();
        });
    }

    @Override
    public void controlPartition(PartitionControl req, StreamObserver<Empty> out) {
        reply(out, () -> {
            ctl.setPartitionUp(userActor(), req.getPartition(), req.getUp());
            onSubmit.run();
            return Empty.getDefaultInstance();
        });
    }

    // ---- accounts ------------------------------------------------------------------------------------------------

    @Override
    public void accountOp(AccountOpRequest req, StreamObserver<Empty> out) {
        reply(out, () -> {
            ctl.accountOp(userActor(), AccountOps.toOp(req));
            onSubmit.run();
            return Empty.getDefaultInstance();
        });
    }

    @Override
    public void queryAccounts(Empty req, StreamObserver<AccountList> out) {
        reply(out, () -> {
            userActor();
            List<String> partitions = ctl.partitions().stream().map(Controller.PartitionView::name).toList();
            return ctl.withAccounts(store -> {
                AccountList.Builder b = AccountList.newBuilder();
                for (Account a : store.accounts()) b.addAccounts(Messages.toAccount(a, partitions));
                return b.build();
            });
        });
    }

    @Override
    public void queryUsers(Empty req, StreamObserver<UserList> out) {
        reply(out, () -> {
            userActor();
            return ctl.withAccounts(store -> {
                UserList.Builder b = UserList.newBuilder();
                for (UserRec u : store.users()) {
                    UserInfo.Builder ub = UserInfo.newBuilder().setName(u.name).setAdminLevel(u.level.name());
                    for (Membership m : u.memberships.values()) ub.addAccounts(m.account.name);
                    b.addUsers(ub);
                }
                return b.build();
            });
        });
    }

    @Override
    public void queryQos(Empty req, StreamObserver<QosList> out) {
        reply(out, () -> {
            userActor();
            return ctl.withAccounts(store -> {
                QosList.Builder b = QosList.newBuilder();
                for (Qos q : store.allQos()) b.addQos(Messages.toQos(q));
                return b.build();
            });
        });
    }

    @Override
    public void transactionLog(Empty req, StreamObserver<TxnLog> out) {
        reply(out, () -> {
            userActor();
            return TxnLog.newBuilder().addAllEntries(ctl.transactionLog()).build();
        });
    }

    // ---- node daemons --------------------------------------------------------------------------------------------

    @Override
    public void reportJobsFinished(JobsFinished req, StreamObserver<Count> out) {
        reply(out, () -> {
            Caller c = Caller.current();
            if (!c.isNode()) throw Errors.denied("only node credentials may report job ends");
            // a node may only end jobs that run on it: one stolen node credential cannot end the cluster's jobs
            String node = c.credential().principal();
            List<Controller.NodeReport> reports = new ArrayList<>(req.getJobsCount());
            for (JobsFinished.Finished f : req.getJobsList()) reports.add(report(f));
            boolean[] applied = reports.isEmpty() ? new boolean[0] : ctl.jobsEndedOn(node, reports);
            int n = 0;
            for (boolean a : applied) if (a) n++;
            if (n > 0) onSubmit.run();
            return Count.newBuilder().setCount(n).build();
        });
    }

    private static Controller.NodeReport report(JobsFinished.Finished f) {
        JobState st;
        if (f.getState().isEmpty()) {
            st = f.getOom() ? JobState.OUT_OF_MEMORY : f.getExitCode() == 0 ? JobState.COMPLETED : JobState.FAILED;
        } else {
            try {
                st = JobState.valueOf(f.getState());
            } catch (IllegalArgumentException e) {
                throw Errors.invalid("state", "'" + f.getState() + "' is not a job state");
            }
        }
        return new Controller.NodeReport(f.getJobId(), f.getRunStart(), st, f.getExitCode(), f.getEndTime(),
                f.getReason().isEmpty() ? null : f.getReason());
    }

    // ---- plumbing ------------------------------------------------------------------------------------------------

    /** The actor of a user or proxy call; node credentials may not use user operations. */
    private static String userActor() {
        Caller c = Caller.current();
        if (c.isNode()) throw Errors.denied("node credentials may only report job ends");
        return c.actor();
    }

    private static <T> void reply(StreamObserver<T> out, Supplier<T> call) {
        Errors.reply(out, call, LOG, "Crane");
    }
}
