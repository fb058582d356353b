package org.scow.crane.server;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.scow.crane.server.TestServer.expect;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.scow.crane.protocol.Credential;
import org.scow.crane.protocol.v1.AccountInfo;
import org.scow.crane.protocol.v1.AccountOpRequest;
import org.scow.crane.protocol.v1.AddAccount;
import org.scow.crane.protocol.v1.AddUser;
import org.scow.crane.protocol.v1.BlockAccount;
import org.scow.crane.protocol.v1.BlockUser;
import org.scow.crane.protocol.v1.CancelFilter;
import org.scow.crane.protocol.v1.CraneGrpc;
import org.scow.crane.protocol.v1.DeleteQos;
import org.scow.crane.protocol.v1.Empty;
import org.scow.crane.protocol.v1.Identity;
import org.scow.crane.protocol.v1.Job;
import org.scow.crane.protocol.v1.JobQuery;
import org.scow.crane.protocol.v1.JobRef;
import org.scow.crane.protocol.v1.JobRequest;
import org.scow.crane.protocol.v1.JobsFinished;
import org.scow.crane.protocol.v1.ModifyAccount;
import org.scow.crane.protocol.v1.ModifyJobRequest;
import org.scow.crane.protocol.v1.NodeControl;
import org.scow.crane.protocol.v1.NodeQuery;
import org.scow.crane.protocol.v1.PartitionInfo;
import org.scow.crane.protocol.v1.QosSpec;
import org.scow.crane.protocol.v1.SubmitBatchReply;
import org.scow.crane.protocol.v1.SubmitBatchRequest;

/** Drives the controller only through the gRPC protocol, with real credentials on a real socket. */
public class ProtocolTest {
    private TestServer ts;

    @Before
    public void start() throws Exception {
        ts = new TestServer(null, null);
        CraneGrpc.CraneBlockingStub root = ts.root();
        root.accountOp(AccountOpRequest.newBuilder().setAddAccount(AddAccount.newBuilder().setName("phys")).build());
        root.accountOp(addUser("alice", "phys"));
        root.accountOp(addUser("bob", "phys"));
    }

    @After
    public void stop() {
        ts.close();
    }

    private static AccountOpRequest addUser(String user, String account) {
        return AccountOpRequest.newBuilder().setAddUser(AddUser.newBuilder().setUser(user).setAccount(account)).build();
    }

    private static JobRequest.Builder job(String name) {
        return JobRequest.newBuilder().setName(name).setAccount("phys").setTimeLimit("10")
                .setWorkDir("/tmp").setScript("#!/bin/sh\ntrue\n");
    }

    private long submit(CraneGrpc.CraneBlockingStub as, JobRequest.Builder j) {
        return as.submitJob(j.build()).getJobId();
    }

    private Job get(long id) {
        return ts.root().getJob(JobRef.newBuilder().setJobId(id).build());
    }

    // ---- identity ------------------------------------------------------------------------------------------------

