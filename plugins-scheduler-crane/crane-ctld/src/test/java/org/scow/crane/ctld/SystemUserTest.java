package org.scow.crane.ctld;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import org.junit.Test;
import org.scow.crane.protocol.JobUserPolicy;
import org.scow.crane.ctld.model.JobRequest;

/**
 * System accounts never run jobs: submissions for root (uid 0) and for users below MinJobUid are refused by the
 * controller, whoever asks, with the user named; ordinary users still submit. Uses this machine's real password
 * database (root = uid 0 and daemon = uid 1 exist on every Debian system).
 */
public class SystemUserTest {

    private static TestCluster cluster(String extraConfig) throws Exception {
        return new TestCluster(null, cfg -> {
            if (extraConfig != null) {
                CtldConfig extra = CtldConfig.parse(extraConfig + "\nNode name=x cpus=1 mem=1G\nPartition name=x nodes=x\n");
                cfg.minJobUid = extra.minJobUid;
                cfg.deniedJobUsers = extra.deniedJobUsers;
                cfg.allowedSystemUsers = extra.allowedSystemUsers;
                cfg.allowRootJobs = extra.allowRootJobs;
            }
        });
    }

    private static void addMembers(TestCluster t) {
        t.c.addUser("root", "root", "phys");
        t.c.addUser("root", "daemon", "phys");
    }

    private static CtldException refused(TestCluster t, String actor, JobRequest r) {
        try {
            t.submit(actor, r);
        } catch (CtldException e) {
            return e;
        }
        fail("submission as '" + r.user + "' by '" + actor + "' was accepted");
        return null;
    }

    @Test
    public void rootAndLowUidUsersAreRefusedOrdinaryUsersSubmit() throws Exception {
        TestCluster t = cluster(null);
        addMembers(t);
        // root submitting for itself, and an operator (root) submitting on behalf of daemon: both refused
        CtldException e = refused(t, "root", new JobRequest("root", "phys"));
        assertEquals(CtldException.Code.PERMISSION_DENIED, e.code());
        assertEquals("user", e.field());
        assertTrue(e.getMessage(), e.getMessage().startsWith("user 'root' is a system account (uid 0): jobs may not run as system accounts"));
        e = refused(t, "root", new JobRequest(null, "phys"));
        assertTrue(e.getMessage(), e.getMessage().contains("'root'"));
        e = refused(t, "root", new JobRequest("daemon", "phys"));
        assertEquals(CtldException.Code.PERMISSION_DENIED, e.code());
        assertTrue(e.getMessage(), e.getMessage().startsWith("user 'daemon' is a system account (uid 1, below MinJobUid=1000)"));
        // a batch refuses only the system user's entries
        List<Object> out = t.c.submitBatch("root", List.of(new JobRequest("root", "phys"), TestCluster.alice()));
        assertTrue(out.get(0) instanceof CtldException);
        // refusals leave no trace: the first accepted job got id 1
        assertEquals(1L, ((Controller.Submitted) out.get(1)).jobId());
        assertEquals(2L, t.submit("root", TestCluster.alice()));
        assertEquals(3L, t.submit(TestCluster.alice()));
    }

    @Test
    public void operatorSettings() throws Exception {
        // MinJobUid=0 alone never lets root run
        TestCluster t = cluster("MinJobUid=0");
        addMembers(t);
        assertEquals(1L, t.submit("root", new JobRequest("daemon", "phys")));
        assertTrue(refused(t, "root", new JobRequest("root", "phys")).getMessage().contains("system account"));
        // AllowedSystemUsers exempts a named low-uid user, not root
        t = cluster("AllowedSystemUsers=daemon,root");
        addMembers(t);
        assertEquals(1L, t.submit("root", new JobRequest("daemon", "phys")));
        refused(t, "root", new JobRequest("root", "phys"));
        // an emptied deny list still leaves the uid-0 rule
        t = cluster("DeniedJobUsers=");
        addMembers(t);
        assertTrue(refused(t, "root", new JobRequest("root", "phys")).getMessage().contains("(uid 0)"));
        // the deny list works by name, for any uid
        t = cluster("DeniedJobUsers=root,alice");
        assertTrue(refused(t, "alice", TestCluster.alice()).getMessage().contains("DeniedJobUsers"));
        // the explicit opt-in
        t = cluster("AllowRootJobs=true");
        addMembers(t);
        assertEquals(1L, t.submit("root", new JobRequest("root", "phys")));
        refused(t, "root", new JobRequest("daemon", "phys"));
    }

    @Test
    public void configurationKeys() {
        CtldConfig d = CtldConfig.parse("Node name=x cpus=1 mem=1G\nPartition name=x nodes=x\n");
        assertEquals(1000, d.minJobUid);
        assertEquals(Set.of("root", "nobody"), d.deniedJobUsers);
        assertEquals(Set.of(), d.allowedSystemUsers);
        assertEquals(false, d.allowRootJobs);
        try {
            CtldConfig.parse("MinJobUid=-1\n");
            fail();
        } catch (CtldException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("line 1") && e.getMessage().contains("MinJobUid"));
        }
    }

    @Test
    public void policyRules() {
        JobUserPolicy p = new JobUserPolicy(1000, Set.of("root"), Set.of("svc"), false, n -> switch (n) {
            case "root", "toor" -> OptionalInt.of(0);
            case "svc", "daemon" -> OptionalInt.of(500);
            case "alice" -> OptionalInt.of(1001);
            default -> OptionalInt.empty();
        });
        assertTrue(p.refusal("toor").contains("(uid 0)")); // uid 0 under another name
        assertTrue(p.refusal("daemon").contains("uid 500"));
        assertNull(p.refusal("svc"));
        assertNull(p.refusal("alice"));
        assertNull(p.refusal("ldapuser-unknown-here")); // unknown users: the node decides, as before
        assertTrue(p.refusal("root").contains("'root'"));
        assertEquals(OptionalInt.of(0), new JobUserPolicy.PasswdUids(1_000_000_000L).uid("root"));
        assertEquals(OptionalInt.empty(), new JobUserPolicy.PasswdUids(1_000_000_000L).uid("--help"));
    }
}
