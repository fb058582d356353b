package org.scow.crane.server;

import static org.junit.Assert.assertEquals;
import static org.scow.crane.server.TestServer.expect;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.scow.crane.protocol.v1.AccountOpRequest;
import org.scow.crane.protocol.v1.AddAccount;
import org.scow.crane.protocol.v1.AddUser;
import org.scow.crane.protocol.v1.Job;
import org.scow.crane.protocol.v1.JobList;
import org.scow.crane.protocol.v1.JobOrder;
import org.scow.crane.protocol.v1.JobQuery;
import org.scow.crane.protocol.v1.JobRef;
import org.scow.crane.protocol.v1.JobRequest;

/** QueryJobs ordered by end time: pages at the controller (from the history files for the billing feed's shape). */
public class JobSearchTest {
    private static final List<String> FINISHED = List.of("COMPLETED", "FAILED", "CANCELLED", "TIMEOUT", "OUT_OF_MEMORY", "NODE_FAIL");
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();
    private TestServer ts;

    @Before
    public void start() throws Exception {
        ts = new TestServer(tmp.newFolder().toPath(), cfg -> cfg.historyMemoryJobs = 2);
        ts.root().accountOp(AccountOpRequest.newBuilder().setAddAccount(AddAccount.newBuilder().setName("phys")).build());
        for (String u : new String[] {"alice", "bob"}) {
            ts.root().accountOp(AccountOpRequest.newBuilder().setAddUser(AddUser.newBuilder().setUser(u).setAccount("phys")).build());
        }
        for (int i = 0; i < 23; i++) {
            String user = i % 4 == 0 ? "bob" : "alice";
            long id = ts.as(user).submitJob(JobRequest.newBuilder().setName("s" + i).setAccount("phys").setTimeLimit("10")
                    .setWorkDir("/tmp").setScript("#!/bin/sh\ntrue\n").setHold(true).build()).getJobId();
            if (i < 20) ts.as(user).cancelJob(JobRef.newBuilder().setJobId(id).build());
        }
    }

    @After
    public void stop() {
        ts.close();
    }

    private List<Long> walk(JobQuery q, int size, long total) {
        List<Long> out = new ArrayList<>();
        for (int off = 0; ; off += size) {
            JobList page = ts.root().queryJobs(q.toBuilder().setOffset(off).setLimit(size).build());
            assertEquals("total", total, page.getTotal());
            for (Job j : page.getJobsList()) out.add(j.getJobId());
            if (page.getJobsCount() < size) return out;
        }
    }

    /** The reference: every match, sorted here by (finished first, end time, id). */
    private List<Long> expected(JobQuery q) {
        List<Job> all = new ArrayList<>(ts.root().queryJobs(q.toBuilder().clearOrder().build()).getJobsList());
        all.sort((a, b) -> {
            boolean fa = FINISHED.contains(a.getState());
            boolean fb = FINISHED.contains(b.getState());
            if (fa != fb) return fa ? -1 : 1;
            if (fa && a.getEndTime() != b.getEndTime()) return Long.compare(a.getEndTime(), b.getEndTime());
            return Long.compare(a.getJobId(), b.getJobId());
        });
        List<Long> out = new ArrayList<>();
        for (Job j : all) out.add(j.getJobId());
        return out;
    }

    private void assertPages(JobQuery q, int total) {
        List<Long> want = expected(q);
        assertEquals(total, want.size());
        for (int size : new int[] {1, 3, 6, 100}) {
            List<Long> got = walk(q, size, total);
            assertEquals("no duplicates", got.size(), new HashSet<>(got).size());
            assertEquals(q + " pages of " + size, want, got);
        }
    }

    @Test
    public void pagesByEndTimeCoverEveryMatchOnce() {
        long now = System.currentTimeMillis() / 1000;
        JobQuery byEnd = JobQuery.newBuilder().setOrder(JobOrder.JOB_ORDER_END_TIME).setIncludeFinished(true).build();
        // the billing feed's shape: every finished state in an end-time window (paged inside the history files)
        assertPages(byEnd.toBuilder().addAllStates(FINISHED).setEndTo(now + 60).build(), 20);
        assertPages(byEnd.toBuilder().setEndFrom(now - 600).build(), 20);
        assertPages(byEnd.toBuilder().addAllStates(FINISHED).build(), 20);
        // with other criteria, and with live jobs (they come after the finished ones)
        assertPages(byEnd.toBuilder().addUsers("bob").addAllStates(FINISHED).build(), 5);
        assertPages(byEnd.toBuilder().addStates("CANCELLED").build(), 20);
        assertPages(byEnd, 23);
        assertPages(byEnd.toBuilder().setEndFrom(now + 600).build(), 0);
    }

    @Test
    public void anUnknownOrderIsRefused() {
        expect("INVALID_ARGUMENT", "order", () -> ts.root().queryJobs(JobQuery.newBuilder().setOrderValue(7).build()));
        expect("INVALID_ARGUMENT", "paging", () -> ts.root().queryJobs(JobQuery.newBuilder().setOffset(-1).build()));
    }
}