    @Test
    public void identityIsProvenByTheCredentialOnly() {
        expect("UNAUTHENTICATED", "credential", () -> ts.stub(null, null).whoAmI(Empty.getDefaultInstance()));
        expect("UNAUTHENTICATED", "credential", () -> ts.stub("crane1:user:root:99999999999:forged", null)
                .whoAmI(Empty.getDefaultInstance()));
        byte[] otherKey = new byte[32];
        String foreign = new Credential(Credential.Scope.USER, "root", 99_999_999_999L).sign(otherKey);
        expect("UNAUTHENTICATED", "credential", () -> ts.stub(foreign, null).whoAmI(Empty.getDefaultInstance()));
        String expired = new Credential(Credential.Scope.USER, "alice", 1000).sign(TestServer.KEY);
        expect("UNAUTHENTICATED", "credential", () -> ts.stub(expired, null).whoAmI(Empty.getDefaultInstance()));

        Identity alice = ts.as("alice").whoAmI(Empty.getDefaultInstance());
        assertEquals("alice", alice.getActor());
        assertEquals("NONE", alice.getAdminLevel());

        // a user credential cannot borrow another identity ...
        String aliceCred = ts.server.issue(Credential.Scope.USER, "alice", Duration.ofHours(1));
        expect("PERMISSION_DENIED", null, () -> ts.stub(aliceCred, "root").whoAmI(Empty.getDefaultInstance()));
        // ... nor name another user in the request
        expect("PERMISSION_DENIED", null, () -> ts.as("alice").submitJob(job("x").setUser("bob").build()));
        // a proxy credential may act for a user, and then has exactly that user's rights
        String proxy = ts.server.issue(Credential.Scope.PROXY, "root", Duration.ofHours(1));
        Identity viaProxy = ts.stub(proxy, "bob").whoAmI(Empty.getDefaultInstance());
        assertEquals("root", viaProxy.getPrincipal());
        assertEquals("bob", viaProxy.getActor());
        long id = ts.stub(proxy, "bob").submitJob(job("by-proxy").build()).getJobId();
        assertEquals("bob", get(id).getUser());
        expect("PERMISSION_DENIED", null, () -> ts.stub(proxy, "alice").cancelJob(JobRef.newBuilder().setJobId(id).build()));
        expect("INVALID_ARGUMENT", "onBehalfOf", () -> ts.stub(proxy, "bad name").whoAmI(Empty.getDefaultInstance()));
        // node credentials only report job ends
        String node = ts.server.issue(Credential.Scope.NODE, "cn1", Duration.ofHours(1));
        expect("PERMISSION_DENIED", null, () -> ts.stub(node, null).submitJob(job("n").build()));
        expect("PERMISSION_DENIED", null, () -> ts.as("alice").reportJobsFinished(JobsFinished.getDefaultInstance()));
    }

    // ---- scheduling through the protocol -------------------------------------------------------------------------

    @Test
    public void higherQosPriorityStartsFirst() throws Exception {
        CraneGrpc.CraneBlockingStub root = ts.root();
        root.accountOp(AccountOpRequest.newBuilder().setAddQos(QosSpec.newBuilder().setName("high").setPriority(1000)).build());
        for (String acc : List.of("root", "phys")) {
            root.accountOp(AccountOpRequest.newBuilder().setModifyAccount(ModifyAccount.newBuilder().setName(acc)
                    .setSetQos(true).addQos("normal").addQos("high")).build());
        }
        // one 4-CPU node in service: a blocker fills it, then a low and a high priority job queue behind it
        root.controlNode(NodeControl.newBuilder().setNode("cn2").setAction(NodeControl.Action.DRAIN).build());
        long blocker = submit(ts.as("alice"), job("blocker").setNtasks(4));
        ts.await(blocker, "RUNNING");
        long low = submit(ts.as("alice"), job("low").setNtasks(4));
        long high = submit(ts.as("bob"), job("high").setNtasks(4).setQos("high"));
        assertTrue("priority", get(high).getPriority() > get(low).getPriority());

        ts.as("alice").cancelJob(JobRef.newBuilder().setJobId(blocker).build());
        ts.await(high, "RUNNING");
        assertEquals("the later, higher priority job went first", "PENDING", get(low).getState());
        ts.as("bob").cancelJob(JobRef.newBuilder().setJobId(high).build());
        ts.await(low, "RUNNING");
    }

    @Test
    public void holdAndRelease() throws Exception {
        long held = submit(ts.as("alice"), job("held").setHold(true));
        ts.server.poke();
        // the pass that sets the reason runs on the scheduler thread: await it (a fixed sleep failed under load)
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (get(held).getReason().equals("None") && System.nanoTime() < deadline) Thread.onSpinWait();
        Job j = get(held);
        assertEquals("PENDING", j.getState());
        assertTrue(j.getHeld());
        assertEquals("JobHeldUser", j.getReason());

        expect("PERMISSION_DENIED", null, () -> ts.as("bob").modifyJob(
                ModifyJobRequest.newBuilder().setJobId(held).setHold(false).build()));
        ts.as("alice").modifyJob(ModifyJobRequest.newBuilder().setJobId(held).setHold(false).build());
        ts.await(held, "RUNNING");
        expect("INVALID_STATE", null, () -> ts.as("alice").modifyJob(
                ModifyJobRequest.newBuilder().setJobId(held).setHold(true).build()));

        // an administrator's hold cannot be lifted by the owner
        ts.root().controlNode(NodeControl.newBuilder().setNode("cn1").setAction(NodeControl.Action.DRAIN).build());
        ts.root().controlNode(NodeControl.newBuilder().setNode("cn2").setAction(NodeControl.Action.DRAIN).build());
        long second = submit(ts.as("alice"), job("second"));
        ts.root().modifyJob(ModifyJobRequest.newBuilder().setJobId(second).setHold(true).build());
        expect("PERMISSION_DENIED", null, () -> ts.as("alice").modifyJob(
                ModifyJobRequest.newBuilder().setJobId(second).setHold(false).build()));
        ts.root().modifyJob(ModifyJobRequest.newBuilder().setJobId(second).setHold(false).build());
        assertFalse(get(second).getHeld());
    }

