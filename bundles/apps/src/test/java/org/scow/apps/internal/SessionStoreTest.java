package org.scow.apps.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import javax.persistence.EntityManagerFactory;
import javax.sql.DataSource;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.Parameterized;
import org.scow.persistence.internal.SchemaMigrator;
import org.scow.persistence.testing.TestDatabases;

/** The session table on every supported database: migration, queries, final status. */
@RunWith(Parameterized.class)
public class SessionStoreTest {
    @Parameterized.Parameters(name = "{0}")
    public static List<Object[]> databases() {
        return TestDatabases.selected();
    }

    private final String product;
    private EntityManagerFactory emf;
    private SessionStore store;

    public SessionStoreTest(String product) {
        this.product = product;
    }

    @Before
    public void setUp() throws Exception {
        DataSource ds = TestDatabases.fresh(product, "scow_test_apps");
        SchemaMigrator db = new SchemaMigrator(ds);
        List<String> applied = db.migrate(AppService.CHANGELOG, AppService.class.getClassLoader());
        assertTrue(applied.contains("apps-001-session"));
        assertEquals("idempotent", applied, db.migrate(AppService.CHANGELOG, AppService.class.getClassLoader()));
        emf = TestDatabases.emf("scow-apps", ds);
        store = new SessionStore(emf);
    }

    @After
    public void tearDown() {
        emf.close();
    }

    @Test
    public void sessionsByOwnerAndClusterNewestFirst() {
        Instant t0 = Instant.parse("2026-12-07T10:00:00.123456Z");
        store.insert(session("a1", "alice", "c1", t0));
        store.insert(session("a2", "alice", "c2", t0.plusSeconds(60)));
        store.insert(session("b1", "bob", "c1", t0.plusSeconds(30)));
        assertEquals(List.of("a2", "a1"), ids(store.list("alice", null, 10)));
        assertEquals(List.of("b1", "a1"), ids(store.list(null, "c1", 10)));
        assertEquals(List.of("a1"), ids(store.list("alice", "c1", 10)));
        assertEquals(List.of("a2", "b1"), ids(store.list(null, null, 2)));
        AppSessionEntity a1 = store.find("a1");
        assertEquals(t0.truncatedTo(ChronoUnit.MICROS), a1.createdAt);
        assertEquals("{\"account\":\"acct\",\"dir\":\"~/x y\"}", a1.formValues);
        assertNull(store.find("nope"));
    }

    @Test
    public void theFinalStatusIsKeptOnce() {
        store.insert(session("s", "alice", "c1", Instant.now()));
        store.cancelled("s", SessionStatus.CancelledBy.OWNER);
        store.cancelled("s", SessionStatus.CancelledBy.ADMIN); // the first word stays
        assertEquals("OWNER", store.find("s").cancelledBy);
        String log = "x".repeat(5000) + "\nlast line";
        SessionStatus ended = new SessionStatus(SessionStatus.State.ENDED, "the app could not start: it failed",
                "FAILED", null, Instant.parse("2026-12-07T10:00:00Z"), Instant.parse("2026-12-07T10:05:00Z"), null, true);
        store.ended("s", ended, log);
        store.ended("s", new SessionStatus(SessionStatus.State.ENDED, "other", "COMPLETED", null, null, null, null,
                false), null);
        AppSessionEntity e = store.find("s");
        assertTrue(e.ended);
        assertEquals("FAILED", e.endReason);
        assertEquals("the app could not start: it failed", e.endMessage);
        assertTrue(e.endFailed);
        assertEquals(3000, e.logTail.length());
        assertTrue(e.logTail.endsWith("\nlast line"));
        assertEquals(Instant.parse("2026-12-07T10:05:00Z"), e.endedAt);
        assertFalse(store.find("s").formValues.isEmpty());
    }

    private static List<String> ids(List<AppSessionEntity> list) {
        return list.stream().map(e -> e.id).toList();
    }

    private static AppSessionEntity session(String id, String owner, String cluster, Instant at) {
        AppSessionEntity e = new AppSessionEntity();
        e.id = id;
        e.owner = owner;
        e.cluster = cluster;
        e.appId = "jupyter";
        e.appName = "Jupyter Notebook";
        e.jobId = "1";
        e.sessionDir = "/home/" + owner + "/scow/apps/" + id;
        e.formValues = "{\"account\":\"acct\",\"dir\":\"~/x y\"}";
        e.createdAt = at;
        return e;
    }
}
