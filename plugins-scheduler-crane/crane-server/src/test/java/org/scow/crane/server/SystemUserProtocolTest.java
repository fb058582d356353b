package org.scow.crane.server;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.scow.crane.protocol.Credential;
import org.scow.crane.protocol.v1.AccountOpRequest;
import org.scow.crane.protocol.v1.AddAccount;
import org.scow.crane.protocol.v1.AddUser;
import org.scow.crane.protocol.v1.CraneGrpc;
import org.scow.crane.protocol.v1.JobRef;
import org.scow.crane.protocol.v1.JobRequest;
import org.scow.crane.protocol.v1.SubmitBatchRequest;

/**
 * "System accounts never run jobs", through a running cranectld: the platform's proxy credential (which may act for
 * any user) cannot submit as root or as a uid below MinJobUid, neither on its own behalf nor on theirs; an ordinary
 * user (alice, uid 1001 on this machine... or any user the password database does not know) still submits.
 */
public class SystemUserProtocolTest {
    private TestServer ts;
    private String proxy;

    @Before
    public void start() throws Exception {
        ts = new TestServer(null, null);
        CraneGrpc.CraneBlockingStub root = ts.root();
        root.accountOp(AccountOpRequest.newBuilder().setAddAccount(AddAccount.newBuilder().setName("phys")).build());
        for (String u : new String[] {"root", "daemon", "alice"}) {
            root.accountOp(AccountOpRequest.newBuilder().setAddUser(AddUser.newBuilder().setUser(u).setAccount("phys")).build());
        }
        proxy = ts.server.issue(Credential.Scope.PROXY, "root", Duration.ofHours(1));
    }

    @After
    public void stop() {
        ts.close();
    }

    private static JobRequest job(String user) {
        return JobRequest.newBuilder().setUser(user).setAccount("phys").setWorkDir("/tmp").setScript("#!/bin/sh\ntrue\n").build();
    }

    @Test
    public void proxyCredentialCannotSubmitAsSystemAccounts() {
        // on behalf of root, on behalf of daemon, and the proxy's own principal (root) naming root as the job user
        StatusRuntimeException e = TestServer.expect("PERMISSION_DENIED", "user",
                () -> ts.stub(proxy, "root").submitJob(job("")));
        assertEquals(Status.Code.PERMISSION_DENIED, e.getStatus().getCode());
        assertTrue(e.getStatus().getDescription(), e.getStatus().getDescription()
                .startsWith("user 'root' is a system account (uid 0): jobs may not run as system accounts"));
        e = TestServer.expect("PERMISSION_DENIED", "user", () -> ts.stub(proxy, "daemon").submitJob(job("")));
        assertTrue(e.getStatus().getDescription(), e.getStatus().getDescription()
                .startsWith("user 'daemon' is a system account (uid 1, below MinJobUid=1000)"));
        TestServer.expect("PERMISSION_DENIED", "user", () -> ts.stub(proxy, null).submitJob(job("root")));
        TestServer.expect("PERMISSION_DENIED", "user", () -> ts.stub(proxy, null).submitJob(job("daemon")));
        TestServer.expect("PERMISSION_DENIED", "user", () -> ts.root().submitJob(job("")));
        // a batch refuses them one by one
        var outcomes = ts.stub(proxy, null).submitBatch(SubmitBatchRequest.newBuilder().addJobs(job("root"))
                .addJobs(job("daemon")).build()).getOutcomesList();
        assertEquals("PERMISSION_DENIED", outcomes.get(0).getError().getCode());
        assertEquals("user", outcomes.get(1).getError().getField());
        // the same proxy for an ordinary user works, and the refusals consumed no job id
        long id = ts.stub(proxy, "alice").submitJob(job("")).getJobId();
        assertEquals(1, id);
        assertEquals("alice", ts.root().getJob(JobRef.newBuilder().setJobId(id).build()).getUser());
        assertEquals(2, ts.stub(proxy, null).submitJob(job("alice")).getJobId());
    }
}