    @Test
    public void timeLimitAndPriorityChanges() {
        ts.root().controlNode(NodeControl.newBuilder().setNode("cn1").setAction(NodeControl.Action.DRAIN).build());
        ts.root().controlNode(NodeControl.newBuilder().setNode("cn2").setAction(NodeControl.Action.DRAIN)
                .setReason("maintenance").build());
        assertEquals("DRAIN", ts.root().queryNodes(NodeQuery.newBuilder().addNames("cn2").build()).getNodes(0).getState());
        assertEquals("maintenance", ts.root().queryNodes(NodeQuery.newBuilder().addNames("cn2").build()).getNodes(0).getReason());
        long id = submit(ts.as("alice"), job("limits"));
        ts.as("alice").modifyJob(ModifyJobRequest.newBuilder().setJobId(id).setTimeLimit("5").build());
        assertEquals(300, get(id).getTimeLimitSec());
        expect("PERMISSION_DENIED", null, () -> ts.as("alice").modifyJob(
                ModifyJobRequest.newBuilder().setJobId(id).setTimeLimit("20").build()));
        ts.root().modifyJob(ModifyJobRequest.newBuilder().setJobId(id).setTimeLimit("1:00:00").build());
        assertEquals(3600, get(id).getTimeLimitSec());
        expect("INVALID_ARGUMENT", "timeLimit", () -> ts.root().modifyJob(
                ModifyJobRequest.newBuilder().setJobId(id).setTimeLimit("1:xx").build()));
        expect("PERMISSION_DENIED", null, () -> ts.as("alice").modifyJob(
                ModifyJobRequest.newBuilder().setJobId(id).setPriority(5).build()));
        ts.root().modifyJob(ModifyJobRequest.newBuilder().setJobId(id).setPriority(777).build());
        assertEquals(777, get(id).getPriority());
        expect("INVALID_ARGUMENT", "change", () -> ts.root().modifyJob(ModifyJobRequest.newBuilder().setJobId(id).build()));
        expect("NOT_FOUND", "job", () -> ts.root().modifyJob(
                ModifyJobRequest.newBuilder().setJobId(999).setNice(1).build()));
        ts.root().controlNode(NodeControl.newBuilder().setNode("cn1").setAction(NodeControl.Action.RESUME).build());
        expect("NOT_FOUND", "node", () -> ts.root().controlNode(
                NodeControl.newBuilder().setNode("zz").setAction(NodeControl.Action.RESUME).build()));
        expect("PERMISSION_DENIED", null, () -> ts.as("alice").controlNode(
                NodeControl.newBuilder().setNode("cn1").setAction(NodeControl.Action.DRAIN).build()));
        expect("INVALID_ARGUMENT", "action", () -> ts.root().controlNode(NodeControl.newBuilder().setNode("cn1").build()));
    }

    // ---- accounts ------------------------------------------------------------------------------------------------

