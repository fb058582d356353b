package org.scow.federation.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.Before;
import org.junit.Test;
import org.scow.api.scheduler.ClusterConfig;
import org.scow.api.scheduler.ErrorCode;
import org.scow.api.scheduler.JobQuery;
import org.scow.api.scheduler.JobSpec;
import org.scow.api.scheduler.SchedulerDriver;
import org.scow.api.scheduler.SchedulerException;
import org.scow.federation.Grant;
import org.scow.itest.driver.TestDriverFactory;

/** What a peer may not do: everything outside its grants. */
public class GrantedDriverTest {
    private SchedulerDriver local;
    private GrantedDriver peer;

    @Before
    public void setUp() throws Exception {
        local = new TestDriverFactory().create(new ClusterConfig("b1", "B1", "test", Map.of("partitions", "debug")));
        local.createAccount("b-own", "carol");
        local.createAccount("fa-proj", "fa-alice");
        Grant exact = new Grant(1L, "a", "*", "proj", "fa-proj", Map.of("alice", "fa-alice", "root", "root"),
                BigDecimal.TEN, false, null, null);
        peer = new GrantedDriver(local, List.of(exact),
                u -> u.equals("root") ? Optional.of("system account") : Optional.empty());
    }

    private static void expect(ErrorCode code, Op op) {
        try {
            op.run();
            fail("expected " + code);
        } catch (SchedulerException e) {
            assertEquals(e.getMessage(), code, e.code());
        }
    }

    interface Op {
        void run() throws SchedulerException;
    }

    private JobSpec spec(String user, String account, String script, List<String> extra) {
        return new JobSpec(user, "j", account, "debug", null, 1, 1, 0, null, 10L, script, "/tmp", null, null, extra);
    }

    @Test
    public void localAccountsAreInvisibleAndUntouchable() throws Exception {
        assertEquals(List.of("proj"), peer.allAccounts().stream().map(a -> a.name()).toList());
        expect(ErrorCode.ACCOUNT_NOT_FOUND, () -> peer.blockAccount("b-own"));
        expect(ErrorCode.ACCOUNT_NOT_FOUND, () -> peer.deleteAccount("b-own"));
        expect(ErrorCode.PERMISSION_DENIED, () -> peer.createAccount("other", "alice"));
        expect(ErrorCode.ACCOUNT_NOT_FOUND, () -> peer.submitJob(spec("alice", "b-own", "echo", List.of())));
        assertTrue(!local.accountBlockStatus("b-own").blocked());
    }

    @Test
    public void submitsRunAsTheMappedLocalUserUnderTheLocalAccount() throws Exception {
        String id = peer.submitJob(spec("alice", "proj", "echo hi", List.of())).jobId();
        assertEquals("fa-alice", local.getJob(id).user());
        assertEquals("fa-proj", local.getJob(id).account());
        assertEquals("alice", peer.getJob(id).user());
        assertEquals("proj", peer.getJob(id).account());
    }

    @Test
    public void unmappedUsersAndSystemAccountsNeverRun() {
        expect(ErrorCode.USER_NOT_FOUND, () -> peer.submitJob(spec("mallory", "proj", "echo", List.of())));
        expect(ErrorCode.PERMISSION_DENIED, () -> peer.submitJob(spec("root", "proj", "echo", List.of())));
    }

    @Test
    public void accountsCannotBeSmuggledInOptionsOrDirectives() {
        expect(ErrorCode.INVALID_ARGUMENT, () -> peer.submitJob(spec("alice", "proj", "echo",
                List.of("--account=b-own"))));
        expect(ErrorCode.INVALID_ARGUMENT, () -> peer.submitJob(spec("alice", "proj",
                "#SBATCH -A b-own\necho", List.of())));
        expect(ErrorCode.ACCOUNT_NOT_FOUND, () -> peer.submitScript("alice",
                "#!/bin/bash\n#SBATCH --account=b-own\n#SBATCH --partition=debug\necho", "/tmp"));
        expect(ErrorCode.INVALID_ARGUMENT, () -> peer.submitScript("alice",
                "#!/bin/bash\n#SBATCH --account=proj --uid=0\necho", "/tmp"));
    }

    @Test
    public void jobsOfLocalAccountsAreInvisible() throws Exception {
        String own = local.submitJob(spec("carol", "b-own", "echo", List.of())).jobId();
        expect(ErrorCode.JOB_NOT_FOUND, () -> peer.getJob(own));
        expect(ErrorCode.JOB_NOT_FOUND, () -> peer.cancelJob("alice", own));
        assertEquals(0, peer.queryJobs(JobQuery.all()).totalCount());
        assertEquals(0, peer.queryJobs(JobQuery.of(org.scow.api.scheduler.JobFilter.ALL
                .withAccounts(Set.of("b-own")))).totalCount());
    }

    @Test
    public void aGrantBlockedHereRefusesJobsAndKeepsThePeerFromUnblocking() throws Exception {
        Grant blocked = new Grant(1L, "a", "*", "proj", "fa-proj", Map.of("alice", "fa-alice"), BigDecimal.TEN, true,
                null, null);
        GrantedDriver p = new GrantedDriver(local, List.of(blocked), u -> Optional.empty());
        expect(ErrorCode.SUBMIT_FAILED, () -> p.submitJob(spec("alice", "proj", "echo", List.of())));
        p.blockAccount("proj");
        expect(ErrorCode.PERMISSION_DENIED, () -> p.unblockAccount("proj"));
        assertTrue(local.accountBlockStatus("fa-proj").blocked());
    }

    @Test
    public void deleteUserTouchesOnlyGrantedMemberships() throws Exception {
        local.addUserToAccount("fa-alice", "b-own");
        peer.deleteUser("alice");
        assertEquals(List.of("b-own"), local.listAccounts("fa-alice"));
    }
}
