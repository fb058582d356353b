package org.scow.crane.ctld;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.scow.crane.ctld.model.JobRequest;
import org.scow.crane.protocol.JobState;

/** A small cluster for tests: partition cpu (4 x 8 CPUs, 16 GiB) and gpu (2 x 32 CPUs, 4 x a100), manual clock. */
final class TestCluster {
    static final long T0 = 1_700_000_000L;
    final Clock.Manual clock = new Clock.Manual(T0);
    final Controller c;

    TestCluster() throws IOException {
        this(null, null);
    }

    TestCluster(Path state, Consumer<CtldConfig> tweak) throws IOException {
        CtldConfig cfg = config();
        cfg.stateDir = state;
        if (tweak != null) tweak.accept(cfg);
        c = new Controller(cfg, clock);
        if (c.withAccounts(a -> a.account("phys")) == null) {
            c.addAccount("root", "phys", null, null, null);
            c.addAccount("root", "chem", null, null, null);
            c.addUser("root", "alice", "phys");
            c.addUser("root", "bob", "phys");
            c.addUser("root", "carol", "chem");
        }
    }

    static CtldConfig config() {
        return CtldConfig.parse("""
                ClusterName=test
                DefaultTimeLimit=1:00:00
                Node name=cn[1-4] cpus=8 mem=16G
                Node name=g[1-2] cpus=32 mem=128G gres=gpu:a100:4
                Partition name=cpu nodes=cn[1-4] default=yes priority=1 maxtime=7-0
                Partition name=gpu nodes=g[1-2] priority=2 maxtime=2-0
                Partition name=all nodes=cn[1-4],g[1-2] priority=1
                """);
    }

    /** Creates a QoS and allows it (besides normal) in root and phys. */
    void qos(String name, long priority, long maxJobsPerUser, long maxSubmitPerUser, long maxCpusPerUser,
             long maxJobsPerAccount) {
        c.addQos("root", name, priority, maxJobsPerUser, maxSubmitPerUser, maxCpusPerUser, maxJobsPerAccount, 0, null);
        java.util.Set<String> all = new java.util.LinkedHashSet<>(c.withAccounts(a -> a.account("root").qos));
        all.add(name);
        String csv = String.join(",", all);
        for (String acc : new String[] {"root", "phys"}) {
            c.accountOp("root", new org.scow.crane.ctld.account.AccountStore.Op(
                    org.scow.crane.ctld.account.AccountStore.MODIFY_ACCOUNT, new String[] {acc, null, null, csv}, null));
        }
    }

    /** Sets the QoS' preempt list (keeping its limits), through the account-op path. */
    void preempt(String qos, String... victims) {
        long[] limits = c.withAccounts(a -> a.requireQos(qos).limits());
        c.accountOp("root", new org.scow.crane.ctld.account.AccountStore.Op(
                org.scow.crane.ctld.account.AccountStore.MODIFY_QOS, new String[] {qos, String.join(",", victims)}, limits));
    }

    static JobRequest alice() {
        return new JobRequest("alice", "phys");
    }

    long submit(String actor, JobRequest r) {
        return c.submit(actor, r).jobId();
    }

    long submit(JobRequest r) {
        return submit(r.user, r);
    }

    JobView job(long id) {
        return c.job(id);
    }

    JobState state(long id) {
        return c.job(id).state();
    }

    String reason(long id) {
        return c.job(id).reason();
    }

    void assertState(long id, JobState s) {
        assertEquals("job " + id + " reason=" + reason(id), s, state(id));
    }

    static CtldException expectError(CtldException.Code code, Runnable r) {
        try {
            r.run();
        } catch (CtldException e) {
            assertEquals(e.getMessage(), code, e.code());
            return e;
        }
        fail("expected " + code);
        return null;
    }
}