    @Test
    public void blockAndUnblockThroughTheProtocol() throws Exception {
        CraneGrpc.CraneBlockingStub root = ts.root();
        root.accountOp(AccountOpRequest.newBuilder().setBlockAccount(BlockAccount.newBuilder().setAccount("phys")
                .setBlock(true)).build());
        expect("BLOCKED", "account", () -> ts.as("alice").submitJob(job("blocked").build()));
        expect("PERMISSION_DENIED", null, () -> ts.as("alice").accountOp(AccountOpRequest.newBuilder()
                .setBlockAccount(BlockAccount.newBuilder().setAccount("phys").setBlock(false)).build()));
        AccountInfo phys = account("phys");
        assertTrue(phys.getBlocked());
        assertEquals(List.of("cpu", "gpu"), phys.getBlockedInEffectiveList());
        root.accountOp(AccountOpRequest.newBuilder().setBlockAccount(BlockAccount.newBuilder().setAccount("phys")).build());
        assertFalse(account("phys").getBlockedEffective());

        // per partition
        root.accountOp(AccountOpRequest.newBuilder().setBlockAccount(BlockAccount.newBuilder().setAccount("phys")
                .addPartitions("gpu").setBlock(true)).build());
        expect("BLOCKED", "account", () -> ts.as("alice").submitJob(job("gpu").setPartition("gpu").build()));
        submit(ts.as("alice"), job("cpu-ok"));
        assertEquals(List.of("gpu"), account("phys").getBlockedInEffectiveList());
        expect("NOT_FOUND", "partition", () -> root.accountOp(AccountOpRequest.newBuilder().setBlockAccount(
                BlockAccount.newBuilder().setAccount("phys").addPartitions("nope").setBlock(true)).build()));

        // one user in the account
        root.accountOp(AccountOpRequest.newBuilder().setBlockUser(BlockUser.newBuilder().setUser("bob")
                .setAccount("phys").setBlock(true)).build());
        expect("BLOCKED", "user", () -> ts.as("bob").submitJob(job("bob").build()));
        submit(ts.as("alice"), job("alice-ok"));
        assertTrue(account("phys").getMembersList().stream().filter(m -> m.getUser().equals("bob")).findFirst()
                .orElseThrow().getBlocked());
        root.accountOp(AccountOpRequest.newBuilder().setBlockUser(BlockUser.newBuilder().setUser("bob")
                .setAccount("phys").setBlock(false)).build());
        submit(ts.as("bob"), job("bob-ok"));
        expect("NOT_FOUND", "membership", () -> root.accountOp(AccountOpRequest.newBuilder().setBlockUser(
                BlockUser.newBuilder().setUser("carol").setAccount("phys").setBlock(true)).build()));

        List<String> log = root.transactionLog(Empty.getDefaultInstance()).getEntriesList();
        assertTrue(log.toString(), log.stream().anyMatch(e -> e.contains("block-account [phys, gpu]")));
        assertTrue(log.toString(), log.stream().anyMatch(e -> e.contains("block-user [bob, phys]")));
    }

    @Test
    public void accountUserAndQosCrud() {
        CraneGrpc.CraneBlockingStub root = ts.root();
        expect("ALREADY_EXISTS", "account", () -> root.accountOp(AccountOpRequest.newBuilder()
                .setAddAccount(AddAccount.newBuilder().setName("phys")).build()));
        expect("INVALID_ARGUMENT", "account", () -> root.accountOp(AccountOpRequest.newBuilder()
                .setAddAccount(AddAccount.newBuilder().setName("bad name")).build()));
        expect("INVALID_ARGUMENT", "partitions", () -> root.accountOp(AccountOpRequest.newBuilder()
                .setAddAccount(AddAccount.newBuilder().setName("x").addPartitions("cpu,gpu")).build()));
        expect("INVALID_ARGUMENT", "op", () -> root.accountOp(AccountOpRequest.getDefaultInstance()));
        root.accountOp(AccountOpRequest.newBuilder().setAddAccount(AddAccount.newBuilder().setName("theory")
                .setParent("phys").addPartitions("cpu").setDescription("theory group")).build());
        AccountInfo theory = account("theory");
        assertEquals("phys", theory.getParent());
        assertEquals(List.of("cpu"), theory.getPartitionsList());
        root.accountOp(addUser("carol", "theory"));
        expect("ALREADY_EXISTS", "user", () -> root.accountOp(addUser("carol", "theory")));
        assertEquals(List.of("theory"), root.queryUsers(Empty.getDefaultInstance()).getUsersList().stream()
                .filter(u -> u.getName().equals("carol")).findFirst().orElseThrow().getAccountsList());

        root.accountOp(AccountOpRequest.newBuilder().setAddQos(QosSpec.newBuilder().setName("short")
                .setMaxWall("30").setMaxJobsPerUser(2)).build());
        QosSpec q = root.queryQos(Empty.getDefaultInstance()).getQosList().stream()
                .filter(x -> x.getName().equals("short")).findFirst().orElseThrow();
        assertEquals("00:30:00", q.getMaxWall());
        assertEquals(2, q.getMaxJobsPerUser());
        expect("INVALID_ARGUMENT", "maxWall", () -> root.accountOp(AccountOpRequest.newBuilder()
                .setModifyQos(QosSpec.newBuilder().setName("short").setMaxWall("soon")).build()));
        expect("INVALID_ARGUMENT", "maxJobsPerUser", () -> root.accountOp(AccountOpRequest.newBuilder()
                .setModifyQos(QosSpec.newBuilder().setName("short").setMaxJobsPerUser(-1)).build()));
        // the preempt list travels both ways; a modify sends the whole spec, so leaving it out clears it
        root.accountOp(AccountOpRequest.newBuilder().setModifyQos(q.toBuilder().addPreempt("normal")).build());
        assertEquals(List.of("normal"), root.queryQos(Empty.getDefaultInstance()).getQosList().stream()
                .filter(x -> x.getName().equals("short")).findFirst().orElseThrow().getPreemptList());
        expect("INVALID_ARGUMENT", "preempt", () -> root.accountOp(AccountOpRequest.newBuilder()
                .setModifyQos(q.toBuilder().addPreempt("short")).build()));
        root.accountOp(AccountOpRequest.newBuilder().setModifyQos(q).build());
        assertEquals(0, root.queryQos(Empty.getDefaultInstance()).getQosList().stream()
                .filter(x -> x.getName().equals("short")).findFirst().orElseThrow().getPreemptCount());
        root.accountOp(AccountOpRequest.newBuilder().setDeleteQos(DeleteQos.newBuilder().setName("short")).build());
        assertFalse(root.queryQos(Empty.getDefaultInstance()).getQosList().stream().anyMatch(x -> x.getName().equals("short")));
        expect("PERMISSION_DENIED", null, () -> ts.as("carol").accountOp(AccountOpRequest.newBuilder()
                .setAddQos(QosSpec.newBuilder().setName("mine")).build()));
    }

    private AccountInfo account(String name) {
        return ts.root().queryAccounts(Empty.getDefaultInstance()).getAccountsList().stream()
                .filter(a -> a.getName().equals(name)).findFirst().orElseThrow();
    }

    // ---- jobs: batches, arrays, cancel, queries ------------------------------------------------------------------

    @Test
    public void batchArraysCancelAndQueries() throws Exception {
        SubmitBatchReply reply = ts.as("alice").submitBatch(SubmitBatchRequest.newBuilder()
                .addJobs(job("b1").setHold(true)).addJobs(job("b2").setTimeLimit("-5"))
                .addJobs(job("arr").setArray("1-5").setHold(true)).build());
        assertEquals(3, reply.getOutcomesCount());
        assertTrue(reply.getOutcomes(0).hasSubmitted());
        assertEquals("INVALID_ARGUMENT", reply.getOutcomes(1).getError().getCode());
        assertEquals("timeLimit", reply.getOutcomes(1).getError().getField());
        assertEquals(5, reply.getOutcomes(2).getSubmitted().getTasks());

        JobQuery mine = JobQuery.newBuilder().addUsers("alice").build();
        assertEquals(6, ts.root().queryJobs(mine).getTotal());
        var page = ts.root().queryJobs(mine.toBuilder().setOffset(2).setLimit(3).build());
        assertEquals(6, page.getTotal());
        assertEquals(3, page.getJobsCount());
        assertTrue(page.getJobsList().stream().allMatch(j -> j.getDisplayId().contains("_")));
        assertEquals(1, ts.root().queryJobs(JobQuery.newBuilder().setName("b1").build()).getTotal());
        expect("INVALID_ARGUMENT", "state", () -> ts.root().queryJobs(JobQuery.newBuilder().addStates("SLEEPY").build()));

        expect("INVALID_ARGUMENT", "filter", () -> ts.as("alice").cancelJobs(CancelFilter.getDefaultInstance()));
        assertEquals("bob may cancel none of alice's jobs", 0,
                ts.as("bob").cancelJobs(CancelFilter.newBuilder().setUser("alice").build()).getCount());
        assertEquals(5, ts.as("alice").cancelJobs(CancelFilter.newBuilder().setName("arr").build()).getCount());
        long b1 = reply.getOutcomes(0).getSubmitted().getJobId();
        ts.as("alice").cancelJob(JobRef.newBuilder().setJobId(b1).build());
        expect("INVALID_STATE", null, () -> ts.as("alice").cancelJob(JobRef.newBuilder().setJobId(b1).build()));
        expect("NOT_FOUND", "job", () -> ts.as("alice").cancelJob(JobRef.newBuilder().setJobId(12345).build()));

        assertEquals(0, ts.root().queryJobs(mine).getTotal());
        JobQuery withHistory = mine.toBuilder().setIncludeFinished(true).addStates("CANCELLED").build();
        assertEquals(6, ts.root().queryJobs(withHistory).getTotal());
        long now = System.currentTimeMillis() / 1000;
        assertEquals(6, ts.root().queryJobs(mine.toBuilder().setEndFrom(now - 60).setEndTo(now + 60).build()).getTotal());
        assertEquals(0, ts.root().queryJobs(mine.toBuilder().setEndFrom(now + 60).build()).getTotal());
    }

    @Test
    public void partitionsAndNodes() {
        List<PartitionInfo> parts = ts.root().queryPartitions(Empty.getDefaultInstance()).getPartitionsList();
        assertEquals(List.of("cpu", "gpu"), parts.stream().map(PartitionInfo::getName).toList());
        assertEquals(8, parts.get(0).getCpus());
        assertEquals(2, parts.get(1).getGpus());
        assertTrue(parts.get(0).getIsDefault());
        assertEquals(Set.of("cn1", "cn2", "g1"), ts.root().queryNodes(NodeQuery.getDefaultInstance()).getNodesList()
                .stream().map(n -> n.getName()).collect(Collectors.toSet()));
        assertEquals(List.of("cn2"), ts.root().queryNodes(NodeQuery.newBuilder().addNames("cn2").build()).getNodesList()
                .stream().map(n -> n.getName()).toList());
        expect("NOT_FOUND", "node", () -> ts.root().queryNodes(NodeQuery.newBuilder().addNames("nope").build()));
    }

    @Test
    public void nodeCredentialEndsOnlyJobsOnItsNode() throws Exception {
        long id = submit(ts.as("alice"), job("on-node").setExclusive(true));
        Job running = ts.await(id, "RUNNING");
        String mine = running.getNodeList();
        String other = mine.equals("cn1") ? "cn2" : "cn1";
        JobsFinished report = JobsFinished.newBuilder().addJobs(JobsFinished.Finished.newBuilder().setJobId(id)
                .setExitCode(3)).build();
        assertEquals(0, ts.stub(ts.server.issue(Credential.Scope.NODE, other, Duration.ofHours(1)), null)
                .reportJobsFinished(report).getCount());
        assertEquals("RUNNING", get(id).getState());
        assertEquals(1, ts.stub(ts.server.issue(Credential.Scope.NODE, mine, Duration.ofHours(1)), null)
                .reportJobsFinished(report).getCount());
        Job done = get(id);
        assertEquals("FAILED", done.getState());
        assertEquals(3, done.getExitCode());
    }

    @Test
    public void stateSurvivesARestartBehindTheProtocol() throws Exception {
        Path dir = Files.createTempDirectory("crane-proto");
        long id;
        try (TestServer first = new TestServer(dir, null)) {
            first.root().accountOp(AccountOpRequest.newBuilder().setAddAccount(AddAccount.newBuilder().setName("phys")).build());
            first.root().accountOp(addUser("alice", "phys"));
            id = first.as("alice").submitJob(job("durable").setHold(true).build()).getJobId();
        }
        try (TestServer second = new TestServer(dir, null)) {
            Job j = second.root().getJob(JobRef.newBuilder().setJobId(id).build());
            assertEquals("durable", j.getName());
            assertTrue(j.getHeld());
        }
    }
}
